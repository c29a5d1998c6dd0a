"""The name and definition of every dashboard tile, in one place (shown as caption and tooltip).

Each definition is the one written in ``docs/metrics.md`` ("Dashboard tiles"); a test keeps them equal, so
a tooltip never says something the documentation does not.
"""

from __future__ import annotations

from dataclasses import dataclass

from actdesk.i18n import N_, _


@dataclass(frozen=True)
class TileText:
    name: str  # untranslated (N_); shown through _()
    definition: str  # untranslated (N_)

    def caption(self) -> str:
        return _(self.name)

    def tooltip(self) -> str:
        return _(self.definition)


BOOK = {
    "aum": TileText(
        N_("Assets under management"),
        N_(
            "Market value of the managed accounts of current client households on the as-of date (each "
            "account's latest balance on or before it). Held-away assets are not included. The change over 12 "
            "months is split into net flows (money in minus money out) and market (everything else)."
        ),
    ),
    "clients": TileText(
        N_("Current client households"),
        N_(
            "Households whose status is client on the as-of date. Prospects and former clients are not "
            "counted, so this is fewer than all the households in the book."
        ),
    ),
    "retention": TileText(
        N_("Client retention, 12 months"),
        N_(
            "Clients a year ago who are still clients today, divided by the clients a year ago. Assets kept "
            "from departures (asset retention): 1 minus the assets a year ago of the households that left, "
            "divided by the clients' assets a year ago. Net outflow rate: money out minus money in of last "
            "year's clients, divided by their assets a year ago."
        ),
    ),
    "revenue": TileText(
        N_("Fees billed, last 12 months"),
        N_(
            "Every fee dated in the last 12 months, recurring and one-off, whoever paid it; the change compares "
            "it with the 12 months before."
        ),
    ),
    "value": TileText(
        N_("Book value (NPV of future fees)"),
        N_(
            "Present value of 10 years of the current clients' recurring fees, growing 3% a year, kept at the "
            "book's client retention rate and discounted at 15% a year (settings): discounted revenue, not profit, "
            "unless an expense ratio is set. Below it, the sale price at a multiple of revenue: 2.3 times the "
            "current clients' recurring fees plus their one-off fees. The what-if card adds the NPV client by "
            "client, where each client keeps paying at their own chance of staying."
        ),
    ),
}
SNAPSHOT = {
    "alerts": TileText(N_("New alerts"), N_("Alerts the rules opened in the last 24 hours.")),
    "today": TileText(N_("Due today"), N_("Calls, meetings, reviews and tasks on today's calendar.")),
    "overdue": TileText(
        N_("Overdue items"), N_("Open calls, meetings, reviews and tasks whose time has passed.")
    ),
    "sent": TileText(
        N_("E-mails sent"), N_("Messages the outbox handed to the mail server in the last 24 hours.")
    ),
    "failed": TileText(
        N_("E-mails failed"),
        N_("Messages that failed for good or may not have arrived, in the last 24 hours."),
    ),
    "pipeline": TileText(N_("Pipeline moves"), N_("Opportunities that changed stage in the last 24 hours.")),
}
WHAT_IF = {
    "multiple": TileText(
        N_("Sale price at a revenue multiple"),
        N_(
            "2.3 times the current clients' recurring fees of the last 12 months plus their one-off fees "
            "(settings). The A, B and C segments' values add up to it."
        ),
    ),
    "npv": TileText(
        N_("NPV at the book's retention"),
        N_("The book value tile: future recurring fees kept at the book's one client retention rate."),
    ),
    "npv_households": TileText(
        N_("NPV, each client's own retention"),
        N_(
            "The same present value added up client by client, each client's fees kept at that client's own "
            "chance of staying (from the retention model)."
        ),
    ),
}
CLIENT = {
    "managed": TileText(
        N_("Managed assets"),
        N_(
            "Market value of this household's accounts that you manage: each account's latest balance. "
            "Accounts held elsewhere are not included."
        ),
    ),
    "held_away": TileText(
        N_("Held elsewhere"),
        N_(
            "Latest balances of the accounts you know of that another firm manages. They are not part of "
            "your assets under management."
        ),
    ),
    "wallet": TileText(
        N_("Share of wallet"),
        N_(
            "Managed assets divided by the net worth the members stated (added up over the members who gave "
            "one). Not shown in the meeting view."
        ),
    ),
    "fees": TileText(
        N_("Fees, last 12 months"),
        N_("Every fee billed to this household in the last 12 months, recurring and one-off."),
    ),
    "review": TileText(
        N_("Next review"),
        N_("The next review on this household's calendar that is not done yet, in your time zone."),
    ),
    "retention": TileText(
        N_("Retention probability"),
        N_(
            "The chance that this household is still a client 12 months from now, from the retention model "
            "(or the book's own rate where the model does not do better). Current clients only."
        ),
    ),
}
ALL = {"book": BOOK, "snapshot": SNAPSHOT, "what_if": WHAT_IF, "client": CLIENT}
