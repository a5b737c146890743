from enum import StrEnum


class EditImageJsonRequestQualityType0(StrEnum):
    AUTO = "auto"
    HIGH = "high"
    LOW = "low"
    MAX = "max"
    MEDIUM = "medium"
    XHIGH = "xhigh"

    def __str__(self) -> str:
        return str(self.value)
