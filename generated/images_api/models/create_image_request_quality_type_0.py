from enum import StrEnum


class CreateImageRequestQualityType0(StrEnum):
    AUTO = "auto"
    HD = "hd"
    HIGH = "high"
    LOW = "low"
    MAX = "max"
    MEDIUM = "medium"
    STANDARD = "standard"
    XHIGH = "xhigh"

    def __str__(self) -> str:
        return str(self.value)
