"""The alerts' child process writes its explanations in the window's language (it is spawned in English)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from tests.alerts.books import AS_OF, build

from actdesk import i18n
from actdesk.domain.alerts import AlertSettings
from actdesk.services.alerts.child import ChildProcess
from actdesk.services.alerts.evaluation import evaluate_book, evaluate_with_child
from actdesk.storage.engine import Book

NOW = datetime(2026, 11, 30, 12, tzinfo=UTC)


def _never() -> bool:
    return False


@pytest.fixture
def spanish() -> Iterator[None]:
    i18n.set_language("es")
    yield
    i18n.set_language("en")


def test_the_child_runs_in_the_language_of_the_window(spanish: None) -> None:
    child = ChildProcess()
    try:
        assert child.run(i18n.current_language, should_stop=_never) == "es"
        assert child.run(i18n.current_locale, should_stop=_never) == "es_ES"
        i18n.set_language("en")  # switched in Preferences while the child lives
        assert child.run(i18n.current_language, should_stop=_never) == "en"
    finally:
        assert child.shutdown()


def test_alert_explanations_from_the_child_are_spanish(book: Book, spanish: None) -> None:
    build(book)
    child = ChildProcess()
    try:
        remote = evaluate_with_child(book, AS_OF, NOW, AlertSettings(), child, should_stop=_never)
    finally:
        assert child.shutdown()
    assert remote.in_child and remote.findings
    local = evaluate_book(book, AS_OF, NOW, persist=False)  # in this process, in Spanish
    assert [f.explanation for f in remote.findings] == [f.explanation for f in local.findings]
    i18n.set_language("en")
    english = evaluate_book(book, AS_OF, NOW, persist=False)
    assert {f.explanation for f in remote.findings}.isdisjoint({f.explanation for f in english.findings})
