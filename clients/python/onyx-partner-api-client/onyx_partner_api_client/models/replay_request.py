from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="ReplayRequest")



@_attrs_define
class ReplayRequest:
    """ 
        Example:
            {'endpoint_id': 'we_0mhx2k9q1002a7f3kq9zt0bw'}

        Attributes:
            endpoint_id (None | str | Unset): Only to this endpoint; default: every enabled endpoint subscribed to the type.
     """

    endpoint_id: None | str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        endpoint_id: None | str | Unset
        if isinstance(self.endpoint_id, Unset):
            endpoint_id = UNSET
        else:
            endpoint_id = self.endpoint_id


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if endpoint_id is not UNSET:
            field_dict["endpoint_id"] = endpoint_id

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        def _parse_endpoint_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        endpoint_id = _parse_endpoint_id(d.pop("endpoint_id", UNSET))


        replay_request = cls(
            endpoint_id=endpoint_id,
        )

        return replay_request

