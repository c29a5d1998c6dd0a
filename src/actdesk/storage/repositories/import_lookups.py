"""What importers, merges and the log filter look up in the book: contacts to match, households by name,
accounts by number, balances and flows already there. Plain tuples, dicts and dataclasses come back."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from actdesk.storage.tables.book import AccountRow, BalanceRow, ContactRow, FlowRow, HouseholdRow


@dataclass(frozen=True, slots=True)
class UnhousedContact:
    id: int
    first_name: str
    last_name: str
    address: str | None
    postal_code: str | None
    city: str | None


def contact_match_keys(s: Session) -> list[tuple[int, str, str, str | None, str | None, date | None]]:
    """(id, first, last, e-mail, phone, birth date) of every contact, oldest first."""
    query = select(
        ContactRow.id,
        ContactRow.first_name,
        ContactRow.last_name,
        ContactRow.email,
        ContactRow.phone,
        ContactRow.birth_date,
    ).order_by(ContactRow.id)
    return [tuple(row) for row in s.execute(query)]


def contact_rows(s: Session, fields: Sequence[str]) -> Iterator[dict[str, Any]]:
    """Every contact as ``{"id": ..., field: value}``, oldest first."""
    columns = [ContactRow.id, *(getattr(ContactRow, f) for f in fields)]
    for row in s.execute(select(*columns).order_by(ContactRow.id)).mappings():
        yield dict(row)


def contacts_with_household(s: Session, fields: Sequence[str]) -> list[dict[str, Any]]:
    """Every contact's ``fields`` with its id and its household's name (``household``), by name."""
    columns = [ContactRow.id, *(getattr(ContactRow, f) for f in fields), HouseholdRow.name]
    query = (
        select(*columns)
        .outerjoin(HouseholdRow, HouseholdRow.id == ContactRow.household_id)
        .order_by(ContactRow.last_name, ContactRow.first_name, ContactRow.id)
    )
    return [dict(zip(["id", *fields, "household"], row, strict=True)) for row in s.execute(query).all()]


def unhoused_contacts(s: Session) -> list[UnhousedContact]:
    """Contacts without a household, with what groups them (address, surname, city), oldest first."""
    query = select(
        ContactRow.id,
        ContactRow.first_name,
        ContactRow.last_name,
        ContactRow.address,
        ContactRow.postal_code,
        ContactRow.city,
    ).where(ContactRow.household_id.is_(None))
    return [UnhousedContact(*row) for row in s.execute(query.order_by(ContactRow.id))]


def unhoused_among(s: Session, ids: Iterable[int]) -> list[int]:
    """Those of ``ids`` that have no household, by id."""
    query = (
        select(ContactRow.id)
        .where(ContactRow.id.in_(list(ids)), ContactRow.household_id.is_(None))
        .order_by(ContactRow.id)
    )
    return list(s.scalars(query))


def unhoused_names(s: Session, ids: Iterable[int]) -> list[tuple[int, str]]:
    """(id, "first last") of those of ``ids`` that have no household, by id."""
    query = (
        select(ContactRow.id, ContactRow.first_name, ContactRow.last_name)
        .where(ContactRow.id.in_(list(ids)), ContactRow.household_id.is_(None))
        .order_by(ContactRow.id)
    )
    return [(cid, f"{first} {last}".strip()) for cid, first, last in s.execute(query)]


def contacts_without_household(s: Session) -> list[int]:
    return list(
        s.scalars(select(ContactRow.id).where(ContactRow.household_id.is_(None)).order_by(ContactRow.id))
    )


def households_named(s: Session, folded: Iterable[str]) -> list[tuple[int, str]]:
    """(id, name) of the households whose lower-cased name is one of ``folded``."""
    query = select(HouseholdRow.id, HouseholdRow.name).where(
        func.lower(HouseholdRow.name).in_(sorted(folded))
    )
    return [(hid, name) for hid, name in s.execute(query)]


def households_with_role(s: Session, household_ids: Sequence[int], role: str) -> set[int | None]:
    """Those of ``household_ids`` that have a contact in ``role``."""
    if not household_ids:
        return set()
    query = select(ContactRow.household_id).where(
        ContactRow.household_id.in_(list(household_ids)), ContactRow.role == role
    )
    return set(s.scalars(query).all())


def households_of_contacts(s: Session, contact_ids: Sequence[int]) -> set[int]:
    """The households the contacts belong to (contacts with none are skipped)."""
    if not contact_ids:
        return set()
    query = select(ContactRow.household_id).where(
        ContactRow.id.in_(list(contact_ids)), ContactRow.household_id.is_not(None)
    )
    return {int(hid) for hid in s.scalars(query) if hid is not None}


def households_with_status(s: Session, household_ids: Sequence[int], status: str) -> list[tuple[int, int]]:
    """(id, version) of those of ``household_ids`` whose status is ``status``."""
    if not household_ids:
        return []
    rows = s.execute(
        select(HouseholdRow.id, HouseholdRow.version).where(
            HouseholdRow.id.in_(list(household_ids)), HouseholdRow.status == status
        )
    )
    return [(int(hid), int(version)) for hid, version in rows]


def household_ids(s: Session) -> set[int]:
    return set(s.scalars(select(HouseholdRow.id)))


def contact_emails(s: Session) -> list[tuple[int, int | None, str | None]]:
    """(contact id, household id, e-mail) of every contact."""
    return [tuple(row) for row in s.execute(select(ContactRow.id, ContactRow.household_id, ContactRow.email))]


def client_names(s: Session) -> list[str]:
    """Every household name, and each contact's first, last and full name (for the log filter)."""
    names = list(s.scalars(select(HouseholdRow.name)))
    for first, last in s.execute(select(ContactRow.first_name, ContactRow.last_name)):
        names += [first or "", last or "", f"{first} {last}".strip()]
    return names


def account_numbers(s: Session) -> list[tuple[int, str]]:
    """(account id, account number) of every account that has a number."""
    query = select(AccountRow.id, AccountRow.account_number).where(AccountRow.account_number.is_not(None))
    return [(aid, number) for aid, number in s.execute(query)]


def balances_of(s: Session, account_ids: Iterable[int]) -> dict[tuple[int, date], int]:
    """The balances already in the book for these accounts, by (account, date)."""
    query = select(BalanceRow.account_id, BalanceRow.date, BalanceRow.balance_cents).where(
        BalanceRow.account_id.in_(sorted(set(account_ids)))
    )
    return {(aid, day): cents for aid, day, cents in s.execute(query)}


def flows_of(s: Session, account_ids: Iterable[int]) -> set[tuple[int, date, int, str]]:
    """(account, date, amount in cents, kind) of the flows already in the book for these accounts."""
    query = select(FlowRow.account_id, FlowRow.date, FlowRow.amount_cents, FlowRow.kind).where(
        FlowRow.account_id.in_(sorted(set(account_ids)))
    )
    return {(aid, day, cents, kind) for aid, day, cents, kind in s.execute(query)}
