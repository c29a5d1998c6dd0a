"""Audience terms the controls write: last contact (contacted within N days / quiet for N days), and the
choices the controls offer (the book's tags, cities and regions)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from tests import factories as f

from actdesk.services.mail.campaigns import AudienceError, count_audience, parse_audience
from actdesk.storage.engine import Book
from actdesk.storage.repositories.mail_audience import audience_choices

from .helpers import small_book

NOW = datetime(2026, 3, 10, 12, tzinfo=UTC)


def _names(book: Book, audience: str) -> list[str]:
    return sorted(r.contact.first_name for r in count_audience(book, audience, NOW).recipients)


def test_last_contact_terms(book: Book) -> None:
    ids = small_book(book)
    with book.session() as s:
        f.activity(s, ids["smith"], "call", completed=datetime(2026, 3, 1, tzinfo=UTC))
        f.activity(s, ids["park"], "meeting", completed=datetime(2025, 6, 1, tzinfo=UTC))
        f.activity(s, ids["park"], "task", completed=datetime(2026, 3, 9, tzinfo=UTC))  # a task is no contact
        f.activity(s, ids["park"], "call", start=datetime(2026, 3, 20, tzinfo=UTC))  # not done yet
    assert _names(book, "contacted=30") == ["Ann", "Bob"]
    assert _names(book, "quiet=180") == ["Fay"]
    assert _names(book, "status=prospect,contacted=365") == ["Fay"]
    assert _names(book, "quiet=30") == ["Fay"]


def test_a_bad_number_of_days_is_refused_with_an_example() -> None:
    with pytest.raises(AudienceError, match="quiet=90"):
        parse_audience("quiet=soon")


def test_the_controls_offer_the_books_tags_cities_and_regions(book: Book) -> None:
    ids = small_book(book)
    with book.session() as s:
        from actdesk.storage.tables.book import ContactRow, HouseholdTagRow

        s.add(HouseholdTagRow(household_id=ids["smith"], tag="golf"))
        s.add(HouseholdTagRow(household_id=ids["lee"], tag="golf"))
        s.add(HouseholdTagRow(household_id=ids["lee"], tag="sailing"))
        ann = s.get(ContactRow, ids["ann"])
        assert ann is not None
        ann.city, ann.region = "Austin", "TX"
    with book.reader() as s:
        choices = audience_choices(s)
    assert choices.tags == ("golf", "sailing")  # most used first
    assert choices.cities == ("Austin",) and choices.regions == ("TX",)


def test_starter_templates_follow_the_window_language_until_one_is_chosen() -> None:
    from actdesk.services.mail.config import MailSettings, load_mail_settings, save_mail_settings
    from actdesk.settings import Settings

    settings = Settings(raw={})
    settings.general.language = "es"
    assert load_mail_settings(settings).language == "es"
    save_mail_settings(settings, MailSettings(language="en"))
    assert load_mail_settings(settings).language == "en"  # the advisor's choice wins
