"""The relationship anniversary (issue 20): on which day a client's yearly thank-you note goes out and how
many years it counts, one rule for the automation that queues it and the previews that show it.

The day is the anniversary of the household's **first** day as a client (the card's "Client since"), also
for a household that left and came back; the years are its years as a client **in all**, every period
added up and the time away left out (the card's "N.N years as a client in all", in whole years). Why not
the return's anniversary: counting from the return calls a twelve-year client new, as tenure does not
(docs/metrics.md, "Leaving and returning"). docs/email.md, "Automations", says the rest.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from actdesk.domain.analytics.periods import first_joined, whole_years, years_in_all
from actdesk.services.mail.merge import recipient_periods
from actdesk.storage.repositories.mail_audience import Recipient

TEMPLATE = "client_anniversary"  # the starter template the automation sends
LEAD = timedelta(days=7)  # the note is queued this long ahead
GRACE = timedelta(days=2)  # and still queued this long after the day (app closed, offline), not later


def on_year(base: date, year: int) -> date:
    """``base``'s anniversary in ``year`` (29 February falls on 1 March in a common year)."""
    try:
        return base.replace(year=year)
    except ValueError:
        return date(year, 3, 1)


def upcoming(base: date, today: date, lead: timedelta, grace: timedelta = GRACE) -> date | None:
    """The anniversary of ``base`` due within ``lead`` of ``today`` or missed by less than ``grace``."""
    for year in (today.year - 1, today.year, today.year + 1):
        day = on_year(base, year)
        if today - grace <= day <= today + lead:
            return day
    return None


@dataclass(frozen=True)
class Anniversary:
    day: date
    tenure_years: int  # whole years as a client in all on ``day``
    client_years: int  # whole years of the current period on ``day`` (the return's, after a return)

    def fields(self) -> dict[str, str]:
        """The merge fields as they stand on the day itself (the note is written up to a week before)."""
        return {"tenure_years": str(self.tenure_years), "client_years": str(self.client_years)}


def relationship_anniversary(recipient: Recipient, today: date, lead: timedelta = LEAD) -> Anniversary | None:
    """The client's anniversary due within ``lead`` of ``today`` (or just missed), once it has at least one
    whole year as a client in all; None for prospects and former clients."""
    hh = recipient.household
    if hh is None or hh.client_since is None or str(hh.status) != "client":
        return None
    periods = recipient_periods(recipient)
    first = first_joined(periods)
    day = None if first is None else upcoming(first, today, lead)
    if day is None:
        return None
    years = years_in_all(periods, day)
    if years < 1:
        return None
    return Anniversary(day, years, whole_years(hh.client_since, day))


def next_anniversary(recipient: Recipient, today: date) -> Anniversary | None:
    """The next anniversary a note will be queued for (what a preview of the template shows)."""
    return relationship_anniversary(recipient, today, lead=timedelta(days=366))
