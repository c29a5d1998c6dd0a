"""The card's attention facts read by one repository call, checked against the analytics they summarise."""

from __future__ import annotations

from datetime import UTC, date, datetime

from actdesk.storage.repositories.attention import attention
from actdesk.storage.repositories.households import list_households

AS_OF = date(2026, 10, 31)
NOW = datetime(2026, 10, 31, 18, tzinfo=UTC)


def test_segments_agree_with_the_analytics(book) -> None:
    from actdesk.services import analytics
    from actdesk.services.demo import DemoOptions, generate_demo

    generate_demo(book, DemoOptions(households=60, seed=3, as_of=AS_OF))
    expected = analytics.segments_for(book, AS_OF)
    with book.reader() as s:
        rows = list_households(s)
        found = {r.id: attention(s, r.id, NOW).segment for r in rows}
    assert {h: seg for h, seg in found.items() if seg is not None} == expected
    client = next(r for r in rows if r.status.value == "client" and r.aum > 0)
    with book.reader() as s:
        facts = attention(s, client.id, NOW)
    assert facts.managed == client.aum
    assert facts.fee_rate is None or 0 < facts.fee_rate < 0.05
