from __future__ import annotations

from actdesk.domain.alerts import BookFacts, evaluate_rules

from .quiet import AS_OF, SETTINGS, quiet, run


def test_a_well_served_household_raises_nothing() -> None:
    assert run(quiet()) == []


def test_an_empty_book_raises_nothing() -> None:
    assert evaluate_rules(BookFacts.from_households(AS_OF, []), SETTINGS) == []
