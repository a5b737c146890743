from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.background import Background
from ..models.complexity import Complexity
from ..models.create_image_request_moderation_type_0 import (
    CreateImageRequestModerationType0,
)
from ..models.create_image_request_quality_type_0 import CreateImageRequestQualityType0
from ..models.create_image_request_style_type_0 import CreateImageRequestStyleType0
from ..models.image_model import ImageModel
from ..models.image_size import ImageSize
from ..models.output_format import OutputFormat
from ..models.response_format import ResponseFormat
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.svg_options import SvgOptions


T = TypeVar("T", bound="CreateImageRequest")


@_attrs_define
class CreateImageRequest:
    """A request to generate images.

    Attributes:
        prompt (str): What to draw. At most 1000 characters for dall-e-2, 4000 for dall-e-3 and 32000 for the GPT image
            models.
        background (Background | None | Unset):
        model (ImageModel | None | str | Unset):
        moderation (CreateImageRequestModerationType0 | None | Unset): Content moderation strictness of the GPT image
            models: low (less restrictive) or auto (the default). GPT image models only.
        n (int | None | Unset):
        output_compression (int | None | Unset):
        output_format (None | OutputFormat | Unset):
        partial_images (int | None | Unset):
        quality (CreateImageRequestQualityType0 | None | Unset): Quality of the images. auto (the default, for every
            model) lets the model choose. GPT image models take low, medium, high or auto; the gpt-image-2.5 models (and
            their 2026-09-08 snapshots) also xhigh and max; dall-e-3 takes standard, hd or auto; dall-e-2 standard or auto.
        response_format (None | ResponseFormat | Unset):
        size (ImageSize | None | str | Unset):
        stream (bool | None | Unset): Answer with a stream of server-sent events instead of one JSON document (false by
            default). GPT image models only.
        style (CreateImageRequestStyleType0 | None | Unset): vivid (hyper-real, dramatic) or natural (less hyper-real).
            dall-e-3 only.
        complexity (Complexity | None | Unset):
        frame_count (int | None | Unset):
        frame_duration_ms (int | None | Unset):
        safety_identifier (None | str | Unset):
        svg (None | SvgOptions | Unset):
        user (None | str | Unset):
    """

    prompt: str
    background: Background | None | Unset = UNSET
    model: ImageModel | None | str | Unset = UNSET
    moderation: CreateImageRequestModerationType0 | None | Unset = UNSET
    n: int | None | Unset = UNSET
    output_compression: int | None | Unset = UNSET
    output_format: None | OutputFormat | Unset = UNSET
    partial_images: int | None | Unset = UNSET
    quality: CreateImageRequestQualityType0 | None | Unset = UNSET
    response_format: None | ResponseFormat | Unset = UNSET
    size: ImageSize | None | str | Unset = UNSET
    stream: bool | None | Unset = UNSET
    style: CreateImageRequestStyleType0 | None | Unset = UNSET
    complexity: Complexity | None | Unset = UNSET
    frame_count: int | None | Unset = UNSET
    frame_duration_ms: int | None | Unset = UNSET
    safety_identifier: None | str | Unset = UNSET
    svg: None | SvgOptions | Unset = UNSET
    user: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.svg_options import SvgOptions  # noqa: PLC0415

        prompt = self.prompt

        background: None | str | Unset
        if isinstance(self.background, Unset):
            background = UNSET
        elif isinstance(self.background, Background):
            background = self.background.value
        else:
            background = self.background

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
        elif isinstance(self.moderation, CreateImageRequestModerationType0):
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
        elif isinstance(self.quality, CreateImageRequestQualityType0):
            quality = self.quality.value
        else:
            quality = self.quality

        response_format: None | str | Unset
        if isinstance(self.response_format, Unset):
            response_format = UNSET
        elif isinstance(self.response_format, ResponseFormat):
            response_format = self.response_format.value
        else:
            response_format = self.response_format

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

        style: None | str | Unset
        if isinstance(self.style, Unset):
            style = UNSET
        elif isinstance(self.style, CreateImageRequestStyleType0):
            style = self.style.value
        else:
            style = self.style

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

        user: None | str | Unset
        if isinstance(self.user, Unset):
            user = UNSET
        else:
            user = self.user

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "prompt": prompt,
            }
        )
        if background is not UNSET:
            field_dict["background"] = background
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
        if response_format is not UNSET:
            field_dict["response_format"] = response_format
        if size is not UNSET:
            field_dict["size"] = size
        if stream is not UNSET:
            field_dict["stream"] = stream
        if style is not UNSET:
            field_dict["style"] = style
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
        if user is not UNSET:
            field_dict["user"] = user

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.svg_options import SvgOptions  # noqa: PLC0415

        d = dict(src_dict)
        prompt = d.pop("prompt")

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
        ) -> CreateImageRequestModerationType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                moderation_type_0 = CreateImageRequestModerationType0(data)

                return moderation_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CreateImageRequestModerationType0 | None | Unset, data)

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
        ) -> CreateImageRequestQualityType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                quality_type_0 = CreateImageRequestQualityType0(data)

                return quality_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CreateImageRequestQualityType0 | None | Unset, data)

        quality = _parse_quality(d.pop("quality", UNSET))

        def _parse_response_format(data: object) -> None | ResponseFormat | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                response_format_type_0 = ResponseFormat(data)

                return response_format_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ResponseFormat | Unset, data)

        response_format = _parse_response_format(d.pop("response_format", UNSET))

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

        def _parse_style(data: object) -> CreateImageRequestStyleType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                style_type_0 = CreateImageRequestStyleType0(data)

                return style_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CreateImageRequestStyleType0 | None | Unset, data)

        style = _parse_style(d.pop("style", UNSET))

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

        def _parse_user(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        user = _parse_user(d.pop("user", UNSET))

        create_image_request = cls(
            prompt=prompt,
            background=background,
            model=model,
            moderation=moderation,
            n=n,
            output_compression=output_compression,
            output_format=output_format,
            partial_images=partial_images,
            quality=quality,
            response_format=response_format,
            size=size,
            stream=stream,
            style=style,
            complexity=complexity,
            frame_count=frame_count,
            frame_duration_ms=frame_duration_ms,
            safety_identifier=safety_identifier,
            svg=svg,
            user=user,
        )

        return create_image_request
