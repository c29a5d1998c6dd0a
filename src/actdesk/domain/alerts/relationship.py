"""Relationship gaps that cost books: one spouse known, heirs unknown, a first year without a second meeting.

Definitions (docs/alerts.md):
- *only one spouse known*: the household shows a spouse or partner (a contact with the spouse role, a
  spouse relationship on a member, or a marriage life event not followed by a divorce or a death) and
  either no spouse is on file as a member, or the spouse on file has not been in any completed activity
  for ``spouse_unseen_months`` while the primary has been in at least two;
- *heirs not recorded*: managed AUM at or above ``heirs_min_aum`` and no member with the heir or child
  role and no parent relationship from a member;
- *no second meeting*: a client for at least ``second_meeting_grace_days`` but less than
  ``first_year_days`` (every client period added up, so a returning client is not new again), with fewer
  than two completed meetings or reviews since becoming a client.

*Welcome back* (its own rule): a former client who came back less than ``welcome_back_days`` ago and has had
no review since its return: review the plan with them.
"""

from __future__ import annotations

import pandas as pd

from actdesk.domain.alerts.facts import BookFacts, records
from actdesk.domain.alerts.model import Finding, RuleKey, Severity
from actdesk.domain.alerts.settings import AlertSettings
from actdesk.domain.alerts.text import day, money
from actdesk.i18n import _, format_number, ngettext


class RelationshipGap:
    key = RuleKey.RELATIONSHIP_GAP
    worsen_step = 1.0  # one more gap

    def evaluate(self, facts: BookFacts, settings: AlertSettings) -> list[Finding]:
        h = facts.households
        no_spouse = h["married"] & ~h["spouse_on_file"]
        unseen = h["spouse_on_file"] & h["spouse_unseen"]
        no_heirs = (h["aum"] >= settings.heirs_min_aum) & ~h["heirs_recorded"]
        tenure = h["tenure_days"].fillna((facts.as_of_ts - h["client_since"]).dt.days)
        first_year = (tenure >= settings.second_meeting_grace_days) & (tenure < settings.first_year_days)
        no_second = first_year & (h["meetings_as_client"] < 2)
        fired = h[no_spouse | unseen | no_heirs | no_second]
        findings = []
        for row in records(
            fired, no_spouse=no_spouse, unseen=unseen, no_heirs=no_heirs, no_second=no_second, tenure=tenure
        ):
            hid = row["household_id"]
            gaps: list[str] = []
            if row["no_spouse"]:
                gaps.append(_("only one spouse is known: the spouse or partner is not on file"))
            elif row["unseen"]:
                gaps.append(
                    _(
                        "only one spouse is known: {name} has not been in a meeting or call for {months} months"
                    ).format(name=row["spouse_name"] or _("the spouse"), months=settings.spouse_unseen_months)
                )
            if row["no_heirs"]:
                gaps.append(_("no heirs recorded for {aum} of managed assets").format(aum=money(row["aum"])))
            if row["no_second"]:
                meetings = int(row["meetings_as_client"])
                days = int(row["tenure"])
                gaps.append(
                    _("a client for {days} days without a meeting yet").format(days=days)
                    if meetings == 0
                    else ngettext(
                        "a client for {days} days with only {n} meeting so far",
                        "a client for {days} days with only {n} meetings so far",
                        meetings,
                    ).format(days=days, n=meetings)
                )
            text = _("Relationship gaps: {gaps}.") if len(gaps) > 1 else _("Relationship gap: {gaps}.")
            severity = Severity.HIGH if len(gaps) > 1 else Severity.MEDIUM
            findings.append(
                Finding(int(hid), self.key, severity, text.format(gaps="; ".join(gaps)), float(len(gaps)))
            )
        return findings


class WelcomeBack:
    """A returning client is neither new nor still gone: the advisor reviews the plan with them."""

    key = RuleKey.WELCOME_BACK
    worsen_step = 1.0  # never worsens: it fires once per return

    def evaluate(self, facts: BookFacts, settings: AlertSettings) -> list[Finding]:
        h = facts.households
        back = (facts.as_of_ts - h["returned_on"]).dt.days
        reviewed = h["last_review"].notna() & (h["last_review"] >= h["returned_on"])
        fired = h[(back >= 0) & (back < settings.welcome_back_days) & ~reviewed]
        findings = []
        for row in records(fired, back=back):
            away = (row["returned_on"] - row["left_on"]).days if pd.notna(row["left_on"]) else 0
            months = max(1, round(away / 30.4375))
            years = (row["tenure_days"] if pd.notna(row["tenure_days"]) else row["back"]) / 365.25
            text = ngettext(
                "Welcome back: a client again since {date}, after {months} month away ({years} years as a "
                "client in all). Review the plan with them.",
                "Welcome back: a client again since {date}, after {months} months away ({years} years as a "
                "client in all). Review the plan with them.",
                months,
            ).format(date=day(row["returned_on"]), months=months, years=format_number(years, 1))
            scheduled = pd.notna(row["next_review"]) and row["next_review"] >= facts.as_of_ts
            if scheduled:
                text += " " + _("A review is scheduled for {date}.").format(date=day(row["next_review"]))
            severity = Severity.LOW if scheduled else Severity.MEDIUM
            findings.append(Finding(int(row["household_id"]), self.key, severity, text, 1.0))
        return findings
