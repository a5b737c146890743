from enum import StrEnum


class CreateImageEditRequestQuality(StrEnum):
    AUTO = "auto"
    HIGH = "high"
    LOW = "low"
    MEDIUM = "medium"
    STANDARD = "standard"

    def __str__(self) -> str:
        return str(self.value)
