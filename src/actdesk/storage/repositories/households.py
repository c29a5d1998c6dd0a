"""Households and their members: the rows of the household list, the contact card's detail, and their edits.

The list is one SQL query (AUM = the latest managed balance of each account, summed per household), so the
window can refetch it after every change without noticing. Writes check the household's version so that an
edit made elsewhere in the meantime is reported, never silently overwritten.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session, aliased
from sqlalchemy.orm.exc import StaleDataError
from sqlalchemy.sql import Subquery

from actdesk.domain.enums import ContactRole, HouseholdStatus
from actdesk.domain.models import Contact, Household, HouseholdDetail
from actdesk.domain.money import from_cents
from actdesk.i18n import _
from actdesk.storage.dialect import group_concat
from actdesk.storage.errors import ConflictError, NotFoundError, ValidationError
from actdesk.storage.repositories.client_periods import before_edit, sync_periods
from actdesk.storage.repositories.mapping import (
    account_from_row,
    activity_from_row,
    contact_from_row,
    contact_to_row,
    household_from_row,
    life_event_from_row,
    note_from_row,
)
from actdesk.storage.tables.base import utcnow
from actdesk.storage.tables.book import (
    AccountRow,
    ActivityRow,
    BalanceRow,
    ContactRow,
    HouseholdRow,
    HouseholdTagRow,
    LifeEventRow,
    NoteRow,
)


@dataclass(frozen=True, slots=True)
class HouseholdListItem:
    """One row of the household list. ``search_text`` holds every member's name, e-mail, phone and city."""

    id: int
    name: str
    status: HouseholdStatus
    primary_contact: str
    email: str
    phone: str
    city: str
    aum: Decimal
    client_since: date | None
    members: int
    search_text: str


def managed_aum_by_household() -> Subquery:
    """Sub-query: household_id, aum_cents = latest balance of each managed account, summed.

    The latest balance is one index seek per account on the (account_id, date) primary key, so the cost
    grows with the number of accounts, not with years of month-end history.
    """
    latest = (
        select(BalanceRow.balance_cents)
        .where(BalanceRow.account_id == AccountRow.id)
        .order_by(BalanceRow.date.desc())
        .limit(1)
        .correlate(AccountRow)
        .scalar_subquery()
    )
    return (
        select(AccountRow.household_id, func.sum(latest).label("aum_cents"))
        .where(AccountRow.managed.is_(True))
        .group_by(AccountRow.household_id)
        .subquery()
    )


def managed_aum_of(s: Session, household_ids: Collection[int]) -> dict[int, Decimal]:
    """Managed assets (latest balances) of the given households; those with none are absent."""
    if not household_ids:
        return {}
    aum = managed_aum_by_household()
    rows = s.execute(select(aum.c.household_id, aum.c.aum_cents).where(aum.c.household_id.in_(household_ids)))
    return {int(h): from_cents(int(c or 0)) or Decimal("0.00") for h, c in rows}


def _primary_contacts() -> Subquery:
    """Sub-query: each household's members ranked; rank 1 is shown as primary (the primary, else the first)."""
    order = case((ContactRow.role == ContactRole.PRIMARY.value, 0), else_=1)
    rank = func.row_number().over(partition_by=ContactRow.household_id, order_by=(order, ContactRow.id))
    return select(ContactRow.id, ContactRow.household_id, rank.label("rank")).subquery()


def list_households(
    s: Session,
    *,
    search: str | None = None,
    status: HouseholdStatus | None = None,
    limit: int | None = None,
) -> list[HouseholdListItem]:
    """The household list in one query; ``search`` matches name, e-mail, phone or city of any member."""
    aum = managed_aum_by_household()
    primary = _primary_contacts()
    contact = aliased(ContactRow)
    members = (
        select(
            ContactRow.household_id,
            func.count(ContactRow.id).label("n"),
            group_concat(
                s,
                func.coalesce(ContactRow.first_name, "")
                + " "
                + func.coalesce(ContactRow.last_name, "")
                + " "
                + func.coalesce(ContactRow.email, "")
                + " "
                + func.coalesce(ContactRow.phone, "")
                + " "
                + func.coalesce(ContactRow.city, ""),
                " | ",
            ).label("blob"),
        )
        .group_by(ContactRow.household_id)
        .subquery()
    )
    query = (
        select(
            HouseholdRow.id,
            HouseholdRow.name,
            HouseholdRow.status,
            HouseholdRow.client_since,
            contact.first_name,
            contact.last_name,
            contact.email,
            contact.phone,
            contact.city,
            func.coalesce(aum.c.aum_cents, 0),
            func.coalesce(members.c.n, 0),
            members.c.blob,
        )
        .outerjoin(aum, aum.c.household_id == HouseholdRow.id)
        .outerjoin(primary, and_(primary.c.household_id == HouseholdRow.id, primary.c.rank == 1))
        .outerjoin(contact, contact.id == primary.c.id)
        .outerjoin(members, members.c.household_id == HouseholdRow.id)
        .order_by(HouseholdRow.name, HouseholdRow.id)
    )
    if status is not None:
        query = query.where(HouseholdRow.status == status.value)
    if search and search.strip():
        pattern = "%" + _escape_like(search.strip()) + "%"
        member_match = (
            select(ContactRow.id)
            .where(ContactRow.household_id == HouseholdRow.id)
            .where(
                or_(
                    (ContactRow.first_name + " " + ContactRow.last_name).ilike(pattern, escape="\\"),
                    ContactRow.email.ilike(pattern, escape="\\"),
                    ContactRow.phone.ilike(pattern, escape="\\"),
                    ContactRow.city.ilike(pattern, escape="\\"),
                )
            )
            .exists()
        )
        query = query.where(or_(HouseholdRow.name.ilike(pattern, escape="\\"), member_match))
    if limit is not None:
        query = query.limit(limit)
    items = []
    for row in s.execute(query):
        (hid, name, status_text, since, first, last, email, phone, city, aum_cents, n, blob) = row
        items.append(
            HouseholdListItem(
                id=hid,
                name=name,
                status=HouseholdStatus(status_text),
                primary_contact=f"{first or ''} {last or ''}".strip(),
                email=email or "",
                phone=phone or "",
                city=city or "",
                aum=from_cents(int(aum_cents)) or Decimal("0.00"),
                client_since=since,
                members=int(n),
                search_text=f"{name} | {blob or ''}".casefold(),
            )
        )
    return items


def household_names(
    s: Session, ids: Sequence[int] | None = None, *, status: HouseholdStatus | None = None
) -> dict[int, str]:
    """id -> name of the households (all, the given ids, or those of one status), in name order.

    The one query for names: lists, pickers, reports and the command line label households with it."""
    query = select(HouseholdRow.id, HouseholdRow.name).order_by(HouseholdRow.name, HouseholdRow.id)
    if ids is not None:
        query = query.where(HouseholdRow.id.in_(list(ids)))
    if status is not None:
        query = query.where(HouseholdRow.status == status.value)
    return {int(hid): str(name) for hid, name in s.execute(query)}


def contact_names_by_household(s: Session) -> dict[int, list[tuple[int, str]]]:
    """household id -> (contact id, "First Last") of its members, by last and first name (pickers)."""
    rows = s.execute(
        select(ContactRow.id, ContactRow.household_id, ContactRow.first_name, ContactRow.last_name)
        .where(ContactRow.household_id.is_not(None))
        .order_by(ContactRow.last_name, ContactRow.first_name)
    )
    out: dict[int, list[tuple[int, str]]] = {}
    for cid, hid, first, last in rows:
        out.setdefault(int(hid), []).append((int(cid), f"{first} {last}".strip()))
    return out


def count_households(s: Session) -> int:
    return int(s.scalar(select(func.count(HouseholdRow.id))) or 0)


def get_household(s: Session, household_id: int) -> Household:
    row = s.get(HouseholdRow, household_id)
    if row is None:
        raise NotFoundError(_("household {household_id} does not exist").format(household_id=household_id))
    return household_from_row(row)


def get_detail(s: Session, household_id: int, *, activity_limit: int = 8) -> HouseholdDetail:
    """Everything the contact card shows, read in one unit of work."""
    household = get_household(s, household_id)
    contacts = [
        contact_from_row(r)
        for r in s.scalars(
            select(ContactRow)
            .where(ContactRow.household_id == household_id)
            .order_by((ContactRow.role != ContactRole.PRIMARY.value), ContactRow.id)
        )
    ]
    account_rows = list(
        s.scalars(select(AccountRow).where(AccountRow.household_id == household_id).order_by(AccountRow.id))
    )
    balances: dict[int, Decimal] = {}
    if account_rows:
        latest = (
            select(BalanceRow.account_id, func.max(BalanceRow.date).label("d"))
            .where(BalanceRow.account_id.in_([a.id for a in account_rows]))
            .group_by(BalanceRow.account_id)
            .subquery()
        )
        for account_id, cents in s.execute(
            select(BalanceRow.account_id, BalanceRow.balance_cents).join(
                latest, and_(latest.c.account_id == BalanceRow.account_id, latest.c.d == BalanceRow.date)
            )
        ):
            balances[account_id] = from_cents(cents) or Decimal("0.00")
    activities = [
        activity_from_row(r)
        for r in s.scalars(
            select(ActivityRow)
            .where(ActivityRow.household_id == household_id)
            .order_by(ActivityRow.start.desc().nulls_last(), ActivityRow.id.desc())
            .limit(activity_limit)
        )
    ]
    events = [
        life_event_from_row(r)
        for r in s.scalars(
            select(LifeEventRow)
            .where(LifeEventRow.household_id == household_id)
            .order_by(LifeEventRow.date.desc())
        )
    ]
    notes = [
        note_from_row(r)
        for r in s.scalars(
            select(NoteRow)
            .where(NoteRow.household_id == household_id)
            .order_by(NoteRow.created_at.desc(), NoteRow.id.desc())
        )
    ]
    return HouseholdDetail(
        household=household,
        contacts=contacts,
        accounts=[account_from_row(r) for r in account_rows],
        current_balances=balances,
        recent_activities=activities,
        life_events=events,
        notes=notes,
    )


def _check_leaving(household: Household) -> None:
    if household.status == HouseholdStatus.FORMER_CLIENT and not (household.leaving_reason or "").strip():
        raise ValidationError({"leaving_reason": "a household that leaves needs a leaving reason"})
    if not household.name.strip():
        raise ValidationError({"name": "a household needs a name"})


def create_household(s: Session, household: Household, contacts: Sequence[Contact] = ()) -> int:
    """Insert a household with its members in the caller's unit of work; returns the new id."""
    _check_leaving(household)
    row = HouseholdRow(
        name=household.name.strip(),
        status=household.status.value,
        client_since=household.client_since,
        client_until=household.client_until,
        leaving_reason=household.leaving_reason,
        owner=household.owner,
    )
    row.tags = [HouseholdTagRow(tag=t) for t in household.tags]
    s.add(row)
    s.flush()
    sync_periods(s, [row.id])
    for contact in contacts:
        contact.household_id = row.id
        new = ContactRow()
        contact_to_row(contact, new)
        s.add(new)
    s.flush()
    return row.id


def update_household(s: Session, household: Household, contacts: list[Contact] | None = None) -> Household:
    """Save an edited household (and, when given, its full member list: missing members are removed).

    Raises ConflictError when the household changed since ``household.version`` was read.
    """
    _check_leaving(household)
    if household.id is None:
        raise NotFoundError(_("household has no id; create it first"))
    row = s.get(HouseholdRow, household.id)
    if row is None:
        raise NotFoundError(_("household {id} no longer exists (deleted elsewhere?)").format(id=household.id))
    if row.version != household.version:
        raise ConflictError(
            _("household {name!r} was changed elsewhere; reload it and try again").format(name=household.name)
        )
    before_edit(s, row, household.client_since)
    with s.no_autoflush:
        if contacts is not None:
            _replace_members(row, contacts)
        row.name = household.name.strip()
        row.status = household.status.value
        row.client_since = household.client_since
        row.client_until = household.client_until
        row.leaving_reason = household.leaving_reason
        row.owner = household.owner
        # One UPDATE per save, even when only members changed: the version then tells others.
        row.updated_at = utcnow()
    try:
        s.flush()
    except StaleDataError:
        raise ConflictError(
            _("household {name!r} was changed elsewhere; reload it").format(name=household.name)
        ) from None
    sync_periods(s, [row.id])
    return household_from_row(row)


def _replace_members(row: HouseholdRow, contacts: list[Contact]) -> None:
    """Members given with an id are updated, without one inserted; members not given are removed."""
    existing = {c.id: c for c in row.contacts}
    keep: set[int] = set()
    for contact in contacts:
        contact.household_id = row.id
        if contact.id is not None and contact.id in existing:
            contact_to_row(contact, existing[contact.id])
            keep.add(contact.id)
        else:
            new = ContactRow()
            contact_to_row(contact, new)
            row.contacts.append(new)
    for cid, old in existing.items():
        if cid not in keep:
            row.contacts.remove(old)


def delete_household(s: Session, household_id: int, *, expected_version: int | None = None) -> None:
    row = s.get(HouseholdRow, household_id)
    if row is None:
        raise NotFoundError(_("household {household_id} no longer exists").format(household_id=household_id))
    if expected_version is not None and row.version != expected_version:
        raise ConflictError(
            _("household {name!r} was changed elsewhere; look at it again before deleting").format(
                name=row.name
            )
        )
    s.delete(row)
    s.flush()


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
