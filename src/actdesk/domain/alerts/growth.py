"""Growth signals: moments when a household is ready to talk about more of its money."""

from __future__ import annotations

import math
from datetime import date, timedelta

from actdesk.domain.alerts.facts import NAN, BookFacts
from actdesk.domain.alerts.model import Finding, RuleKey, Severity
from actdesk.domain.alerts.settings import AlertSettings
from actdesk.domain.alerts.text import EPS, day, money, ratio
from actdesk.domain.analytics.dates import add_months
from actdesk.domain.enums import life_event_title
from actdesk.i18n import N_, _

# Money moves at a death, a divorce or an inheritance: those come first.
EVENT_SEVERITY = {
    "death": Severity.HIGH,
    "divorce": Severity.HIGH,
    "inheritance": Severity.HIGH,
    "marriage": Severity.MEDIUM,
    "birth": Severity.MEDIUM,
    "retirement": Severity.MEDIUM,
    "job_change": Severity.MEDIUM,
}
EVENT_NEXT_STEP = {
    "death": N_("review beneficiaries, titling and the survivor's plan"),
    "divorce": N_("review the division of accounts and beneficiaries"),
    "inheritance": N_("discuss investing the inherited assets"),
    "marriage": N_("review beneficiaries and combine the plan"),
    "birth": N_("discuss a 529 plan and life insurance"),
    "retirement": N_("discuss rolling over the 401(k) and the income plan"),
    "job_change": N_("discuss rolling over the old 401(k)"),
    "graduation": N_("discuss the graduate's first accounts"),
    "new_home": N_("review cash needs and insurance"),
    "move": N_("update the address and review insurance"),
}


class LifeEventSignal:
    """A life event dated in the last ``life_event_window_days`` or coming within the lookahead."""

    key = RuleKey.LIFE_EVENT
    worsen_step = 1.0  # magnitude is the newest event's date ordinal: any newer event counts

    def evaluate(self, facts: BookFacts, settings: AlertSettings) -> list[Finding]:
        start = facts.as_of - timedelta(days=settings.life_event_window_days)
        end = facts.as_of + timedelta(days=settings.life_event_lookahead_days)
        findings = []
        for h in facts.households:
            events = [e for e in h.life_events if e.date is not None and start <= e.date <= end]
            if not events:
                continue
            # The most telling event first (money moves), then the newest; ties keep the given order.
            events.sort(key=lambda e: (-EVENT_SEVERITY.get(e.kind, Severity.LOW).rank, -e.date.toordinal()))
            parts = []
            for ev in events:
                title = life_event_title(ev.kind)
                who = f" ({ev.member})" if ev.member else ""
                parts.append(_("{event}{who} on {date}").format(event=title, who=who, date=day(ev.date)))
            top = events[0].kind
            step = EVENT_NEXT_STEP.get(top)
            text = "; ".join(parts) + "."
            if step:
                text += " " + _("Next step: {step}.").format(step=_(step))
            severity = EVENT_SEVERITY.get(top, Severity.LOW)
            newest = float(max(ev.date for ev in events).toordinal())
            findings.append(Finding(h.household_id, self.key, severity, text, newest))
        return findings


class HeldAwayAssets:
    """Assets held elsewhere that are large next to what is managed here."""

    key = RuleKey.HELD_AWAY_ASSETS
    worsen_step = 0.5

    def evaluate(self, facts: BookFacts, settings: AlertSettings) -> list[Finding]:
        findings = []
        for h in facts.households:
            away, aum = h.held_away, h.aum
            rel = away / aum if aum > 0 else NAN
            rel = 100.0 if math.isnan(rel) else min(rel, 100.0)
            if not (away >= settings.held_away_min and rel >= settings.held_away_ratio - EPS):
                continue
            if aum > 0:
                text = _("Held-away assets of {away} are {ratio} the {aum} managed here.").format(
                    away=money(away), ratio=ratio(rel), aum=money(aum)
                )
            else:
                text = _("Held-away assets of {away}, and nothing managed here yet.").format(away=money(away))
            severity = Severity.MEDIUM if rel >= 2 * settings.held_away_ratio - EPS else Severity.LOW
            findings.append(Finding(h.household_id, self.key, severity, text, rel))
        return findings


MILESTONES: tuple[tuple[int, int, str, str], ...] = (
    (59, 6, "59½", N_("withdrawals from IRAs and 401(k)s become penalty-free")),
    (65, 0, "65", N_("Medicare enrollment opens")),
    (73, 0, "73", N_("required minimum distributions begin")),
)


class AgeMilestone:
    """A member turning 59½, 65 or 73 within ``milestone_window_days``."""

    key = RuleKey.AGE_MILESTONE
    worsen_step = 1.0  # magnitude is the milestone's date ordinal: a different, later milestone counts

    def evaluate(self, facts: BookFacts, settings: AlertSettings) -> list[Finding]:
        end = facts.as_of + timedelta(days=settings.milestone_window_days)
        offsets = [12 * years + months for years, months, _l, _m in MILESTONES]
        findings = []
        for h in facts.households:
            # (date, milestone, member): the soonest first; on the same day in the milestones' order
            hits: list[tuple[date, int, int]] = []
            for index, offset in enumerate(offsets):
                for position, member in enumerate(h.members):
                    if member.birth_date is None:
                        continue
                    when = add_months(member.birth_date, offset)  # 29 February turns 65 on 28 February
                    if facts.as_of < when <= end:
                        hits.append((when, index, position))
            if not hits:
                continue
            hits.sort()
            parts = []
            for when, index, position in hits:
                _years, _months, label, meaning = MILESTONES[index]
                parts.append(
                    _("{name} turns {age} on {date}, in {days} days: {meaning}").format(
                        name=h.members[position].name,
                        age=label,
                        date=day(when),
                        days=(when - facts.as_of).days,
                        meaning=_(meaning),
                    )
                )
            severity = (
                Severity.MEDIUM if any(MILESTONES[i][2] == "73" for _w, i, _p in hits) else Severity.LOW
            )
            first = hits[0][0]
            findings.append(
                Finding(h.household_id, self.key, severity, "; ".join(parts) + ".", float(first.toordinal()))
            )
        return findings
