from enum import StrEnum


class CreateImageRequestStyle(StrEnum):
    NATURAL = "natural"
    VIVID = "vivid"

    def __str__(self) -> str:
        return str(self.value)
