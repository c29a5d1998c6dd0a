"""The practice's users: read and write the ``users`` table, returning domain ``User`` values."""

from __future__ import annotations

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from actdesk.domain.team import Role, User
from actdesk.i18n import _
from actdesk.storage.errors import NotFoundError, ValidationError
from actdesk.storage.tables.team import UserRow


def _user(row: UserRow) -> User:
    return User(name=row.name, display_name=row.display_name, role=Role(row.role), active=row.active)


def list_users(s: Session) -> list[User]:
    return [_user(r) for r in s.scalars(select(UserRow).order_by(UserRow.name))]


def count_users(s: Session) -> int:
    return int(s.scalar(select(func.count()).select_from(UserRow)) or 0)


def find_user(s: Session, name: str) -> User | None:
    row = s.scalar(select(UserRow).where(UserRow.name == name))
    return None if row is None else _user(row)


def add_user(s: Session, user: User) -> None:
    if s.scalar(select(UserRow.id).where(UserRow.name == user.name)) is not None:
        raise ValidationError({"name": f"there is already a user named {user.name!r}"})
    s.add(UserRow(name=user.name, display_name=user.display_name, role=user.role.value, active=user.active))
    s.flush()


def update_user(s: Session, name: str, *, role: Role | None = None, active: bool | None = None) -> User:
    row = s.scalar(select(UserRow).where(UserRow.name == name))
    if row is None:
        raise NotFoundError(_("no user named {name!r}").format(name=name))
    if role is not None:
        row.role = role.value
    if active is not None:
        row.active = active
    s.flush()
    return _user(row)


def count_active_owners(s: Session) -> int:
    return int(
        s.scalar(
            select(func.count())
            .select_from(UserRow)
            .where(UserRow.role == Role.OWNER.value, UserRow.active.is_(True))
        )
        or 0
    )


def owned_households(owners: frozenset[str]) -> Select[tuple[int]]:
    """The ids of the households owned by any of ``owners``, as a query to use in ``IN (...)``."""
    from actdesk.storage.tables.book import HouseholdRow

    return select(HouseholdRow.id).where(HouseholdRow.owner.in_(sorted(owners)))


def owned_household_ids(s: Session, owners: frozenset[str]) -> set[int]:
    """The households owned by any of ``owners`` (an advisor's part of the book)."""
    if not owners:
        return set()
    return {int(h) for h in s.scalars(owned_households(owners))}
