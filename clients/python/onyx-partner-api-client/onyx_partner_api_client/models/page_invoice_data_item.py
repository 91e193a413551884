from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.environment import Environment
from ..models.invoice_origin import InvoiceOrigin
from ..models.invoice_status import InvoiceStatus
from ..types import UNSET, Unset
from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.invoice_line import InvoiceLine





T = TypeVar("T", bound="PageInvoiceDataItem")



@_attrs_define
class PageInvoiceDataItem:
    """ An invoice.

        Attributes:
            id (str):  Example: inv_0mhx2k9q1002a7f3kq9zt0bw.
            number (str): The invoice number to quote in payments and correspondence. Example: INV-202611-7QK2M9XA.
            environment (Environment): The two isolated environments of every partner.
            currency (str):  Example: EUR.
            period (str): The calendar month (UTC), `YYYY-MM`. Example: 2026-11.
            period_start (datetime.datetime): The window this invoice covers: the month, or its part after an earlier close.
            period_end (datetime.datetime):
            status (InvoiceStatus):
            origin (InvoiceOrigin): How an invoice came to be.
            commitment_minor (int): The monthly commitment in force when the invoice was made (0 when none applies).
                Example: 10000.
            usage_minor (int): Captures less refunds on this invoice. Example: 6000.
            true_up_minor (int): The commitment shortfall billed on this invoice. Example: 4000.
            total_minor (int): The sum of the lines. Example: 10000.
            payment_terms_days (int):  Example: 30.
            created_at (datetime.datetime):
            updated_at (datetime.datetime):
            due_at (datetime.datetime | None | Unset): Issue time plus the payment terms (null until issued).
            issued_at (datetime.datetime | None | Unset):
            paid_at (datetime.datetime | None | Unset):
            voided_at (datetime.datetime | None | Unset):
            void_reason (None | str | Unset):
            lines (list[InvoiceLine] | None | Unset): The lines (on `GET /v1/invoices/{invoice_id}`; absent in lists).
     """

    id: str
    number: str
    environment: Environment
    currency: str
    period: str
    period_start: datetime.datetime
    period_end: datetime.datetime
    status: InvoiceStatus
    origin: InvoiceOrigin
    commitment_minor: int
    usage_minor: int
    true_up_minor: int
    total_minor: int
    payment_terms_days: int
    created_at: datetime.datetime
    updated_at: datetime.datetime
    due_at: datetime.datetime | None | Unset = UNSET
    issued_at: datetime.datetime | None | Unset = UNSET
    paid_at: datetime.datetime | None | Unset = UNSET
    voided_at: datetime.datetime | None | Unset = UNSET
    void_reason: None | str | Unset = UNSET
    lines: list[InvoiceLine] | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.invoice_line import InvoiceLine # noqa: PLC0415
        id = self.id

        number = self.number

        environment = self.environment.value

        currency = self.currency

        period = self.period

        period_start = self.period_start.isoformat()

        period_end = self.period_end.isoformat()

        status = self.status.value

        origin = self.origin.value

        commitment_minor = self.commitment_minor

        usage_minor = self.usage_minor

        true_up_minor = self.true_up_minor

        total_minor = self.total_minor

        payment_terms_days = self.payment_terms_days

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        due_at: None | str | Unset
        if isinstance(self.due_at, Unset):
            due_at = UNSET
        elif isinstance(self.due_at, datetime.datetime):
            due_at = self.due_at.isoformat()
        else:
            due_at = self.due_at

        issued_at: None | str | Unset
        if isinstance(self.issued_at, Unset):
            issued_at = UNSET
        elif isinstance(self.issued_at, datetime.datetime):
            issued_at = self.issued_at.isoformat()
        else:
            issued_at = self.issued_at

        paid_at: None | str | Unset
        if isinstance(self.paid_at, Unset):
            paid_at = UNSET
        elif isinstance(self.paid_at, datetime.datetime):
            paid_at = self.paid_at.isoformat()
        else:
            paid_at = self.paid_at

        voided_at: None | str | Unset
        if isinstance(self.voided_at, Unset):
            voided_at = UNSET
        elif isinstance(self.voided_at, datetime.datetime):
            voided_at = self.voided_at.isoformat()
        else:
            voided_at = self.voided_at

        void_reason: None | str | Unset
        if isinstance(self.void_reason, Unset):
            void_reason = UNSET
        else:
            void_reason = self.void_reason

        lines: list[dict[str, Any]] | None | Unset
        if isinstance(self.lines, Unset):
            lines = UNSET
        elif isinstance(self.lines, list):
            lines = []
            for lines_type_0_item_data in self.lines:
                lines_type_0_item = lines_type_0_item_data.to_dict()
                lines.append(lines_type_0_item)


        else:
            lines = self.lines


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "number": number,
            "environment": environment,
            "currency": currency,
            "period": period,
            "period_start": period_start,
            "period_end": period_end,
            "status": status,
            "origin": origin,
            "commitment_minor": commitment_minor,
            "usage_minor": usage_minor,
            "true_up_minor": true_up_minor,
            "total_minor": total_minor,
            "payment_terms_days": payment_terms_days,
            "created_at": created_at,
            "updated_at": updated_at,
        })
        if due_at is not UNSET:
            field_dict["due_at"] = due_at
        if issued_at is not UNSET:
            field_dict["issued_at"] = issued_at
        if paid_at is not UNSET:
            field_dict["paid_at"] = paid_at
        if voided_at is not UNSET:
            field_dict["voided_at"] = voided_at
        if void_reason is not UNSET:
            field_dict["void_reason"] = void_reason
        if lines is not UNSET:
            field_dict["lines"] = lines

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.invoice_line import InvoiceLine # noqa: PLC0415
        d = dict(src_dict)
        id = d.pop("id")

        number = d.pop("number")

        environment = Environment(d.pop("environment"))




        currency = d.pop("currency")

        period = d.pop("period")

        period_start = datetime.datetime.fromisoformat(d.pop("period_start"))




        period_end = datetime.datetime.fromisoformat(d.pop("period_end"))




        status = InvoiceStatus(d.pop("status"))




        origin = InvoiceOrigin(d.pop("origin"))




        commitment_minor = d.pop("commitment_minor")

        usage_minor = d.pop("usage_minor")

        true_up_minor = d.pop("true_up_minor")

        total_minor = d.pop("total_minor")

        payment_terms_days = d.pop("payment_terms_days")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))




        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))




        def _parse_due_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                due_at_type_0 = datetime.datetime.fromisoformat(data)



                return due_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        due_at = _parse_due_at(d.pop("due_at", UNSET))


        def _parse_issued_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                issued_at_type_0 = datetime.datetime.fromisoformat(data)



                return issued_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        issued_at = _parse_issued_at(d.pop("issued_at", UNSET))


        def _parse_paid_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                paid_at_type_0 = datetime.datetime.fromisoformat(data)



                return paid_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        paid_at = _parse_paid_at(d.pop("paid_at", UNSET))


        def _parse_voided_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                voided_at_type_0 = datetime.datetime.fromisoformat(data)



                return voided_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        voided_at = _parse_voided_at(d.pop("voided_at", UNSET))


        def _parse_void_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        void_reason = _parse_void_reason(d.pop("void_reason", UNSET))


        def _parse_lines(data: object) -> list[InvoiceLine] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                lines_type_0 = []
                _lines_type_0 = data
                for lines_type_0_item_data in (_lines_type_0):
                    lines_type_0_item = InvoiceLine.from_dict(lines_type_0_item_data)



                    lines_type_0.append(lines_type_0_item)

                return lines_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[InvoiceLine] | None | Unset, data)

        lines = _parse_lines(d.pop("lines", UNSET))


        page_invoice_data_item = cls(
            id=id,
            number=number,
            environment=environment,
            currency=currency,
            period=period,
            period_start=period_start,
            period_end=period_end,
            status=status,
            origin=origin,
            commitment_minor=commitment_minor,
            usage_minor=usage_minor,
            true_up_minor=true_up_minor,
            total_minor=total_minor,
            payment_terms_days=payment_terms_days,
            created_at=created_at,
            updated_at=updated_at,
            due_at=due_at,
            issued_at=issued_at,
            paid_at=paid_at,
            voided_at=voided_at,
            void_reason=void_reason,
            lines=lines,
        )


        page_invoice_data_item.additional_properties = d
        return page_invoice_data_item

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
