from enum import StrEnum


class CreateImageRequestModeration(StrEnum):
    AUTO = "auto"
    LOW = "low"

    def __str__(self) -> str:
        return str(self.value)
