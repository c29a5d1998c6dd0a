"""The KPI load's SQLite-only shortcuts give what the plain statements give (issue 21, ninth wave): the
balance dated the day itself read from the covering date index before the seek, and the primary contact's
details taken from the grouped row (SQLite's bare columns) instead of a join."""

from __future__ import annotations

from datetime import date

from tests import factories as f

from actdesk.storage import book_records as br

AS_OF = date(2025, 12, 31)
YEAR_BEFORE = date(2024, 12, 31)


def _sorted(rows):
    return sorted(tuple(r) for r in rows)


def test_balances_read_on_the_day_or_by_the_seek_are_the_same(book) -> None:
    with book.session() as s:
        h = f.household(s, since=date(2020, 1, 1))
        month_ends = f.account(s, h)  # a balance on both days
        for day, amount in ((YEAR_BEFORE, 100), (date(2025, 6, 30), 150), (AS_OF, 200)):
            f.balance(s, month_ends, day, amount)
        mid_month = f.account(s, h)  # none on either day: the latest before it counts
        f.balance(s, mid_month, date(2024, 12, 15), 30)
        f.balance(s, mid_month, date(2025, 12, 20), 40)
        f.balance(s, mid_month, date(2026, 1, 31), 999)  # after the as-of date: never read
        held = f.account(s, h, managed=False)
        f.balance(s, held, date(2025, 11, 30), 70)
        later = f.account(s, f.household(s, "Late household", since=date(2025, 3, 1)))
        f.balance(s, later, date(2025, 3, 31), 5)  # nothing a year before
    days = {"d0": AS_OF, "d1": YEAR_BEFORE, "newest": AS_OF, "oldest": YEAR_BEFORE}
    with book.reader() as s:
        assert br.is_sqlite(s)
        fast = br.packed_rows(s, br._aum_statement(True, 2), days)
        plain = br.plain_rows(s, br._aum_statement(False, 2), days)
        records = br.load_book_records(s, AS_OF)
    # then, counted in the same pass: accounts, managed accounts, distinct account types
    assert (
        _sorted(fast)
        == _sorted(plain)
        == [(h, 240_00, 130_00, 70_00, 3, 2, 1), (h + 1, 5_00, None, None, 1, 1, 1)]
    )
    assert records.aum == {h: (240_00, 130_00, 70_00), h + 1: (5_00, 0, 0)}
    assert records.accounts == {h: (3, 2, 1), h + 1: (1, 1, 1)}


def test_the_primary_contact_is_the_first_with_the_role_else_the_first(book) -> None:
    with book.session() as s:
        both = f.household(s, "Both household")
        f.contact(s, both, "Sam", "Spouse", role="spouse", birth=date(1960, 1, 1), income=10)
        f.contact(s, both, "Pat", "Primary", role="primary", birth=date(1955, 5, 5), income=20, city="Lyon")
        f.contact(s, both, "Later", "Primary", role="primary", birth=date(1990, 1, 1))
        nobody_primary = f.household(s, "Spouses household")
        f.contact(s, nobody_primary, "Ada", "First", role="spouse", net_worth=5, region="Ontario")
        f.contact(s, nobody_primary, "Bo", "Second", role="child", net_worth=7)
    with book.reader() as s:
        fast = br.plain_rows(s, br._member_statement(True))
        plain = br.plain_rows(s, br._member_statement(False))
        members = br.load_book_records(s, AS_OF).members
    assert _sorted(fast) == _sorted(plain)
    assert (members[both].first_name, members[both].birth_date, members[both].city) == (
        "Pat",
        date(1955, 5, 5),
        "Lyon",
    )
    assert (members[both].members, members[both].income) == (3, 30_00)
    assert (members[nobody_primary].first_name, members[nobody_primary].region) == ("Ada", "Ontario")
    assert (members[nobody_primary].members, members[nobody_primary].net_worth) == (2, 12_00)
