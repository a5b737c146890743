from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.background import Background
from ..models.complexity import Complexity
from ..models.create_image_request_moderation import CreateImageRequestModeration
from ..models.create_image_request_quality import CreateImageRequestQuality
from ..models.create_image_request_style import CreateImageRequestStyle
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
        background (Background | Unset): Background of the generated images: transparent, opaque, or auto (the default,
            chosen by the model). GPT image models only. gpt-image-2 and gpt-image-2-2026-04-21 do not offer transparent.
            transparent needs an output_format that carries alpha: png (the default) or webp.
        model (ImageModel | str | Unset): A known image model, or any other model name (newer models are accepted and
            checked only against this schema). Name the model: since dall-e-2 was retired (2026-05-12) a request without one
            has no documented default. Retired models are answered 404 model_not_found: dall-e-2 and dall-e-3 since
            2026-05-12, gpt-image-1 since 2026-10-23 (its successors are gpt-image-2.5-sunburst and gpt-image-2.5-flare).
        moderation (CreateImageRequestModeration | Unset): Content moderation strictness of the GPT image models: low
            (less restrictive) or auto (the default). GPT image models only.
        n (int | Unset): How many images to create, 1–10 (the default is 1). dall-e-3 only creates 1.
        output_compression (int | Unset): Compression level, 0–100 (percent), of jpeg or webp results. GPT image models
            only, and only with output_format jpeg or webp. The server uses 100 when it is not given.
        output_format (OutputFormat | Unset): Image file format of the results. GPT image models only; png is the
            default. gif is an animated GIF (see frame_count and frame_duration_ms) and svg a vector drawing (see svg);
            neither streams, sends partial images or takes output_compression; svg makes one image per request (n 1), and a
            gif edit takes no mask. Both need access the account may lack.
        partial_images (int | Unset): How many partial images a stream sends before the final one (0–3). With 0 the
            stream carries only the final image. The final image may arrive before all partial images when it is ready
            sooner. GPT image models only, with stream true.
        quality (CreateImageRequestQuality | Unset): Quality of the images. auto (the default) lets the model choose.
            GPT image models take low, medium, high or auto; the gpt-image-2.5 models (and their 2026-09-08 snapshots) also
            xhigh and max; dall-e-3 takes standard or hd; dall-e-2 only standard.
        response_format (ResponseFormat | Unset): How dall-e-2 and dall-e-3 return images: `url` (the default; links
            stay valid for 60 minutes) or `b64_json`. GPT image models always return base64 and do not take it.
        size (ImageSize | str | Unset): WIDTHxHEIGHT in pixels, or `auto`. dall-e-2 takes 256x256, 512x512 or 1024x1024
            (default 1024x1024). dall-e-3 takes 1024x1024, 1792x1024 or 1024x1792 (default 1024x1024). The GPT image models
            take 1024x1024, 1536x1024, 1024x1536 or auto (the default). gpt-image-2 and gpt-image-2-2026-04-21 also take any
            WIDTHxHEIGHT whose sides are both multiples of 16, whose aspect ratio lies between 1:3 and 3:1, whose longer
            side is at most 3840 and whose area is at most 3840x2160 pixels; above 2560x1440 the output is experimental. The
            gpt-image-2.5 models (sunburst, flare and their 2026-09-08 snapshots) take the same free-form sizes.
        stream (bool | Unset): Answer with a stream of server-sent events instead of one JSON document (false by
            default). GPT image models only.
        style (CreateImageRequestStyle | Unset): vivid (hyper-real, dramatic) or natural (less hyper-real). dall-e-3
            only.
        complexity (Complexity | Unset): How much work goes into planning the picture, apart from how finely it is
            rendered (quality): low, medium or high. Without it the model's own default applies. With svg output it steers
            the reference image, not the SVG author.
        frame_count (int | Unset): How many frames an animated GIF has, 2 to 16 (9 when not given). Only with
            output_format gif.
        frame_duration_ms (int | Unset): How long each GIF frame shows, in milliseconds (200 when not given); the API
            rounds it to 10 ms and encodes at most 655350 ms a frame. Only with output_format gif.
        safety_identifier (str | Unset): A stable, preferably hashed, identifier of your end user for abuse monitoring.
            When it is given and not empty it is used instead of `user`, which still counts when it is absent.
        svg (SvgOptions | Unset): Which model writes the SVG, and how hard it reasons. Only with output_format svg; give
            `model` when the account may choose the SVG author, otherwise leave the object out. The request's own `model`
            still draws the reference image. In multipart bodies it goes out as bracketed fields: `svg[model]`,
            `svg[reasoning][effort]`.
        user (str | Unset): An identifier of the end user, which helps to detect abuse.
    """

    prompt: str
    background: Background | Unset = UNSET
    model: ImageModel | str | Unset = UNSET
    moderation: CreateImageRequestModeration | Unset = UNSET
    n: int | Unset = UNSET
    output_compression: int | Unset = UNSET
    output_format: OutputFormat | Unset = UNSET
    partial_images: int | Unset = UNSET
    quality: CreateImageRequestQuality | Unset = UNSET
    response_format: ResponseFormat | Unset = UNSET
    size: ImageSize | str | Unset = UNSET
    stream: bool | Unset = UNSET
    style: CreateImageRequestStyle | Unset = UNSET
    complexity: Complexity | Unset = UNSET
    frame_count: int | Unset = UNSET
    frame_duration_ms: int | Unset = UNSET
    safety_identifier: str | Unset = UNSET
    svg: SvgOptions | Unset = UNSET
    user: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        prompt = self.prompt

        background: str | Unset = UNSET
        if not isinstance(self.background, Unset):
            background = self.background.value

        model: str | Unset
        if isinstance(self.model, Unset):
            model = UNSET
        elif isinstance(self.model, ImageModel):
            model = self.model.value
        else:
            model = self.model

        moderation: str | Unset = UNSET
        if not isinstance(self.moderation, Unset):
            moderation = self.moderation.value

        n = self.n

        output_compression = self.output_compression

        output_format: str | Unset = UNSET
        if not isinstance(self.output_format, Unset):
            output_format = self.output_format.value

        partial_images = self.partial_images

        quality: str | Unset = UNSET
        if not isinstance(self.quality, Unset):
            quality = self.quality.value

        response_format: str | Unset = UNSET
        if not isinstance(self.response_format, Unset):
            response_format = self.response_format.value

        size: str | Unset
        if isinstance(self.size, Unset):
            size = UNSET
        elif isinstance(self.size, ImageSize):
            size = self.size.value
        else:
            size = self.size

        stream = self.stream

        style: str | Unset = UNSET
        if not isinstance(self.style, Unset):
            style = self.style.value

        complexity: str | Unset = UNSET
        if not isinstance(self.complexity, Unset):
            complexity = self.complexity.value

        frame_count = self.frame_count

        frame_duration_ms = self.frame_duration_ms

        safety_identifier = self.safety_identifier

        svg: dict[str, Any] | Unset = UNSET
        if not isinstance(self.svg, Unset):
            svg = self.svg.to_dict()

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

        _background = d.pop("background", UNSET)
        background: Background | Unset
        if isinstance(_background, Unset):
            background = UNSET
        else:
            background = Background(_background)

        def _parse_model(data: object) -> ImageModel | str | Unset:
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                componentsschemas_model_name_type_0 = ImageModel(data)

                return componentsschemas_model_name_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ImageModel | str | Unset, data)

        model = _parse_model(d.pop("model", UNSET))

        _moderation = d.pop("moderation", UNSET)
        moderation: CreateImageRequestModeration | Unset
        if isinstance(_moderation, Unset):
            moderation = UNSET
        else:
            moderation = CreateImageRequestModeration(_moderation)

        n = d.pop("n", UNSET)

        output_compression = d.pop("output_compression", UNSET)

        _output_format = d.pop("output_format", UNSET)
        output_format: OutputFormat | Unset
        if isinstance(_output_format, Unset):
            output_format = UNSET
        else:
            output_format = OutputFormat(_output_format)

        partial_images = d.pop("partial_images", UNSET)

        _quality = d.pop("quality", UNSET)
        quality: CreateImageRequestQuality | Unset
        if isinstance(_quality, Unset):
            quality = UNSET
        else:
            quality = CreateImageRequestQuality(_quality)

        _response_format = d.pop("response_format", UNSET)
        response_format: ResponseFormat | Unset
        if isinstance(_response_format, Unset):
            response_format = UNSET
        else:
            response_format = ResponseFormat(_response_format)

        def _parse_size(data: object) -> ImageSize | str | Unset:
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                componentsschemas_size_type_0 = ImageSize(data)

                return componentsschemas_size_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ImageSize | str | Unset, data)

        size = _parse_size(d.pop("size", UNSET))

        stream = d.pop("stream", UNSET)

        _style = d.pop("style", UNSET)
        style: CreateImageRequestStyle | Unset
        if isinstance(_style, Unset):
            style = UNSET
        else:
            style = CreateImageRequestStyle(_style)

        _complexity = d.pop("complexity", UNSET)
        complexity: Complexity | Unset
        if isinstance(_complexity, Unset):
            complexity = UNSET
        else:
            complexity = Complexity(_complexity)

        frame_count = d.pop("frame_count", UNSET)

        frame_duration_ms = d.pop("frame_duration_ms", UNSET)

        safety_identifier = d.pop("safety_identifier", UNSET)

        _svg = d.pop("svg", UNSET)
        svg: SvgOptions | Unset
        if isinstance(_svg, Unset):
            svg = UNSET
        else:
            svg = SvgOptions.from_dict(_svg)

        user = d.pop("user", UNSET)

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
