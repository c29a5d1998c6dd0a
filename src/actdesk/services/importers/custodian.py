"""Balances, positions and flows from custodian CSV files, with a saved mapping per custodian.

Custodians (Schwab, Fidelity, Pershing, ...) each lay out their files differently, so the user names the
columns once and saves the mapping. A row with a market value gives the account's balance on that date
(position files, with a symbol column, are summed per account and date); a row with an amount gives a
flow, its kind from the transaction type. Outflows (withdrawals, transfers out, fees) are stored negative.
Accounts are matched by ``accounts.account_number`` ignoring spaces, dashes and case; rows for accounts
not in the book are rejected and listed, never guessed.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from actdesk.domain.enums import FlowKind
from actdesk.domain.money import to_cents
from actdesk.i18n import N_, _
from actdesk.services.importers.errors import ImportFileError
from actdesk.services.importers.records import Rejection, RowError, excerpt, parse_date
from actdesk.services.importers.sniff import CsvTable, read_csv
from actdesk.storage.repositories import import_lookups
from actdesk.storage.repositories.import_batches import BatchRecorder, bulk_insert

DEFAULT_TYPES: dict[str, str] = {
    "deposit": "deposit",
    "contribution": "deposit",
    "check deposit": "deposit",
    "wire in": "deposit",
    "withdrawal": "withdrawal",
    "distribution": "withdrawal",
    "wire out": "withdrawal",
    "transfer in": "transfer_in",
    "acat in": "transfer_in",
    "journal in": "transfer_in",
    "transfer out": "transfer_out",
    "acat out": "transfer_out",
    "journal out": "transfer_out",
    "fee": "fee",
    "advisory fee": "fee",
    "management fee": "fee",
}
OUTFLOWS = {FlowKind.WITHDRAWAL.value, FlowKind.TRANSFER_OUT.value, FlowKind.FEE.value}


@dataclass(frozen=True)
class CustodianMapping:
    """Which columns of one custodian's file hold what. Saved by name (see :mod:`mappings`)."""

    name: str
    account_col: str
    date_col: str
    market_value_col: str | None = None
    amount_col: str | None = None
    type_col: str | None = None
    symbol_col: str | None = None
    date_order: str = "mdy"
    decimal_comma: bool = False
    types: dict[str, str] = field(default_factory=dict)

    def validate(self, headers: tuple[str, ...] | None = None) -> None:
        if not self.market_value_col and not self.amount_col:
            raise ImportFileError(
                _("mapping {name!r} needs a market value column, an amount column, or both").format(
                    name=self.name
                )
            )
        if self.date_order not in ("mdy", "dmy", "ymd"):
            raise ImportFileError(
                _("mapping {name!r}: date order must be mdy, dmy or ymd").format(name=self.name)
            )
        bad = sorted(v for v in self.types.values() if v not in {k.value for k in FlowKind})
        if bad:
            raise ImportFileError(
                _("mapping {name!r}: unknown flow kinds {items}").format(name=self.name, items=", ".join(bad))
            )
        if headers is not None:
            wanted = [
                c
                for c in (
                    self.account_col,
                    self.date_col,
                    self.market_value_col,
                    self.amount_col,
                    self.type_col,
                    self.symbol_col,
                )
                if c
            ]
            missing = [c for c in wanted if c not in headers]
            if missing:
                raise ImportFileError(
                    _(
                        "the file has no column {missing_0!r} that mapping {name!r} expects (it has: {items})"
                    ).format(missing_0=missing[0], name=self.name, items=", ".join(headers[:12]))
                )


@dataclass(frozen=True, slots=True)
class BalanceLine:
    line: int
    account_id: int
    account_number: str
    day: date
    cents: int
    old_cents: int | None


@dataclass(frozen=True, slots=True)
class FlowLine:
    line: int
    account_id: int
    account_number: str
    day: date
    cents: int
    kind: str


@dataclass(slots=True)
class CustodianPreview:
    mapping: str
    file_name: str | None
    balances: list[BalanceLine] = field(default_factory=list)
    flows: list[FlowLine] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    unmatched_accounts: dict[str, list[int]] = field(default_factory=dict)

    @property
    def counts(self) -> dict[str, int]:
        return {
            "balances": len(self.balances),
            "flows": len(self.flows),
            "rejected": len(self.rejected),
            "unmatched_accounts": len(self.unmatched_accounts),
        }


def account_key(number: str) -> str:
    return re.sub(r"[\s\-./]", "", number).upper()


def parse_amount(text: str, decimal_comma: bool = False) -> Decimal:
    """$1,234.56, (1,234.56), -1234.56, 1.234,56 (decimal comma) -> Decimal. Raises RowError."""
    value = text.strip().replace("\u00a0", "").replace(" ", "")
    negative = value.startswith("(") and value.endswith(")")
    value = value.strip("()").replace("$", "").replace("€", "").replace("£", "")
    if value.endswith("-"):
        negative, value = True, value[:-1]
    value = value.replace(".", "").replace(",", ".") if decimal_comma else value.replace(",", "")
    try:
        amount = Decimal(value)
    except InvalidOperation:
        raise RowError(_("{value!r} is not an amount").format(value=text.strip())) from None
    if not amount.is_finite() or abs(amount) >= Decimal("1e13"):
        raise RowError(_("{value!r} is not an amount").format(value=text.strip()))
    return -amount if negative else amount


def build_custodian_preview(
    s: Session, table: CsvTable, mapping: CustodianMapping, file_name: str | None = None
) -> CustodianPreview:
    mapping.validate(table.headers)
    col = {h: i for i, h in enumerate(table.headers)}
    accounts: dict[str, int] = {}
    for account_id, number in import_lookups.account_numbers(s):
        accounts.setdefault(account_key(number), account_id)
    types = {**DEFAULT_TYPES, **{k.casefold(): v for k, v in mapping.types.items()}}
    preview = CustodianPreview(mapping=mapping.name, file_name=file_name)
    totals: dict[tuple[int, date], int] = defaultdict(int)
    first_line: dict[tuple[int, date], tuple[int, str]] = {}
    for line, cells in table.rows:

        def get(name: str | None, cells: tuple[str, ...] = cells) -> str:
            if not name:
                return ""
            i = col[name]
            return cells[i].strip() if i < len(cells) else ""

        try:
            number = get(mapping.account_col)
            if not number:
                raise RowError(_("no account number"))
            day = parse_date(get(mapping.date_col), mapping.date_order, N_("date"))
            if day is None:
                raise RowError(_("no date"))
            aid = accounts.get(account_key(number))
            if aid is None:
                preview.unmatched_accounts.setdefault(number, []).append(line)
                raise RowError(_("no account numbered {number} in the book").format(number=number))
            value_text, amount_text = get(mapping.market_value_col), get(mapping.amount_col)
            if not value_text and not amount_text:
                raise RowError(_("neither a market value nor an amount"))
            if value_text:
                cents = to_cents(parse_amount(value_text, mapping.decimal_comma))
                totals[(aid, day)] += cents
                first_line.setdefault((aid, day), (line, number))
            if amount_text:
                amount = to_cents(parse_amount(amount_text, mapping.decimal_comma))
                raw_type = get(mapping.type_col).casefold()
                if raw_type:
                    kind = types.get(raw_type, FlowKind.OTHER.value)
                else:
                    kind = FlowKind.DEPOSIT.value if amount >= 0 else FlowKind.WITHDRAWAL.value
                if kind in OUTFLOWS:
                    amount = -abs(amount)
                preview.flows.append(FlowLine(line, aid, number, day, amount, kind))
        except RowError as exc:
            preview.rejected.append(Rejection(line, str(exc), excerpt(cells)))
    if totals:
        existing = import_lookups.balances_of(s, (a for a, _d in totals))
        for (aid, day), cents in sorted(totals.items(), key=lambda kv: first_line[kv[0]][0]):
            line, number = first_line[(aid, day)]
            preview.balances.append(BalanceLine(line, aid, number, day, cents, existing.get((aid, day))))
    _drop_known_flows(s, preview)
    return preview


def _drop_known_flows(s: Session, preview: CustodianPreview) -> None:
    """A flow already in the book (same account, date, amount, kind) is not added twice on re-import."""
    if not preview.flows:
        return
    ids = sorted({f.account_id for f in preview.flows})
    known = import_lookups.flows_of(s, ids)
    kept = []
    for flow in preview.flows:
        if (flow.account_id, flow.day, flow.cents, flow.kind) in known:
            preview.rejected.append(
                Rejection(flow.line, _("this flow is already in the book"), flow.account_number)
            )
        else:
            kept.append(flow)
    preview.flows = kept
    preview.rejected.sort(key=lambda r: r.line)


def apply_custodian_preview(s: Session, preview: CustodianPreview, now: datetime) -> int:
    """Write balances (insert or update) and flows as one batch; returns the batch id."""
    batch = BatchRecorder(s, "balances", preview.file_name, now)
    balances, flows = "balances", "flows"
    added = changed = 0
    for b in preview.balances:
        key: dict[str, Any] = {"account_id": b.account_id, "date": b.day}
        if b.old_cents is None:
            batch.insert(balances, key, {"balance_cents": b.cents})
            added += 1
        elif b.old_cents != b.cents:
            batch.update(balances, key, {"balance_cents": b.cents})
            changed += 1
    if preview.flows:
        rows = [
            {"account_id": f.account_id, "date": f.day, "amount_cents": f.cents, "kind": f.kind}
            for f in preview.flows
        ]
        for row, fid in zip(rows, bulk_insert(s, flows, rows), strict=True):
            batch.inserted(flows, {"id": fid}, row)
            added += 1
    return batch.finish(added=added, changed=changed, rejected=len(preview.rejected))


def read_custodian_file(s: Session, path: Path, mapping: CustodianMapping) -> CustodianPreview:
    return build_custodian_preview(s, read_csv(path), mapping, path.name)
