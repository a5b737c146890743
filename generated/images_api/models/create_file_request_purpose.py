from enum import StrEnum


class CreateFileRequestPurpose(StrEnum):
    ASSISTANTS = "assistants"
    BATCH = "batch"
    EVALS = "evals"
    FINE_TUNE = "fine-tune"
    USER_DATA = "user_data"
    VISION = "vision"

    def __str__(self) -> str:
        return str(self.value)
