from __future__ import annotations

from collections.abc import Mapping
from io import BytesIO
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from .. import types
from ..models.background import Background
from ..models.create_image_edit_request_input_fidelity import (
    CreateImageEditRequestInputFidelity,
)
from ..models.create_image_edit_request_quality import CreateImageEditRequestQuality
from ..models.image_model import ImageModel
from ..models.image_size import ImageSize
from ..models.output_format import OutputFormat
from ..models.response_format import ResponseFormat
from ..types import UNSET, File, FileTypes, Unset

T = TypeVar("T", bound="CreateImageEditRequest")


@_attrs_define
class CreateImageEditRequest:
    """A request to edit images, sent as multipart/form-data. One image goes out as an `image` part, several as repeated
    `image[]` parts. Booleans are the strings `true` and `false`.

        Attributes:
            image (list[File]): The images to edit. GPT image models take 1 to 16 png, webp or jpeg files, each under 50 MB.
                dall-e-2 takes one square png under 4 MB; without a mask, its transparent pixels mark where to edit.
            prompt (str): The edit to make. At most 1000 characters for dall-e-2 and 32000 for the GPT image models.
            background (Background | Unset): Background of the generated images: transparent, opaque, or auto (the default,
                chosen by the model). GPT image models only; on gpt-image-2 and gpt-image-2-2026-04-21 transparent is a preview.
                transparent needs an output_format that carries alpha: png (the default) or webp.
            input_fidelity (CreateImageEditRequestInputFidelity | Unset): How closely the result keeps the style and
                features (faces especially) of the input images: high or low (the default). gpt-image-1, gpt-image-1.5 and later
                GPT image models; not gpt-image-1-mini, not dall-e-2.
            mask (File | Unset): A png, under 4 MB and of the same dimensions as the first image, whose fully transparent
                pixels mark where the first image is edited.
            model (ImageModel | str | Unset): A known image model, or any other model name: the client sends a name it does
                not know (the API may know newer models), and the API answers 404 `model_not_found` for one that does not exist.
            n (int | Unset): How many images to create, 1–10 (the default is 1). dall-e-3 only creates 1.
            output_compression (int | Unset): Compression level, 0–100 (percent), of jpeg or webp results. GPT image models
                only. Values below 100 need output_format jpeg or webp; 100, the server's default, is taken with any format.
            output_format (OutputFormat | Unset): Image file format of the results. GPT image models only; png is the
                default.
            partial_images (int | Unset): How many partial images a stream sends before the final one (0–3). With 0 the
                stream carries only the final image. The final image may arrive before all partial images when it is ready
                sooner. GPT image models only, with stream true.
            quality (CreateImageEditRequestQuality | Unset): Quality of the images. auto (the default, for every model) lets
                the model choose. GPT image models take low, medium, high or auto; dall-e-2 standard or auto.
            response_format (ResponseFormat | Unset): How dall-e-2 and dall-e-3 return images: `url` (the default; links
                stay valid for 60 minutes) or `b64_json`. GPT image models always return base64 and do not take it.
            size (ImageSize | str | Unset): WIDTHxHEIGHT in pixels, or `auto`. dall-e-2 takes 256x256, 512x512 or 1024x1024
                (default 1024x1024). dall-e-3 takes 1024x1024, 1792x1024 or 1024x1792 (default 1024x1024). The GPT image models
                take 1024x1024, 1536x1024, 1024x1536 or auto (the default). gpt-image-2 and gpt-image-2-2026-04-21 also take any
                WIDTHxHEIGHT whose sides are both multiples of 16, whose aspect ratio lies between 1:3 and 3:1, whose longer
                side is at most 3840 and whose area is at most 3840x2160 pixels; above 2560x1440 the output is experimental.
            stream (bool | Unset): Answer with a stream of server-sent events instead of one JSON document (false by
                default). GPT image models only.
            user (str | Unset): An identifier of the end user, which helps to detect abuse.
    """

    image: list[File]
    prompt: str
    background: Background | Unset = UNSET
    input_fidelity: CreateImageEditRequestInputFidelity | Unset = UNSET
    mask: File | Unset = UNSET
    model: ImageModel | str | Unset = UNSET
    n: int | Unset = UNSET
    output_compression: int | Unset = UNSET
    output_format: OutputFormat | Unset = UNSET
    partial_images: int | Unset = UNSET
    quality: CreateImageEditRequestQuality | Unset = UNSET
    response_format: ResponseFormat | Unset = UNSET
    size: ImageSize | str | Unset = UNSET
    stream: bool | Unset = UNSET
    user: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        image = []
        for image_item_data in self.image:
            image_item = image_item_data.to_tuple()

            image.append(image_item)

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
        if user is not UNSET:
            field_dict["user"] = user

        return field_dict

    def to_multipart(self) -> types.RequestFiles:
        files: types.RequestFiles = []

        _image_part_name = "image" if len(self.image) == 1 else "image" + "[]"
        for image_item_element in self.image:
            files.append((_image_part_name, image_item_element.to_tuple()))

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

        if not isinstance(self.user, Unset):
            files.append(("user", (None, str(self.user).encode(), "text/plain")))

        return files

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        image = []
        _image = d.pop("image")
        for image_item_data in _image:
            image_item = File(payload=BytesIO(image_item_data))

            image.append(image_item)

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

        user = d.pop("user", UNSET)

        create_image_edit_request = cls(
            image=image,
            prompt=prompt,
            background=background,
            input_fidelity=input_fidelity,
            mask=mask,
            model=model,
            n=n,
            output_compression=output_compression,
            output_format=output_format,
            partial_images=partial_images,
            quality=quality,
            response_format=response_format,
            size=size,
            stream=stream,
            user=user,
        )

        return create_image_edit_request
