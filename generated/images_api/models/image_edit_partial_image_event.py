from __future__ import annotations

from collections.abc import Mapping
from typing import (
    Any,
    Literal,
    TypeVar,
    cast,
)

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ImageEditPartialImageEvent")


@_attrs_define
class ImageEditPartialImageEvent:
    """A partial image produced while an edit streams.

    Attributes:
        type_ (Literal['image_edit.partial_image']):
        b64_json (str): The partial image, base64-encoded.
        background (str): The requested background (transparent, opaque or auto).
        created_at (int): When the event was created, in Unix seconds.
        output_format (str): The requested file format (png, webp or jpeg).
        partial_image_index (int): The 0-based index of this partial image.
        quality (str): The requested quality (low, medium, high or auto).
        size (str): The requested size (WIDTHxHEIGHT or auto).
    """

    type_: Literal["image_edit.partial_image"]
    b64_json: str
    background: str
    created_at: int
    output_format: str
    partial_image_index: int
    quality: str
    size: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        b64_json = self.b64_json

        background = self.background

        created_at = self.created_at

        output_format = self.output_format

        partial_image_index = self.partial_image_index

        quality = self.quality

        size = self.size

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
                "b64_json": b64_json,
                "background": background,
                "created_at": created_at,
                "output_format": output_format,
                "partial_image_index": partial_image_index,
                "quality": quality,
                "size": size,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        type_ = cast(Literal["image_edit.partial_image"], d.pop("type"))
        if type_ != "image_edit.partial_image":
            raise ValueError(
                f"type must match const 'image_edit.partial_image', got '{type_}'"
            )

        b64_json = d.pop("b64_json")

        background = d.pop("background")

        created_at = d.pop("created_at")

        output_format = d.pop("output_format")

        partial_image_index = d.pop("partial_image_index")

        quality = d.pop("quality")

        size = d.pop("size")

        image_edit_partial_image_event = cls(
            type_=type_,
            b64_json=b64_json,
            background=background,
            created_at=created_at,
            output_format=output_format,
            partial_image_index=partial_image_index,
            quality=quality,
            size=size,
        )

        image_edit_partial_image_event.additional_properties = d
        return image_edit_partial_image_event

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
