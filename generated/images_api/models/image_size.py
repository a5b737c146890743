from enum import StrEnum


class ImageSize(StrEnum):
    AUTO = "auto"
    VALUE_1 = "1024x1024"
    VALUE_2 = "1536x1024"
    VALUE_3 = "1024x1536"
    VALUE_4 = "256x256"
    VALUE_5 = "512x512"
    VALUE_6 = "1792x1024"
    VALUE_7 = "1024x1792"

    def __str__(self) -> str:
        return str(self.value)
