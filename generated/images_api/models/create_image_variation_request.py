from __future__ import annotations

from collections.abc import Mapping
from io import BytesIO
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from .. import types
from ..models.create_image_variation_request_size import CreateImageVariationRequestSize
from ..models.image_model import ImageModel
from ..models.response_format import ResponseFormat
from ..types import UNSET, File, Unset

T = TypeVar("T", bound="CreateImageVariationRequest")


@_attrs_define
class CreateImageVariationRequest:
    """A request for variations of an image, sent as multipart/form-data.

    Attributes:
        image (File): The source image, one square png under 4 MB.
        model (ImageModel | str | Unset): A known image model, or any other model name: the client sends a name it does
            not know (the API may know newer models), and the API answers 404 `model_not_found` for one that does not exist.
            Name the model: since dall-e-2 was retired (2026-05-12) a request without one has no documented default. Retired
            models are answered 404 model_not_found: dall-e-2 and dall-e-3 since 2026-05-12, gpt-image-1 since 2026-10-23
            (its successors are gpt-image-2.5-sunburst and gpt-image-2.5-flare).
        n (int | Unset): How many images to create, 1–10 (the default is 1). dall-e-3 only creates 1.
        response_format (ResponseFormat | Unset): How dall-e-2 and dall-e-3 return images: `url` (the default; links
            stay valid for 60 minutes) or `b64_json`. GPT image models always return base64 and do not take it.
        size (CreateImageVariationRequestSize | Unset): Size of the variations; 1024x1024 by default.
        user (str | Unset): An identifier of the end user, which helps to detect abuse.
    """

    image: File
    model: ImageModel | str | Unset = UNSET
    n: int | Unset = UNSET
    response_format: ResponseFormat | Unset = UNSET
    size: CreateImageVariationRequestSize | Unset = UNSET
    user: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        image = self.image.to_tuple()

        model: str | Unset
        if isinstance(self.model, Unset):
            model = UNSET
        elif isinstance(self.model, ImageModel):
            model = self.model.value
        else:
            model = self.model

        n = self.n

        response_format: str | Unset = UNSET
        if not isinstance(self.response_format, Unset):
            response_format = self.response_format.value

        size: str | Unset = UNSET
        if not isinstance(self.size, Unset):
            size = self.size.value

        user = self.user

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "image": image,
            }
        )
        if model is not UNSET:
            field_dict["model"] = model
        if n is not UNSET:
            field_dict["n"] = n
        if response_format is not UNSET:
            field_dict["response_format"] = response_format
        if size is not UNSET:
            field_dict["size"] = size
        if user is not UNSET:
            field_dict["user"] = user

        return field_dict

    def to_multipart(self) -> types.RequestFiles:
        files: types.RequestFiles = []

        files.append(("image", self.image.to_tuple()))

        if not isinstance(self.model, Unset):
            if isinstance(self.model, ImageModel):
                files.append(
                    ("model", (None, str(self.model.value).encode(), "text/plain"))
                )
            else:
                files.append(("model", (None, str(self.model).encode(), "text/plain")))

        if not isinstance(self.n, Unset):
            files.append(("n", (None, str(self.n).encode(), "text/plain")))

        if not isinstance(self.response_format, Unset):
            files.append(
                (
                    "response_format",
                    (None, str(self.response_format.value).encode(), "text/plain"),
                )
            )

        if not isinstance(self.size, Unset):
            files.append(("size", (None, str(self.size.value).encode(), "text/plain")))

        if not isinstance(self.user, Unset):
            files.append(("user", (None, str(self.user).encode(), "text/plain")))

        return files

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        image = File(payload=BytesIO(d.pop("image")))

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

        _response_format = d.pop("response_format", UNSET)
        response_format: ResponseFormat | Unset
        if isinstance(_response_format, Unset):
            response_format = UNSET
        else:
            response_format = ResponseFormat(_response_format)

        _size = d.pop("size", UNSET)
        size: CreateImageVariationRequestSize | Unset
        if isinstance(_size, Unset):
            size = UNSET
        else:
            size = CreateImageVariationRequestSize(_size)

        user = d.pop("user", UNSET)

        create_image_variation_request = cls(
            image=image,
            model=model,
            n=n,
            response_format=response_format,
            size=size,
            user=user,
        )

        return create_image_variation_request
