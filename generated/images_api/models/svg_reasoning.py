from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.svg_reasoning_effort import SvgReasoningEffort
from ..types import UNSET, Unset

T = TypeVar("T", bound="SvgReasoning")


@_attrs_define
class SvgReasoning:
    """How hard the SVG author thinks; its default effort when not given.

    Attributes:
        effort (SvgReasoningEffort | Unset): The SVG author's reasoning effort. Which efforts a given author model takes
            is up to that model.
    """

    effort: SvgReasoningEffort | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        effort: str | Unset = UNSET
        if not isinstance(self.effort, Unset):
            effort = self.effort.value

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if effort is not UNSET:
            field_dict["effort"] = effort

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        _effort = d.pop("effort", UNSET)
        effort: SvgReasoningEffort | Unset
        if isinstance(_effort, Unset):
            effort = UNSET
        else:
            effort = SvgReasoningEffort(_effort)

        svg_reasoning = cls(
            effort=effort,
        )

        return svg_reasoning
