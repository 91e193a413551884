from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.author import Author





T = TypeVar("T", bound="Comment")



@_attrs_define
class Comment:
    """ 
        Attributes:
            id (str):  Example: cmt_0mhx2k9q1002a7f3kq9zt0bw.
            author (Author): Who wrote a comment or opened a case.
            body (str):
            created_at (datetime.datetime):
     """

    id: str
    author: Author
    body: str
    created_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.author import Author # noqa: PLC0415
        id = self.id

        author = self.author.to_dict()

        body = self.body

        created_at = self.created_at.isoformat()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "author": author,
            "body": body,
            "created_at": created_at,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.author import Author # noqa: PLC0415
        d = dict(src_dict)
        id = d.pop("id")

        author = Author.from_dict(d.pop("author"))




        body = d.pop("body")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))




        comment = cls(
            id=id,
            author=author,
            body=body,
            created_at=created_at,
        )


        comment.additional_properties = d
        return comment

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
