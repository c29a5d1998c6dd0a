"""Rules about the service promise: contact at the segment's cadence and the semi-annual review."""

from __future__ import annotations

from actdesk.domain.alerts.facts import BookFacts
from actdesk.domain.alerts.model import Finding, RuleKey, Severity
from actdesk.domain.alerts.settings import AlertSettings
from actdesk.domain.alerts.text import day, whole
from actdesk.domain.analytics.dates import add_months
from actdesk.i18n import _, ngettext


class ContactGap:
    """No completed contact (call, meeting, review, e-mail, event) for longer than the segment's cadence."""

    key = RuleKey.CONTACT_GAP
    worsen_step = 1.0  # one more full cadence without contact

    def evaluate(self, facts: BookFacts, settings: AlertSettings) -> list[Finding]:
        cadences = {"A": settings.cadence_a_days, "B": settings.cadence_b_days}
        findings = []
        for h in facts.households:
            since = h.last_contact or h.client_since
            if since is None:
                continue
            n = (facts.as_of - since).days
            every = cadences.get(h.segment, settings.cadence_c_days)
            if n <= every:
                continue
            values = {"days": whole(n), "segment": h.segment or "C", "cadence": every}
            if h.last_contact is not None:
                text = _(
                    "No completed contact for {days} days (last on {date}); segment {segment} households are "
                    "contacted every {cadence} days."
                ).format(date=day(h.last_contact), **values)
            else:
                text = _(
                    "No completed contact since becoming a client {days} days ago; segment {segment} households "
                    "are contacted every {cadence} days."
                ).format(**values)
            severity = Severity.HIGH if n >= 2 * every else Severity.MEDIUM
            findings.append(Finding(h.household_id, self.key, severity, text, n / every))
        return findings


class ReviewOverdue:
    """The periodic (semi-annual by default) review is past due."""

    key = RuleKey.REVIEW_OVERDUE
    worsen_step = 1.0  # one more review interval missed

    def evaluate(self, facts: BookFacts, settings: AlertSettings) -> list[Finding]:
        months = settings.review_interval_months
        interval_days = months * 365.25 / 12
        findings = []
        for h in facts.households:
            base = h.last_review or h.client_since
            if base is None:
                continue
            due = add_months(base, months)  # the 31st plus a month is the month's last day
            days_late = (facts.as_of - due).days
            if days_late <= 0:
                continue
            values = {"days": whole(days_late), "months": months, "due": day(due)}
            if h.last_review is not None:
                text = ngettext(
                    "Review overdue by {days} day: reviews are due every {months} months and the last one was "
                    "on {date}.",
                    "Review overdue by {days} days: reviews are due every {months} months and the last one was "
                    "on {date}.",
                    days_late,
                ).format(date=day(h.last_review), **values)
            else:
                text = ngettext(
                    "Review overdue by {days} day: no review held since becoming a client; the first was due "
                    "on {due}.",
                    "Review overdue by {days} days: no review held since becoming a client; the first was due "
                    "on {due}.",
                    days_late,
                ).format(**values)
            if h.next_review is not None and h.next_review >= facts.as_of:
                text += " " + _("A review is scheduled for {date}.").format(date=day(h.next_review))
                severity = Severity.LOW
            elif days_late >= interval_days:
                severity = Severity.HIGH
            else:
                severity = Severity.MEDIUM
            findings.append(Finding(h.household_id, self.key, severity, text, days_late / interval_days))
        return findings
