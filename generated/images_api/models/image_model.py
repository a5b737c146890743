from enum import StrEnum


class ImageModel(StrEnum):
    CHATGPT_IMAGE_LATEST = "chatgpt-image-latest"
    DALL_E_2 = "dall-e-2"
    DALL_E_3 = "dall-e-3"
    GPT_IMAGE_1 = "gpt-image-1"
    GPT_IMAGE_1_5 = "gpt-image-1.5"
    GPT_IMAGE_1_MINI = "gpt-image-1-mini"
    GPT_IMAGE_2 = "gpt-image-2"
    GPT_IMAGE_2_2026_04_21 = "gpt-image-2-2026-04-21"
    GPT_IMAGE_2_5_FLARE = "gpt-image-2.5-flare"
    GPT_IMAGE_2_5_FLARE_2026_09_08 = "gpt-image-2.5-flare-2026-09-08"
    GPT_IMAGE_2_5_SUNBURST = "gpt-image-2.5-sunburst"
    GPT_IMAGE_2_5_SUNBURST_2026_09_08 = "gpt-image-2.5-sunburst-2026-09-08"
    GPT_IMAGE_2_6_FLARE = "gpt-image-2.6-flare"
    GPT_IMAGE_2_6_SUNBURST = "gpt-image-2.6-sunburst"

    def __str__(self) -> str:
        return str(self.value)
