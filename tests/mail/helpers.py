"""Small books for the mail tests."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from tests import factories as f

from actdesk.services.mail.campaigns import CampaignResult, Sender, create_campaign
from actdesk.services.mail.templates import parse_template_text
from actdesk.storage.engine import Book

TEMPLATE = """Subject: Hello {{ contact.first_name }}

{{ salutation }},

Your household {{ household.name }} is on our list.

{{ signature }}
"""


def small_book(book: Book) -> dict[str, int]:
    """Three client households and one prospect; one do-not-email, one opted out, one without an address."""
    ids: dict[str, int] = {}
    with book.session() as s:
        smith = f.household(s, "Smith household")
        ids["ann"] = f.contact(s, smith, "Ann", "Smith", email="ann@example.org", birth=date(1961, 3, 2))
        ids["bob"] = f.contact(s, smith, "Bob", "Smith", role="spouse", email="bob@example.org")
        jones = f.household(s, "Jones household")
        ids["cat"] = f.contact(s, jones, "Cat", "Jones", email="cat@example.org", do_not_email=True)
        lee = f.household(s, "Lee household")
        ids["dan"] = f.contact(
            s, lee, "Dan", "Lee", email="dan@example.org", email_opt_out_at=datetime(2025, 1, 1, tzinfo=UTC)
        )
        ids["eve"] = f.contact(s, lee, "Eve", "Lee", role="spouse")
        pro = f.household(s, "Park household", status="prospect", since=None)
        ids["fay"] = f.contact(s, pro, "Fay", "Park", email="fay@example.org")
        ids["smith"], ids["jones"], ids["lee"], ids["park"] = smith, jones, lee, pro
    return ids


def sender(cfg: Any, general: Any) -> Sender:
    return Sender.from_settings(cfg, general)


def queue(
    book: Book,
    cfg: Any,
    general: Any,
    now: datetime,
    audience: str = "status=client",
    text: str = TEMPLATE,
    **kwargs: Any,
) -> CampaignResult:
    template = parse_template_text(text, "hello")
    return create_campaign(book, template, audience, sender(cfg, general), now=now, tz=UTC, **kwargs)
