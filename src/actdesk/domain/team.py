"""Users, roles and what each role may do in a small practice. Pure: no database, no Qt.

Three roles: the practice's owner (an advisor who owns the practice), advisors, and assistants. An
assistant works the whole book for the advisors but never sees compensation; an advisor sees and ranks
their own households; the owner sees everyone's and manages the team.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from actdesk.i18n import N_


class Role(StrEnum):
    OWNER = "owner"
    ADVISOR = "advisor"
    ASSISTANT = "assistant"


ROLE_LABELS: dict[Role, str] = {
    Role.OWNER: N_("Advisor (practice owner)"),
    Role.ADVISOR: N_("Advisor"),
    Role.ASSISTANT: N_("Assistant"),
}

VIEW_COMPENSATION = "view_compensation"
MANAGE_USERS = "manage_users"
VIEW_ALL_OWNERS = "view_all_owners"
EDIT_RECORDS = "edit_records"

PERMISSIONS: dict[Role, frozenset[str]] = {
    Role.OWNER: frozenset({VIEW_COMPENSATION, MANAGE_USERS, VIEW_ALL_OWNERS, EDIT_RECORDS}),
    Role.ADVISOR: frozenset({VIEW_COMPENSATION, EDIT_RECORDS}),
    Role.ASSISTANT: frozenset({VIEW_ALL_OWNERS, EDIT_RECORDS}),
}


@dataclass(frozen=True)
class User:
    name: str  # the login-like short name that owner columns and the audit trail hold
    display_name: str
    role: Role
    active: bool = True


def can(user: User | None, permission: str) -> bool:
    """Whether ``user`` may do ``permission``. Nobody (an unknown or inactive user) may do anything guarded."""
    if user is None or not user.active:
        return False
    return permission in PERMISSIONS[user.role]


def visible_owners(user: User | None, team: list[User] | tuple[User, ...] = ()) -> frozenset[str] | None:
    """The owners whose records ``user`` sees in leaderboards and snapshots; None means all of them.

    An advisor sees their own; the owner (and an assistant, who serves the whole practice) sees all.
    ``team`` is accepted so that a later "advisor with juniors" rule can cascade without changing callers.
    """
    if user is None:
        return frozenset()
    if can(user, VIEW_ALL_OWNERS):
        return None
    return frozenset({user.name})


def cascade(
    per_owner: dict[str | None, int], team: list[User] | tuple[User, ...]
) -> dict[str, dict[str | None, int] | int]:
    """Per-advisor figures rolled up to the practice: each advisor's own line, then the practice total,
    which the owner sees (records without an owner count toward the practice only)."""
    advisors = {u.name for u in team if u.role in (Role.OWNER, Role.ADVISOR)}
    lines: dict[str | None, int] = {name: int(per_owner.get(name, 0)) for name in sorted(advisors)}
    others = sum(v for k, v in per_owner.items() if k not in advisors)
    if others:
        lines[None] = others
    return {"advisors": lines, "practice": sum(int(v) for v in per_owner.values())}


def check_name(name: str) -> str | None:
    """Why ``name`` cannot be a user name, or None if it can."""
    text = name.strip()
    if not text:
        return N_("A user name cannot be empty.")
    if len(text) > 100:
        return N_("A user name has at most 100 characters.")
    if any(ch.isspace() for ch in text):
        return N_("A user name has no spaces (use e.g. ann or ann.lee).")
    if has_invisible(text):
        return N_("A user name cannot hold invisible control characters.")
    return None


def has_invisible(text: str) -> bool:
    """Control or format characters (bidi overrides, zero-width marks, NUL...): never in an identifier."""
    return any(unicodedata.category(ch) in ("Cc", "Cf") for ch in text)


# Bidi embeddings, overrides and isolates, and C0/C1 controls: text that displays as something it is not
# (an audit actor "ev\u202eli" reads as another name).
_SPOOFING = frozenset([*map(chr, range(0x00, 0x20)), *map(chr, range(0x7F, 0xA0)), *map(chr, range(0x202A, 0x202F)),
                       *map(chr, range(0x2066, 0x206A))])  # fmt: skip


def check_display_name(name: str) -> str | None:
    """Why ``name`` cannot be shown as a person's name, or None if it can."""
    if len(name) > 200:
        return N_("A display name has at most 200 characters.")
    if any(ch in _SPOOFING for ch in name):
        return N_("A display name cannot hold invisible control characters.")
    return None
