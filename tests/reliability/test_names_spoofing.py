"""Names that spoof are refused in the service too, not only on the command line: a user name or display name
with a right-to-left override or another control character never becomes an audit actor (finding 10)."""

from __future__ import annotations

import pytest

from actdesk.domain.team import Role, check_display_name, check_name
from actdesk.services.team import add_user, sign_in
from actdesk.storage.engine import Book
from actdesk.storage.errors import ValidationError

SPOOFS = ["ev\u202eli", "pat\u2066", "ann\u200bmarie", "tab\tbed", "nul\x00l", "bell\x07"]


@pytest.mark.parametrize("name", SPOOFS)
def test_user_names_with_controls_are_refused(name: str, book: Book) -> None:
    assert check_name(name) is not None
    with pytest.raises(ValidationError):
        add_user(book, name, Role.OWNER)
    if name != "ann\u200bmarie":  # a zero-width space is refused in user names, tolerated in display names
        with pytest.raises(ValidationError):
            add_user(book, "pat", Role.OWNER, display_name=f"Pat {name}")
    with pytest.raises(ValidationError):
        sign_in(name)


def test_ordinary_names_pass(book: Book) -> None:
    assert check_display_name("José Ñúñez-O'Brien") is None and check_name("ann.lee") is None
    assert add_user(book, "jose", Role.OWNER, display_name="José Ñúñez").display_name == "José Ñúñez"
