from enum import StrEnum


class CreateImageRequestStyleType0(StrEnum):
    NATURAL = "natural"
    VIVID = "vivid"

    def __str__(self) -> str:
        return str(self.value)
