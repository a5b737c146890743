from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.background import Background
from ..models.complexity import Complexity
from ..models.edit_image_json_request_input_fidelity_type_0 import (
    EditImageJsonRequestInputFidelityType0,
)
from ..models.edit_image_json_request_moderation_type_0 import (
    EditImageJsonRequestModerationType0,
)
from ..models.edit_image_json_request_quality_type_0 import (
    EditImageJsonRequestQualityType0,
)
from ..models.image_model import ImageModel
from ..models.image_size import ImageSize
from ..models.output_format import OutputFormat
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.svg_options import SvgOptions


T = TypeVar("T", bound="EditImageJsonRequest")


@_attrs_define
class EditImageJsonRequest:
    """A request to edit images given by reference, sent as JSON: the images are URLs or ids of uploaded files rather than
    multipart parts. GPT image models only; dall-e-2 edits need uploads.

        Attributes:
            images (list[Any]): The images to edit, 1 to 16 references; each image follows the limits of the uploaded
                `image` (png, webp or jpeg, under 50 MB).
            prompt (str): The edit to make. At most 32000 characters.
            mask (Any | None | Unset): A reference to a png mask, under 4 MB and of the first image's dimensions, whose
                fully transparent pixels mark where the first image is edited.
            background (Background | None | Unset):
            input_fidelity (EditImageJsonRequestInputFidelityType0 | None | Unset): How closely the result keeps the style
                and features (faces especially) of the input images: high or low (the default). Not gpt-image-1-mini.
            model (ImageModel | None | str | Unset):
            moderation (EditImageJsonRequestModerationType0 | None | Unset): Content moderation strictness: low (less
                restrictive) or auto (the default).
            n (int | None | Unset):
            output_compression (int | None | Unset):
            output_format (None | OutputFormat | Unset):
            partial_images (int | None | Unset):
            quality (EditImageJsonRequestQualityType0 | None | Unset): Quality of the images, low, medium, high or auto (the
                default); the gpt-image-2.5 models also xhigh and max.
            size (ImageSize | None | str | Unset):
            stream (bool | None | Unset): Answer with a stream of server-sent events instead of one JSON document (false by
                default).
            user (None | str | Unset):
            complexity (Complexity | None | Unset):
            frame_count (int | None | Unset):
            frame_duration_ms (int | None | Unset):
            safety_identifier (None | str | Unset):
            svg (None | SvgOptions | Unset):
    """

    images: list[Any]
    prompt: str
    mask: Any | None | Unset = UNSET
    background: Background | None | Unset = UNSET
    input_fidelity: EditImageJsonRequestInputFidelityType0 | None | Unset = UNSET
    model: ImageModel | None | str | Unset = UNSET
    moderation: EditImageJsonRequestModerationType0 | None | Unset = UNSET
    n: int | None | Unset = UNSET
    output_compression: int | None | Unset = UNSET
    output_format: None | OutputFormat | Unset = UNSET
    partial_images: int | None | Unset = UNSET
    quality: EditImageJsonRequestQualityType0 | None | Unset = UNSET
    size: ImageSize | None | str | Unset = UNSET
    stream: bool | None | Unset = UNSET
    user: None | str | Unset = UNSET
    complexity: Complexity | None | Unset = UNSET
    frame_count: int | None | Unset = UNSET
    frame_duration_ms: int | None | Unset = UNSET
    safety_identifier: None | str | Unset = UNSET
    svg: None | SvgOptions | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.svg_options import SvgOptions  # noqa: PLC0415

        images = []
        for images_item_data in self.images:
            images_item: Any
            images_item = images_item_data
            images.append(images_item)

        prompt = self.prompt

        mask: Any | None | Unset
        if isinstance(self.mask, Unset):
            mask = UNSET
        else:
            mask = self.mask

        background: None | str | Unset
        if isinstance(self.background, Unset):
            background = UNSET
        elif isinstance(self.background, Background):
            background = self.background.value
        else:
            background = self.background

        input_fidelity: None | str | Unset
        if isinstance(self.input_fidelity, Unset):
            input_fidelity = UNSET
        elif isinstance(self.input_fidelity, EditImageJsonRequestInputFidelityType0):
            input_fidelity = self.input_fidelity.value
        else:
            input_fidelity = self.input_fidelity

        model: None | str | Unset
        if isinstance(self.model, Unset):
            model = UNSET
        elif isinstance(self.model, ImageModel):
            model = self.model.value
        else:
            model = self.model

        moderation: None | str | Unset
        if isinstance(self.moderation, Unset):
            moderation = UNSET
        elif isinstance(self.moderation, EditImageJsonRequestModerationType0):
            moderation = self.moderation.value
        else:
            moderation = self.moderation

        n: int | None | Unset
        if isinstance(self.n, Unset):
            n = UNSET
        else:
            n = self.n

        output_compression: int | None | Unset
        if isinstance(self.output_compression, Unset):
            output_compression = UNSET
        else:
            output_compression = self.output_compression

        output_format: None | str | Unset
        if isinstance(self.output_format, Unset):
            output_format = UNSET
        elif isinstance(self.output_format, OutputFormat):
            output_format = self.output_format.value
        else:
            output_format = self.output_format

        partial_images: int | None | Unset
        if isinstance(self.partial_images, Unset):
            partial_images = UNSET
        else:
            partial_images = self.partial_images

        quality: None | str | Unset
        if isinstance(self.quality, Unset):
            quality = UNSET
        elif isinstance(self.quality, EditImageJsonRequestQualityType0):
            quality = self.quality.value
        else:
            quality = self.quality

        size: None | str | Unset
        if isinstance(self.size, Unset):
            size = UNSET
        elif isinstance(self.size, ImageSize):
            size = self.size.value
        else:
            size = self.size

        stream: bool | None | Unset
        if isinstance(self.stream, Unset):
            stream = UNSET
        else:
            stream = self.stream

        user: None | str | Unset
        if isinstance(self.user, Unset):
            user = UNSET
        else:
            user = self.user

        complexity: None | str | Unset
        if isinstance(self.complexity, Unset):
            complexity = UNSET
        elif isinstance(self.complexity, Complexity):
            complexity = self.complexity.value
        else:
            complexity = self.complexity

        frame_count: int | None | Unset
        if isinstance(self.frame_count, Unset):
            frame_count = UNSET
        else:
            frame_count = self.frame_count

        frame_duration_ms: int | None | Unset
        if isinstance(self.frame_duration_ms, Unset):
            frame_duration_ms = UNSET
        else:
            frame_duration_ms = self.frame_duration_ms

        safety_identifier: None | str | Unset
        if isinstance(self.safety_identifier, Unset):
            safety_identifier = UNSET
        else:
            safety_identifier = self.safety_identifier

        svg: dict[str, Any] | None | Unset
        if isinstance(self.svg, Unset):
            svg = UNSET
        elif isinstance(self.svg, SvgOptions):
            svg = self.svg.to_dict()
        else:
            svg = self.svg

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "images": images,
                "prompt": prompt,
            }
        )
        if mask is not UNSET:
            field_dict["mask"] = mask
        if background is not UNSET:
            field_dict["background"] = background
        if input_fidelity is not UNSET:
            field_dict["input_fidelity"] = input_fidelity
        if model is not UNSET:
            field_dict["model"] = model
        if moderation is not UNSET:
            field_dict["moderation"] = moderation
        if n is not UNSET:
            field_dict["n"] = n
        if output_compression is not UNSET:
            field_dict["output_compression"] = output_compression
        if output_format is not UNSET:
            field_dict["output_format"] = output_format
        if partial_images is not UNSET:
            field_dict["partial_images"] = partial_images
        if quality is not UNSET:
            field_dict["quality"] = quality
        if size is not UNSET:
            field_dict["size"] = size
        if stream is not UNSET:
            field_dict["stream"] = stream
        if user is not UNSET:
            field_dict["user"] = user
        if complexity is not UNSET:
            field_dict["complexity"] = complexity
        if frame_count is not UNSET:
            field_dict["frame_count"] = frame_count
        if frame_duration_ms is not UNSET:
            field_dict["frame_duration_ms"] = frame_duration_ms
        if safety_identifier is not UNSET:
            field_dict["safety_identifier"] = safety_identifier
        if svg is not UNSET:
            field_dict["svg"] = svg

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.svg_options import SvgOptions  # noqa: PLC0415

        d = dict(src_dict)
        images = []
        _images = d.pop("images")
        for images_item_data in _images:

            def _parse_images_item(data: object) -> Any:
                return cast(Any, data)

            images_item = _parse_images_item(images_item_data)

            images.append(images_item)

        prompt = d.pop("prompt")

        def _parse_mask(data: object) -> Any | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Any | None | Unset, data)

        mask = _parse_mask(d.pop("mask", UNSET))

        def _parse_background(data: object) -> Background | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                background_type_0 = Background(data)

                return background_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Background | None | Unset, data)

        background = _parse_background(d.pop("background", UNSET))

        def _parse_input_fidelity(
            data: object,
        ) -> EditImageJsonRequestInputFidelityType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                input_fidelity_type_0 = EditImageJsonRequestInputFidelityType0(data)

                return input_fidelity_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(EditImageJsonRequestInputFidelityType0 | None | Unset, data)

        input_fidelity = _parse_input_fidelity(d.pop("input_fidelity", UNSET))

        def _parse_model(data: object) -> ImageModel | None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                componentsschemas_model_name_type_0 = ImageModel(data)

                return componentsschemas_model_name_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ImageModel | None | str | Unset, data)

        model = _parse_model(d.pop("model", UNSET))

        def _parse_moderation(
            data: object,
        ) -> EditImageJsonRequestModerationType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                moderation_type_0 = EditImageJsonRequestModerationType0(data)

                return moderation_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(EditImageJsonRequestModerationType0 | None | Unset, data)

        moderation = _parse_moderation(d.pop("moderation", UNSET))

        def _parse_n(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        n = _parse_n(d.pop("n", UNSET))

        def _parse_output_compression(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        output_compression = _parse_output_compression(
            d.pop("output_compression", UNSET)
        )

        def _parse_output_format(data: object) -> None | OutputFormat | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                output_format_type_0 = OutputFormat(data)

                return output_format_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | OutputFormat | Unset, data)

        output_format = _parse_output_format(d.pop("output_format", UNSET))

        def _parse_partial_images(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        partial_images = _parse_partial_images(d.pop("partial_images", UNSET))

        def _parse_quality(
            data: object,
        ) -> EditImageJsonRequestQualityType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                quality_type_0 = EditImageJsonRequestQualityType0(data)

                return quality_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(EditImageJsonRequestQualityType0 | None | Unset, data)

        quality = _parse_quality(d.pop("quality", UNSET))

        def _parse_size(data: object) -> ImageSize | None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                componentsschemas_size_type_0 = ImageSize(data)

                return componentsschemas_size_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ImageSize | None | str | Unset, data)

        size = _parse_size(d.pop("size", UNSET))

        def _parse_stream(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        stream = _parse_stream(d.pop("stream", UNSET))

        def _parse_user(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        user = _parse_user(d.pop("user", UNSET))

        def _parse_complexity(data: object) -> Complexity | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                complexity_type_0 = Complexity(data)

                return complexity_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Complexity | None | Unset, data)

        complexity = _parse_complexity(d.pop("complexity", UNSET))

        def _parse_frame_count(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        frame_count = _parse_frame_count(d.pop("frame_count", UNSET))

        def _parse_frame_duration_ms(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        frame_duration_ms = _parse_frame_duration_ms(d.pop("frame_duration_ms", UNSET))

        def _parse_safety_identifier(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        safety_identifier = _parse_safety_identifier(d.pop("safety_identifier", UNSET))

        def _parse_svg(data: object) -> None | SvgOptions | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                svg_type_0 = SvgOptions.from_dict(data)

                return svg_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SvgOptions | Unset, data)

        svg = _parse_svg(d.pop("svg", UNSET))

        edit_image_json_request = cls(
            images=images,
            prompt=prompt,
            mask=mask,
            background=background,
            input_fidelity=input_fidelity,
            model=model,
            moderation=moderation,
            n=n,
            output_compression=output_compression,
            output_format=output_format,
            partial_images=partial_images,
            quality=quality,
            size=size,
            stream=stream,
            user=user,
            complexity=complexity,
            frame_count=frame_count,
            frame_duration_ms=frame_duration_ms,
            safety_identifier=safety_identifier,
            svg=svg,
        )

        return edit_image_json_request
