"""Rules about the service promise: contact at the segment's cadence and the semi-annual review."""

from __future__ import annotations

import pandas as pd

from actdesk.domain.alerts.facts import BookFacts, records
from actdesk.domain.alerts.model import Finding, RuleKey, Severity
from actdesk.domain.alerts.settings import AlertSettings
from actdesk.domain.alerts.text import day, whole
from actdesk.i18n import _, ngettext


class ContactGap:
    """No completed contact (call, meeting, review, e-mail, event) for longer than the segment's cadence."""

    key = RuleKey.CONTACT_GAP
    worsen_step = 1.0  # one more full cadence without contact

    def evaluate(self, facts: BookFacts, settings: AlertSettings) -> list[Finding]:
        h = facts.households
        cadence = h["segment"].map({"A": settings.cadence_a_days, "B": settings.cadence_b_days})
        cadence = cadence.fillna(settings.cadence_c_days).astype(float)
        since = h["last_contact"].fillna(h["client_since"])
        days = (facts.as_of_ts - since).dt.days
        fired = h[(days > cadence) & since.notna()]
        findings = []
        for row in records(fired, days=days, cadence=cadence):
            hid = row["household_id"]
            n, every = int(row["days"]), int(row["cadence"])
            values = {"days": whole(n), "segment": row["segment"] or "C", "cadence": every}
            if pd.notna(row["last_contact"]):
                text = _(
                    "No completed contact for {days} days (last on {date}); segment {segment} households are "
                    "contacted every {cadence} days."
                ).format(date=day(row["last_contact"]), **values)
            else:
                text = _(
                    "No completed contact since becoming a client {days} days ago; segment {segment} households "
                    "are contacted every {cadence} days."
                ).format(**values)
            severity = Severity.HIGH if n >= 2 * every else Severity.MEDIUM
            findings.append(Finding(int(hid), self.key, severity, text, n / every))
        return findings


class ReviewOverdue:
    """The periodic (semi-annual by default) review is past due."""

    key = RuleKey.REVIEW_OVERDUE
    worsen_step = 1.0  # one more review interval missed

    def evaluate(self, facts: BookFacts, settings: AlertSettings) -> list[Finding]:
        h = facts.households
        months = settings.review_interval_months
        offset = pd.DateOffset(months=months)
        base = h["last_review"].fillna(h["client_since"])
        due = base.dropna() + offset
        late = (facts.as_of_ts - due).dt.days
        fired = late[late > 0]
        interval_days = months * 365.25 / 12
        findings = []
        for row in records(h.loc[fired.index], days_late=fired, due=due):
            hid, days_late = row["household_id"], row["days_late"]
            values = {"days": whole(days_late), "months": months, "due": day(row["due"])}
            if pd.notna(row["last_review"]):
                text = ngettext(
                    "Review overdue by {days} day: reviews are due every {months} months and the last one was "
                    "on {date}.",
                    "Review overdue by {days} days: reviews are due every {months} months and the last one was "
                    "on {date}.",
                    int(days_late),
                ).format(date=day(row["last_review"]), **values)
            else:
                text = ngettext(
                    "Review overdue by {days} day: no review held since becoming a client; the first was due "
                    "on {due}.",
                    "Review overdue by {days} days: no review held since becoming a client; the first was due "
                    "on {due}.",
                    int(days_late),
                ).format(**values)
            scheduled = pd.notna(row["next_review"]) and row["next_review"] >= facts.as_of_ts
            if scheduled:
                text += " " + _("A review is scheduled for {date}.").format(date=day(row["next_review"]))
                severity = Severity.LOW
            elif days_late >= interval_days:
                severity = Severity.HIGH
            else:
                severity = Severity.MEDIUM
            findings.append(Finding(int(hid), self.key, severity, text, float(days_late) / interval_days))
        return findings
