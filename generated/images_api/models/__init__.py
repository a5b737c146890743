"""Contains all the data models used in inputs/outputs"""

from .background import Background
from .complexity import Complexity
from .create_image_edit_request import CreateImageEditRequest
from .create_image_edit_request_input_fidelity import (
    CreateImageEditRequestInputFidelity,
)
from .create_image_edit_request_quality import CreateImageEditRequestQuality
from .create_image_request import CreateImageRequest
from .create_image_request_moderation import CreateImageRequestModeration
from .create_image_request_quality import CreateImageRequestQuality
from .create_image_request_style import CreateImageRequestStyle
from .create_image_variation_request import CreateImageVariationRequest
from .create_image_variation_request_size import CreateImageVariationRequestSize
from .error import Error
from .error_response import ErrorResponse
from .image import Image
from .image_edit_completed_event import ImageEditCompletedEvent
from .image_edit_partial_image_event import ImageEditPartialImageEvent
from .image_edit_stream_frame import ImageEditStreamFrame
from .image_gen_completed_event import ImageGenCompletedEvent
from .image_gen_partial_image_event import ImageGenPartialImageEvent
from .image_gen_stream_frame import ImageGenStreamFrame
from .image_model import ImageModel
from .image_size import ImageSize
from .images_response import ImagesResponse
from .images_usage import ImagesUsage
from .input_tokens_details import InputTokensDetails
from .output_format import OutputFormat
from .output_tokens_details import OutputTokensDetails
from .response_format import ResponseFormat
from .svg_options import SvgOptions
from .svg_reasoning import SvgReasoning
from .svg_reasoning_effort import SvgReasoningEffort
from .svg_usage import SvgUsage

__all__ = (
    "Background",
    "Complexity",
    "CreateImageEditRequest",
    "CreateImageEditRequestInputFidelity",
    "CreateImageEditRequestQuality",
    "CreateImageRequest",
    "CreateImageRequestModeration",
    "CreateImageRequestQuality",
    "CreateImageRequestStyle",
    "CreateImageVariationRequest",
    "CreateImageVariationRequestSize",
    "Error",
    "ErrorResponse",
    "Image",
    "ImageEditCompletedEvent",
    "ImageEditPartialImageEvent",
    "ImageEditStreamFrame",
    "ImageGenCompletedEvent",
    "ImageGenPartialImageEvent",
    "ImageGenStreamFrame",
    "ImageModel",
    "ImageSize",
    "ImagesResponse",
    "ImagesUsage",
    "InputTokensDetails",
    "OutputFormat",
    "OutputTokensDetails",
    "ResponseFormat",
    "SvgOptions",
    "SvgReasoning",
    "SvgReasoningEffort",
    "SvgUsage",
)
