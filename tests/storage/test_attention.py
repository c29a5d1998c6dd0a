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


def test_a_client_event_is_contact_on_the_card_in_campaigns_and_for_the_alert_rules(book) -> None:
    """The card's last contact, the campaigns' audiences and the alert rules read one list of contact
    kinds (the schedule's types that count as contact): an appreciation event attended in October is the
    last contact everywhere, not a call in June on one screen and the event on another."""
    from tests import factories as f

    from actdesk.domain.alerts.settings import AlertSettings
    from actdesk.domain.schedule.config import contact_kinds
    from actdesk.storage.repositories.mail_audience import last_contacts

    with book.session() as s:
        h = f.household(s, "Event household", since=date(2019, 1, 1))
        f.activity(s, h, "call", completed=datetime(2026, 6, 2, 15, tzinfo=UTC))
        f.activity(s, h, "event", completed=datetime(2026, 10, 1, 18, tzinfo=UTC))
        f.activity(s, h, "task", completed=datetime(2026, 10, 20, 9, tzinfo=UTC))  # a to-do is not contact
    with book.reader() as s:
        assert attention(s, h, NOW).last_contact == date(2026, 10, 1)
        assert last_contacts(s, NOW)[h].date() == date(2026, 10, 1)
    assert set(AlertSettings().contact_kinds) == set(contact_kinds())
