from __future__ import annotations

from collections.abc import Mapping
from typing import (
    TYPE_CHECKING,
    Any,
    Literal,
    TypeVar,
    cast,
)

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.images_usage import ImagesUsage


T = TypeVar("T", bound="ImageGenCompletedEvent")


@_attrs_define
class ImageGenCompletedEvent:
    """The final image of a streamed generation.

    Attributes:
        type_ (Literal['image_generation.completed']):
        b64_json (str): The final image, base64-encoded.
        background (str): The background used (transparent, opaque or auto).
        created_at (int): When the event was created, in Unix seconds.
        output_format (str): The file format (png, webp or jpeg).
        quality (str): The quality used (low, medium, high or auto).
        size (str): The size (WIDTHxHEIGHT or auto).
        usage (ImagesUsage): Token accounting of a GPT image model request.
        safety_identifier (str | Unset): The end-user identifier the request was monitored under.
    """

    type_: Literal["image_generation.completed"]
    b64_json: str
    background: str
    created_at: int
    output_format: str
    quality: str
    size: str
    usage: ImagesUsage
    safety_identifier: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        b64_json = self.b64_json

        background = self.background

        created_at = self.created_at

        output_format = self.output_format

        quality = self.quality

        size = self.size

        usage = self.usage.to_dict()

        safety_identifier = self.safety_identifier

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
                "b64_json": b64_json,
                "background": background,
                "created_at": created_at,
                "output_format": output_format,
                "quality": quality,
                "size": size,
                "usage": usage,
            }
        )
        if safety_identifier is not UNSET:
            field_dict["safety_identifier"] = safety_identifier

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.images_usage import ImagesUsage  # noqa: PLC0415

        d = dict(src_dict)
        type_ = cast(Literal["image_generation.completed"], d.pop("type"))
        if type_ != "image_generation.completed":
            raise ValueError(
                f"type must match const 'image_generation.completed', got '{type_}'"
            )

        b64_json = d.pop("b64_json")

        background = d.pop("background")

        created_at = d.pop("created_at")

        output_format = d.pop("output_format")

        quality = d.pop("quality")

        size = d.pop("size")

        usage = ImagesUsage.from_dict(d.pop("usage"))

        safety_identifier = d.pop("safety_identifier", UNSET)

        image_gen_completed_event = cls(
            type_=type_,
            b64_json=b64_json,
            background=background,
            created_at=created_at,
            output_format=output_format,
            quality=quality,
            size=size,
            usage=usage,
            safety_identifier=safety_identifier,
        )

        image_gen_completed_event.additional_properties = d
        return image_gen_completed_event

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
