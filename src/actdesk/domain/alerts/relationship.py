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

import math

from actdesk.domain.alerts.facts import BookFacts, HouseholdFacts
from actdesk.domain.alerts.model import Finding, RuleKey, Severity
from actdesk.domain.alerts.settings import AlertSettings
from actdesk.domain.alerts.text import day, money
from actdesk.i18n import _, format_number, ngettext


def _tenure(h: HouseholdFacts, facts: BookFacts) -> float:
    """Days as a client, every period added up; since ``client_since`` when not given (NaN: unknown)."""
    if not math.isnan(h.tenure_days):
        return h.tenure_days
    return math.nan if h.client_since is None else float((facts.as_of - h.client_since).days)


class RelationshipGap:
    key = RuleKey.RELATIONSHIP_GAP
    worsen_step = 1.0  # one more gap

    def evaluate(self, facts: BookFacts, settings: AlertSettings) -> list[Finding]:
        findings = []
        for h in facts.households:
            no_spouse = h.married and not h.spouse_on_file
            unseen = h.spouse_on_file and h.spouse_unseen
            no_heirs = h.aum >= settings.heirs_min_aum and not h.heirs_recorded
            tenure = _tenure(h, facts)
            first_year = settings.second_meeting_grace_days <= tenure < settings.first_year_days
            no_second = first_year and h.meetings_as_client < 2
            gaps: list[str] = []
            if no_spouse:
                gaps.append(_("only one spouse is known: the spouse or partner is not on file"))
            elif unseen:
                gaps.append(
                    _(
                        "only one spouse is known: {name} has not been in a meeting or call for {months} months"
                    ).format(name=h.spouse_name or _("the spouse"), months=settings.spouse_unseen_months)
                )
            if no_heirs:
                gaps.append(_("no heirs recorded for {aum} of managed assets").format(aum=money(h.aum)))
            if no_second:
                meetings = h.meetings_as_client
                days = int(tenure)
                gaps.append(
                    _("a client for {days} days without a meeting yet").format(days=days)
                    if meetings == 0
                    else ngettext(
                        "a client for {days} days with only {n} meeting so far",
                        "a client for {days} days with only {n} meetings so far",
                        meetings,
                    ).format(days=days, n=meetings)
                )
            if not gaps:
                continue
            text = _("Relationship gaps: {gaps}.") if len(gaps) > 1 else _("Relationship gap: {gaps}.")
            severity = Severity.HIGH if len(gaps) > 1 else Severity.MEDIUM
            findings.append(
                Finding(
                    h.household_id, self.key, severity, text.format(gaps="; ".join(gaps)), float(len(gaps))
                )
            )
        return findings


class WelcomeBack:
    """A returning client is neither new nor still gone: the advisor reviews the plan with them."""

    key = RuleKey.WELCOME_BACK
    worsen_step = 1.0  # never worsens: it fires once per return

    def evaluate(self, facts: BookFacts, settings: AlertSettings) -> list[Finding]:
        findings = []
        for h in facts.households:
            if h.returned_on is None:
                continue
            back = (facts.as_of - h.returned_on).days
            reviewed = h.last_review is not None and h.last_review >= h.returned_on
            if not 0 <= back < settings.welcome_back_days or reviewed:
                continue
            away = (h.returned_on - h.left_on).days if h.left_on is not None else 0
            months = max(1, round(away / 30.4375))
            years = (h.tenure_days if not math.isnan(h.tenure_days) else back) / 365.25
            text = ngettext(
                "Welcome back: a client again since {date}, after {months} month away ({years} years as a "
                "client in all). Review the plan with them.",
                "Welcome back: a client again since {date}, after {months} months away ({years} years as a "
                "client in all). Review the plan with them.",
                months,
            ).format(date=day(h.returned_on), months=months, years=format_number(years, 1))
            scheduled = h.next_review is not None and h.next_review >= facts.as_of
            if scheduled and h.next_review is not None:
                text += " " + _("A review is scheduled for {date}.").format(date=day(h.next_review))
            severity = Severity.LOW if scheduled else Severity.MEDIUM
            findings.append(Finding(h.household_id, self.key, severity, text, 1.0))
        return findings
