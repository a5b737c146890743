from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.svg_reasoning import SvgReasoning


T = TypeVar("T", bound="SvgOptions")


@_attrs_define
class SvgOptions:
    """Which model writes the SVG, and how hard it reasons. Only with output_format svg; give `model` when the account may
    choose the SVG author, otherwise leave the object out. The request's own `model` still draws the reference image. In
    multipart bodies it goes out as bracketed fields: `svg[model]`, `svg[reasoning][effort]`.

        Attributes:
            model (str | Unset): The model that writes the SVG.
            reasoning (None | SvgReasoning | Unset):
    """

    model: str | Unset = UNSET
    reasoning: None | SvgReasoning | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.svg_reasoning import SvgReasoning  # noqa: PLC0415

        model = self.model

        reasoning: dict[str, Any] | None | Unset
        if isinstance(self.reasoning, Unset):
            reasoning = UNSET
        elif isinstance(self.reasoning, SvgReasoning):
            reasoning = self.reasoning.to_dict()
        else:
            reasoning = self.reasoning

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if model is not UNSET:
            field_dict["model"] = model
        if reasoning is not UNSET:
            field_dict["reasoning"] = reasoning

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.svg_reasoning import SvgReasoning  # noqa: PLC0415

        d = dict(src_dict)
        model = d.pop("model", UNSET)

        def _parse_reasoning(data: object) -> None | SvgReasoning | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                reasoning_type_0 = SvgReasoning.from_dict(data)

                return reasoning_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SvgReasoning | Unset, data)

        reasoning = _parse_reasoning(d.pop("reasoning", UNSET))

        svg_options = cls(
            model=model,
            reasoning=reasoning,
        )

        return svg_options
