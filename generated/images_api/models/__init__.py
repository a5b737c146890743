"""Contains all the data models used in inputs/outputs. Each model's module is imported on first use
(`from images_api.models import X`), not with the package: a process that sends one kind of request
does not load the models of every other."""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .background import Background
    from .batch import Batch
    from .batch_error import BatchError
    from .batch_errors import BatchErrors
    from .batch_request_counts import BatchRequestCounts
    from .complexity import Complexity
    from .create_batch_request import CreateBatchRequest
    from .create_batch_request_completion_window import (
        CreateBatchRequestCompletionWindow,
    )
    from .create_file_request import CreateFileRequest
    from .create_file_request_purpose import CreateFileRequestPurpose
    from .create_image_edit_request import CreateImageEditRequest
    from .create_image_edit_request_input_fidelity import (
        CreateImageEditRequestInputFidelity,
    )
    from .create_image_edit_request_quality import CreateImageEditRequestQuality
    from .create_image_request import CreateImageRequest
    from .create_image_request_moderation_type_0 import (
        CreateImageRequestModerationType0,
    )
    from .create_image_request_quality_type_0 import CreateImageRequestQualityType0
    from .create_image_request_style_type_0 import CreateImageRequestStyleType0
    from .create_image_variation_request import CreateImageVariationRequest
    from .create_image_variation_request_size import CreateImageVariationRequestSize
    from .delete_file_response import DeleteFileResponse
    from .edit_image_json_request import EditImageJsonRequest
    from .edit_image_json_request_input_fidelity_type_0 import (
        EditImageJsonRequestInputFidelityType0,
    )
    from .edit_image_json_request_moderation_type_0 import (
        EditImageJsonRequestModerationType0,
    )
    from .edit_image_json_request_quality_type_0 import EditImageJsonRequestQualityType0
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
    from .list_batches_response import ListBatchesResponse
    from .metadata_type_0 import MetadataType0
    from .open_ai_file import OpenAIFile
    from .output_format import OutputFormat
    from .output_tokens_details import OutputTokensDetails
    from .response_format import ResponseFormat
    from .svg_options import SvgOptions
    from .svg_reasoning import SvgReasoning
    from .svg_reasoning_effort_type_0 import SvgReasoningEffortType0
    from .svg_usage import SvgUsage

_MODULES = {
    "Background": ".background",
    "Batch": ".batch",
    "BatchError": ".batch_error",
    "BatchErrors": ".batch_errors",
    "BatchRequestCounts": ".batch_request_counts",
    "Complexity": ".complexity",
    "CreateBatchRequest": ".create_batch_request",
    "CreateBatchRequestCompletionWindow": ".create_batch_request_completion_window",
    "CreateFileRequest": ".create_file_request",
    "CreateFileRequestPurpose": ".create_file_request_purpose",
    "CreateImageEditRequest": ".create_image_edit_request",
    "CreateImageEditRequestInputFidelity": ".create_image_edit_request_input_fidelity",
    "CreateImageEditRequestQuality": ".create_image_edit_request_quality",
    "CreateImageRequest": ".create_image_request",
    "CreateImageRequestModerationType0": ".create_image_request_moderation_type_0",
    "CreateImageRequestQualityType0": ".create_image_request_quality_type_0",
    "CreateImageRequestStyleType0": ".create_image_request_style_type_0",
    "CreateImageVariationRequest": ".create_image_variation_request",
    "CreateImageVariationRequestSize": ".create_image_variation_request_size",
    "DeleteFileResponse": ".delete_file_response",
    "EditImageJsonRequest": ".edit_image_json_request",
    "EditImageJsonRequestInputFidelityType0": ".edit_image_json_request_input_fidelity_type_0",
    "EditImageJsonRequestModerationType0": ".edit_image_json_request_moderation_type_0",
    "EditImageJsonRequestQualityType0": ".edit_image_json_request_quality_type_0",
    "Error": ".error",
    "ErrorResponse": ".error_response",
    "Image": ".image",
    "ImageEditCompletedEvent": ".image_edit_completed_event",
    "ImageEditPartialImageEvent": ".image_edit_partial_image_event",
    "ImageEditStreamFrame": ".image_edit_stream_frame",
    "ImageGenCompletedEvent": ".image_gen_completed_event",
    "ImageGenPartialImageEvent": ".image_gen_partial_image_event",
    "ImageGenStreamFrame": ".image_gen_stream_frame",
    "ImageModel": ".image_model",
    "ImageSize": ".image_size",
    "ImagesResponse": ".images_response",
    "ImagesUsage": ".images_usage",
    "InputTokensDetails": ".input_tokens_details",
    "ListBatchesResponse": ".list_batches_response",
    "MetadataType0": ".metadata_type_0",
    "OpenAIFile": ".open_ai_file",
    "OutputFormat": ".output_format",
    "OutputTokensDetails": ".output_tokens_details",
    "ResponseFormat": ".response_format",
    "SvgOptions": ".svg_options",
    "SvgReasoning": ".svg_reasoning",
    "SvgReasoningEffortType0": ".svg_reasoning_effort_type_0",
    "SvgUsage": ".svg_usage",
}


def __getattr__(name: str) -> Any:
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(module, __name__), name)
    globals()[name] = value
    return value


__all__ = (
    "Background",
    "Batch",
    "BatchError",
    "BatchErrors",
    "BatchRequestCounts",
    "Complexity",
    "CreateBatchRequest",
    "CreateBatchRequestCompletionWindow",
    "CreateFileRequest",
    "CreateFileRequestPurpose",
    "CreateImageEditRequest",
    "CreateImageEditRequestInputFidelity",
    "CreateImageEditRequestQuality",
    "CreateImageRequest",
    "CreateImageRequestModerationType0",
    "CreateImageRequestQualityType0",
    "CreateImageRequestStyleType0",
    "CreateImageVariationRequest",
    "CreateImageVariationRequestSize",
    "DeleteFileResponse",
    "EditImageJsonRequest",
    "EditImageJsonRequestInputFidelityType0",
    "EditImageJsonRequestModerationType0",
    "EditImageJsonRequestQualityType0",
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
    "ListBatchesResponse",
    "MetadataType0",
    "OpenAIFile",
    "OutputFormat",
    "OutputTokensDetails",
    "ResponseFormat",
    "SvgOptions",
    "SvgReasoning",
    "SvgReasoningEffortType0",
    "SvgUsage",
)
