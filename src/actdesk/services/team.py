"""Who is using the book, and what they may do: sign-in by name, permission checks, owner scopes.

A book without users is a solo practice: everything is allowed, as before the team feature. Once the
first user is added (who must be the practice owner), every guarded action checks the signed-in user's
role. The signed-in name comes from ``sign_in`` (the app, ``--user``), else ``ACTDESK_USER``, else the
operating-system account; it is also the "who" of every audit entry written by this process.
"""

from __future__ import annotations

import os

from sqlalchemy.orm import Session

from actdesk.domain.team import (
    MANAGE_USERS,
    ROLE_LABELS,
    Role,
    User,
    can,
    check_display_name,
    check_name,
    has_invisible,
    visible_owners,
)
from actdesk.i18n import _
from actdesk.storage import audit_log
from actdesk.storage.engine import Book
from actdesk.storage.errors import BookError, ValidationError
from actdesk.storage.repositories import team as repo

USER_ENV = "ACTDESK_USER"
_signed_in: str | None = None


class PermissionDeniedError(BookError):
    """The signed-in user's role does not allow this; nothing was read or written."""


def current_name() -> str:
    return _signed_in or os.environ.get(USER_ENV) or audit_log.os_user()


def sign_in(name: str | None) -> None:
    """Use ``name`` for permission checks and the audit trail of this process (None: back to the default)."""
    global _signed_in
    if name and has_invisible(name):  # the audit trail names this user: it must read as what it is
        raise ValidationError({"user": _("A user name cannot hold invisible control characters.")})
    _signed_in = name.strip() if name else None
    audit_log.set_app_user(_signed_in)  # without one, the audit trail reads ACTDESK_USER itself


def allowed(book: Book, permission: str) -> bool:
    """Solo books allow everything; team books ask the signed-in user's role."""
    with book.reader() as s:
        if repo.count_users(s) == 0:
            return True
        return can(repo.find_user(s, current_name()), permission)


def require(book: Book, permission: str) -> None:
    if allowed(book, permission):
        return
    name = current_name()
    with book.reader() as s:
        user = repo.find_user(s, name)
    if user is None:
        raise PermissionDeniedError(
            _(
                "{name} is not a user of this book; ask the practice owner to add you (actdesk user add)."
            ).format(name=name)
        )
    raise PermissionDeniedError(
        _("Your role ({role}) does not allow this. Ask the practice owner if you need it.").format(
            role=_(ROLE_LABELS[user.role])
        )
    )


def scope_in(s: Session) -> frozenset[str] | None:
    """The owners whose records the signed-in user sees in leaderboards and snapshots (None: all of them,
    as in a solo book). An advisor sees their own; the practice owner sees every advisor's."""
    if repo.count_users(s) == 0:
        return None
    return visible_owners(repo.find_user(s, current_name()), repo.list_users(s))


def owned_household_ids(s: Session, owners: frozenset[str]) -> set[int]:
    return repo.owned_household_ids(s, owners)


def add_user(book: Book, name: str, role: Role, display_name: str | None = None) -> User:
    """Add a user. The first user of a book must be its owner; afterwards only the owner adds users."""
    problem = check_name(name)
    if problem:
        raise ValidationError({"name": _(problem)})
    shown = check_display_name(display_name or "")
    if shown:
        raise ValidationError({"display_name": _(shown)})
    name = name.strip()
    with book.session() as s:
        first = repo.count_users(s) == 0
        if first and role is not Role.OWNER:
            raise ValidationError({"role": _("The first user of a book is its practice owner (role owner).")})
        if not first and not can(repo.find_user(s, current_name()), MANAGE_USERS):
            raise PermissionDeniedError(_("Only the practice owner adds users."))
        user = User(name=name, display_name=(display_name or name).strip(), role=role)
        repo.add_user(s, user)
    return user


def set_role(book: Book, name: str, role: Role | None = None, *, active: bool | None = None) -> User:
    """Change a user's role or (de)activate them; the book always keeps one active owner."""
    with book.session() as s:
        if not can(repo.find_user(s, current_name()), MANAGE_USERS):
            raise PermissionDeniedError(_("Only the practice owner changes roles."))
        user = repo.update_user(s, name, role=role, active=active)
        if repo.count_active_owners(s) == 0:
            raise ValidationError({"role": _("The book must keep at least one active practice owner.")})
    return user


def list_users(book: Book) -> list[User]:
    with book.reader() as s:
        return repo.list_users(s)
