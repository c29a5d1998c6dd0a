"""Merge fields of a household that left and came back (issue 20): ``client_years`` keeps counting the
current period, ``tenure_years`` adds every period up, ``first_client_since`` and ``returned_on`` say when."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from tests import factories as f

from actdesk.cli import main
from actdesk.domain.analytics.periods import ClientPeriod, years_in_all
from actdesk.services.mail.merge_fields import merge_fields

TEMPLATE = (
    "Subject: Hello\n\n"
    "since={{ household.client_since }}|years={{ client_years }}|tenure={{ tenure_years }}|"
    "first={{ first_client_since }}|back={{ returned_on }}\n"
)


def _preview(capsys: pytest.CaptureFixture[str], path: str, template: Path, contact: int) -> str:
    assert (
        main(["--db", path, "mail", "preview", "--template", str(template), "--contact", str(contact)]) == 0
    )
    return next(line for line in capsys.readouterr().out.splitlines() if line.startswith("since="))


def test_merge_fields_of_a_returning_client(book, db_path: Path, tmp_path: Path, capsys) -> None:
    with book.session() as s:
        long, lou = f.long_former_client(s, email="lou@example.com")
        steady = f.household(s, "Steady household", since=date(2020, 1, 1))
        sam = f.contact(s, steady, "Sam", "Steady", email="sam@example.com")
    book.dispose()
    path, template = str(db_path), tmp_path / "periods.txt"
    template.write_text(TEMPLATE, encoding="utf-8")

    gone = _preview(capsys, path, template, lou)
    assert "|back=" in gone and gone.endswith("|back=") and "first=Jan 1, 2015" in gone

    assert main(["--db", path, "household", "return", str(long), "--on", "2025-02-01", "--json"]) == 0
    capsys.readouterr()
    today = date.today()
    periods = [
        ClientPeriod(long, date(2015, 1, 1), date(2024, 3, 31)),
        ClientPeriod(long, date(2025, 2, 1), None),
    ]
    years_back = today.year - 2025 - ((today.month, today.day) < (2, 1))
    tenure = years_in_all(periods, today)  # whole calendar years of the periods added up
    assert tenure >= years_back + 9  # the nine years before leaving count
    assert _preview(capsys, path, template, lou) == (
        f"since=Feb 1, 2025|years={years_back}|tenure={tenure}|first=Jan 1, 2015|back=Feb 1, 2025"
    )
    never_left = _preview(capsys, path, template, sam)
    years = today.year - 2020 - ((today.month, today.day) < (1, 1))
    assert never_left == f"since=Jan 1, 2020|years={years}|tenure={years}|first=Jan 1, 2020|back="


def test_the_new_fields_are_offered_with_labels() -> None:
    labels = {m.name: m.label for m in merge_fields()}
    assert labels["tenure_years"] == "Years as a client, every period added up"
    assert labels["returned_on"] == "Came back as a client on"
    assert labels["first_client_since"] == "First became a client"
