from enum import StrEnum


class CreateImageEditRequestQuality(StrEnum):
    AUTO = "auto"
    HIGH = "high"
    LOW = "low"
    MAX = "max"
    MEDIUM = "medium"
    STANDARD = "standard"
    XHIGH = "xhigh"

    def __str__(self) -> str:
        return str(self.value)
