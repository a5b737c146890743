from __future__ import annotations

from collections.abc import Mapping
from io import BytesIO
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from .. import types
from ..models.background import Background
from ..models.complexity import Complexity
from ..models.create_image_edit_request_input_fidelity import (
    CreateImageEditRequestInputFidelity,
)
from ..models.create_image_edit_request_quality import CreateImageEditRequestQuality
from ..models.image_model import ImageModel
from ..models.image_size import ImageSize
from ..models.output_format import OutputFormat
from ..models.response_format import ResponseFormat
from ..types import UNSET, File, FileTypes, Unset

if TYPE_CHECKING:
    from ..models.svg_options import SvgOptions


T = TypeVar("T", bound="CreateImageEditRequest")


@_attrs_define
class CreateImageEditRequest:
    """A request to edit images, sent as multipart/form-data. One image goes out as an `image` part, several as repeated
    `image[]` parts. Booleans are the strings `true` and `false`.

        Attributes:
            image (File | list[File]): The images to edit: one file, or an array of files. GPT image models take 1 to 16
                png, webp or jpeg files, each under 50 MB. dall-e-2 takes one square png under 4 MB; without a mask, its
                transparent pixels mark where to edit.
            prompt (str): The edit to make. At most 1000 characters for dall-e-2 and 32000 for the GPT image models.
            background (Background | Unset): Background of the generated images: transparent, opaque, or auto (the default,
                chosen by the model). GPT image models only; on gpt-image-2 and gpt-image-2-2026-04-21 transparent is a preview.
                transparent needs an output_format that carries alpha: png (the default) or webp.
            input_fidelity (CreateImageEditRequestInputFidelity | Unset): How closely the result keeps the style and
                features (faces especially) of the input images: high or low (the default). gpt-image-1, gpt-image-1.5 and later
                GPT image models; not gpt-image-1-mini, not dall-e-2.
            mask (File | Unset): A png, under 4 MB and of the same dimensions as the first image, whose fully transparent
                pixels mark where the first image is edited.
            markup (File | Unset): A png drawn over the first image to show what to change: the same dimensions as that
                image (once its orientation is applied), with transparent pixels where nothing is marked. The gpt-image-2.5
                models only; not together with mask.
            model (ImageModel | str | Unset): A known image model, or any other model name: the client sends a name it does
                not know (the API may know newer models), and the API answers 404 `model_not_found` for one that does not exist.
                Name the model: since dall-e-2 was retired (2026-05-12) a request without one has no documented default. Retired
                models are answered 404 model_not_found: dall-e-2 and dall-e-3 since 2026-05-12, gpt-image-1 since 2026-10-23
                (its successors are gpt-image-2.5-sunburst and gpt-image-2.5-flare).
            n (int | Unset): How many images to create, 1–10 (the default is 1). dall-e-3 only creates 1.
            output_compression (int | Unset): Compression level, 0–100 (percent), of jpeg or webp results. GPT image models
                only. Values below 100 need output_format jpeg or webp; 100, the server's default, is taken with any format.
            output_format (OutputFormat | Unset): Image file format of the results. GPT image models only; png is the
                default. gif is an animated GIF (see frame_count and frame_duration_ms) and svg a vector drawing (see svg);
                neither streams, sends partial images or takes output_compression; svg makes one image per request (n 1), and a
                gif edit takes no mask. Both need access the account may lack.
            partial_images (int | Unset): How many partial images a stream sends before the final one (0–3). With 0 the
                stream carries only the final image. The final image may arrive before all partial images when it is ready
                sooner. GPT image models only, with stream true.
            quality (CreateImageEditRequestQuality | Unset): Quality of the images. auto (the default, for every model) lets
                the model choose. GPT image models take low, medium, high or auto; the gpt-image-2.5 models (and their
                2026-09-08 snapshots) also xhigh and max; dall-e-2 standard or auto.
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
            complexity (Complexity | Unset): How much work goes into planning the picture, apart from how finely it is
                rendered (quality): low, medium or high. Without it the model's own default applies. With svg output it steers
                the reference image, not the SVG author.
            frame_count (int | Unset): How many frames an animated GIF has, 2 to 16 (9 when not given). Only with
                output_format gif.
            frame_duration_ms (int | Unset): How long each GIF frame shows, in milliseconds (200 when not given); the API
                rounds it to 10 ms and encodes at most 655350 ms a frame. Only with output_format gif. No lower bound is
                documented, so none is checked here: the API decides.
            safety_identifier (str | Unset): A stable, preferably hashed, identifier of your end user for abuse monitoring.
                When it is given and not empty it is used instead of `user`, which still counts when it is absent.
            svg (SvgOptions | Unset): Which model writes the SVG, and how hard it reasons. Only with output_format svg; give
                `model` when the account may choose the SVG author, otherwise leave the object out. The request's own `model`
                still draws the reference image. In multipart bodies it goes out as bracketed fields: `svg[model]`,
                `svg[reasoning][effort]`.
            user (str | Unset): An identifier of the end user, which helps to detect abuse.
    """

    image: File | list[File]
    prompt: str
    background: Background | Unset = UNSET
    input_fidelity: CreateImageEditRequestInputFidelity | Unset = UNSET
    mask: File | Unset = UNSET
    markup: File | Unset = UNSET
    model: ImageModel | str | Unset = UNSET
    n: int | Unset = UNSET
    output_compression: int | Unset = UNSET
    output_format: OutputFormat | Unset = UNSET
    partial_images: int | Unset = UNSET
    quality: CreateImageEditRequestQuality | Unset = UNSET
    response_format: ResponseFormat | Unset = UNSET
    size: ImageSize | str | Unset = UNSET
    stream: bool | Unset = UNSET
    complexity: Complexity | Unset = UNSET
    frame_count: int | Unset = UNSET
    frame_duration_ms: int | Unset = UNSET
    safety_identifier: str | Unset = UNSET
    svg: SvgOptions | Unset = UNSET
    user: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        image: FileTypes | list[FileTypes]
        if isinstance(self.image, File):
            image = self.image.to_tuple()

        else:
            image = []
            for image_type_1_item_data in self.image:
                image_type_1_item = image_type_1_item_data.to_tuple()

                image.append(image_type_1_item)

        prompt = self.prompt

        background: str | Unset = UNSET
        if not isinstance(self.background, Unset):
            background = self.background.value

        input_fidelity: str | Unset = UNSET
        if not isinstance(self.input_fidelity, Unset):
            input_fidelity = self.input_fidelity.value

        mask: FileTypes | Unset = UNSET
        if not isinstance(self.mask, Unset):
            mask = self.mask.to_tuple()

        markup: FileTypes | Unset = UNSET
        if not isinstance(self.markup, Unset):
            markup = self.markup.to_tuple()

        model: str | Unset
        if isinstance(self.model, Unset):
            model = UNSET
        elif isinstance(self.model, ImageModel):
            model = self.model.value
        else:
            model = self.model

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
                "image": image,
                "prompt": prompt,
            }
        )
        if background is not UNSET:
            field_dict["background"] = background
        if input_fidelity is not UNSET:
            field_dict["input_fidelity"] = input_fidelity
        if mask is not UNSET:
            field_dict["mask"] = mask
        if markup is not UNSET:
            field_dict["markup"] = markup
        if model is not UNSET:
            field_dict["model"] = model
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

    def to_multipart(self) -> types.RequestFiles:
        files: types.RequestFiles = []

        if isinstance(self.image, File):
            files.append(("image", self.image.to_tuple()))
        else:
            _image_type_1_part_name = (
                "image" if len(self.image) == 1 else "image" + "[]"
            )
            for image_type_1_item_element in self.image:
                files.append(
                    (_image_type_1_part_name, image_type_1_item_element.to_tuple())
                )

        files.append(("prompt", (None, str(self.prompt).encode(), "text/plain")))

        if not isinstance(self.background, Unset):
            files.append(
                (
                    "background",
                    (None, str(self.background.value).encode(), "text/plain"),
                )
            )

        if not isinstance(self.input_fidelity, Unset):
            files.append(
                (
                    "input_fidelity",
                    (None, str(self.input_fidelity.value).encode(), "text/plain"),
                )
            )

        if not isinstance(self.mask, Unset):
            files.append(("mask", self.mask.to_tuple()))

        if not isinstance(self.markup, Unset):
            files.append(("markup", self.markup.to_tuple()))

        if not isinstance(self.model, Unset):
            if isinstance(self.model, ImageModel):
                files.append(
                    ("model", (None, str(self.model.value).encode(), "text/plain"))
                )
            else:
                files.append(("model", (None, str(self.model).encode(), "text/plain")))

        if not isinstance(self.n, Unset):
            files.append(("n", (None, str(self.n).encode(), "text/plain")))

        if not isinstance(self.output_compression, Unset):
            files.append(
                (
                    "output_compression",
                    (None, str(self.output_compression).encode(), "text/plain"),
                )
            )

        if not isinstance(self.output_format, Unset):
            files.append(
                (
                    "output_format",
                    (None, str(self.output_format.value).encode(), "text/plain"),
                )
            )

        if not isinstance(self.partial_images, Unset):
            files.append(
                (
                    "partial_images",
                    (None, str(self.partial_images).encode(), "text/plain"),
                )
            )

        if not isinstance(self.quality, Unset):
            files.append(
                ("quality", (None, str(self.quality.value).encode(), "text/plain"))
            )

        if not isinstance(self.response_format, Unset):
            files.append(
                (
                    "response_format",
                    (None, str(self.response_format.value).encode(), "text/plain"),
                )
            )

        if not isinstance(self.size, Unset):
            if isinstance(self.size, ImageSize):
                files.append(
                    ("size", (None, str(self.size.value).encode(), "text/plain"))
                )
            else:
                files.append(("size", (None, str(self.size).encode(), "text/plain")))

        if not isinstance(self.stream, Unset):
            files.append(
                (
                    "stream",
                    (None, ("true" if self.stream else "false").encode(), "text/plain"),
                )
            )

        if not isinstance(self.complexity, Unset):
            files.append(
                (
                    "complexity",
                    (None, str(self.complexity.value).encode(), "text/plain"),
                )
            )

        if not isinstance(self.frame_count, Unset):
            files.append(
                ("frame_count", (None, str(self.frame_count).encode(), "text/plain"))
            )

        if not isinstance(self.frame_duration_ms, Unset):
            files.append(
                (
                    "frame_duration_ms",
                    (None, str(self.frame_duration_ms).encode(), "text/plain"),
                )
            )

        if not isinstance(self.safety_identifier, Unset):
            files.append(
                (
                    "safety_identifier",
                    (None, str(self.safety_identifier).encode(), "text/plain"),
                )
            )

        if not isinstance(self.svg, Unset):
            files.extend(types.bracketed_fields("svg", self.svg.to_dict()))

        if not isinstance(self.user, Unset):
            files.append(("user", (None, str(self.user).encode(), "text/plain")))

        return files

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.svg_options import SvgOptions  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_image(data: object) -> File | list[File]:
            try:
                if not isinstance(data, bytes):
                    raise TypeError()
                image_type_0 = File(payload=BytesIO(data))

                return image_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, list):
                raise TypeError()
            image_type_1 = []
            _image_type_1 = data
            for image_type_1_item_data in _image_type_1:
                image_type_1_item = File(payload=BytesIO(image_type_1_item_data))

                image_type_1.append(image_type_1_item)

            return image_type_1

        image = _parse_image(d.pop("image"))

        prompt = d.pop("prompt")

        _background = d.pop("background", UNSET)
        background: Background | Unset
        if isinstance(_background, Unset):
            background = UNSET
        else:
            background = Background(_background)

        _input_fidelity = d.pop("input_fidelity", UNSET)
        input_fidelity: CreateImageEditRequestInputFidelity | Unset
        if isinstance(_input_fidelity, Unset):
            input_fidelity = UNSET
        else:
            input_fidelity = CreateImageEditRequestInputFidelity(_input_fidelity)

        _mask = d.pop("mask", UNSET)
        mask: File | Unset
        if isinstance(_mask, Unset):
            mask = UNSET
        else:
            mask = File(payload=BytesIO(_mask))

        _markup = d.pop("markup", UNSET)
        markup: File | Unset
        if isinstance(_markup, Unset):
            markup = UNSET
        else:
            markup = File(payload=BytesIO(_markup))

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
        quality: CreateImageEditRequestQuality | Unset
        if isinstance(_quality, Unset):
            quality = UNSET
        else:
            quality = CreateImageEditRequestQuality(_quality)

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

        create_image_edit_request = cls(
            image=image,
            prompt=prompt,
            background=background,
            input_fidelity=input_fidelity,
            mask=mask,
            markup=markup,
            model=model,
            n=n,
            output_compression=output_compression,
            output_format=output_format,
            partial_images=partial_images,
            quality=quality,
            response_format=response_format,
            size=size,
            stream=stream,
            complexity=complexity,
            frame_count=frame_count,
            frame_duration_ms=frame_duration_ms,
            safety_identifier=safety_identifier,
            svg=svg,
            user=user,
        )

        return create_image_edit_request
