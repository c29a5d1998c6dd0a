"""The one query for household names (it was written five times: schedule, pipeline, engagement, CLI...)."""

from __future__ import annotations

from datetime import date

from tests import factories as f

from actdesk.domain.enums import HouseholdStatus
from actdesk.storage.engine import Book
from actdesk.storage.repositories import activities, households
from actdesk.storage.repositories.client_periods import first_days_as_client, record_departure, record_return


def test_names_by_ids_status_and_in_name_order(book: Book) -> None:
    with book.session() as s:
        young = f.household(s, "Young household", status="prospect", since=None)
        smith = f.household(s, "Smith household", since=date(2019, 5, 1))
        abbot = f.household(s, "Abbot family")
        f.contact(s, smith, "Ann", "Smith")
        f.contact(s, smith, "Bob", "Adams")
    with book.reader() as s:
        assert list(households.household_names(s).values()) == [
            "Abbot family",
            "Smith household",
            "Young household",
        ]
        assert households.household_names(s, [young, smith]) == {
            smith: "Smith household",
            young: "Young household",
        }
        assert households.household_names(s, []) == {}
        clients = households.household_names(s, status=HouseholdStatus.CLIENT)
        assert set(clients) == {smith, abbot}
        assert first_days_as_client(s)[smith] == date(2019, 5, 1)
        assert first_days_as_client(s)[young] is None
        members = households.contact_names_by_household(s)
        assert [name for _cid, name in members[smith]] == ["Bob Adams", "Ann Smith"]
        assert activities.household_names is households.household_names  # one definition


def test_the_first_day_as_a_client_survives_a_departure_and_a_return(book: Book) -> None:
    with book.session() as s:
        back = f.household(s, "Back household", since=date(2012, 4, 2))
        record_departure(s, back, date(2018, 1, 15), "fees")
        record_return(s, back, date(2021, 9, 1))
        stayed = f.household(s, "Stayed household", since=date(2019, 5, 1))
    with book.reader() as s:
        assert households.get_household(s, back).client_since == date(2021, 9, 1)  # the current period
        assert first_days_as_client(s) == {back: date(2012, 4, 2), stayed: date(2019, 5, 1)}
        assert first_days_as_client(s, [back]) == {back: date(2012, 4, 2)}
        assert activities.household_anniversary(s, back) == date(2012, 4, 2)  # what reviews align to
