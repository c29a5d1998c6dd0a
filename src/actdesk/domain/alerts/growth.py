"""Growth signals: moments when a household is ready to talk about more of its money."""

from __future__ import annotations

from itertools import groupby
from operator import itemgetter

import pandas as pd

from actdesk.domain.alerts.facts import BookFacts, records
from actdesk.domain.alerts.model import Finding, RuleKey, Severity
from actdesk.domain.alerts.settings import AlertSettings
from actdesk.domain.alerts.text import EPS, day, money, ratio
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
        e = facts.life_events
        if e.empty:
            return []
        start = facts.as_of_ts - pd.Timedelta(days=settings.life_event_window_days)
        end = facts.as_of_ts + pd.Timedelta(days=settings.life_event_lookahead_days)
        e = e[(e["date"] >= start) & (e["date"] <= end) & e["household_id"].isin(facts.households.index)]
        e = e.assign(rank=e["kind"].map(lambda k: EVENT_SEVERITY.get(k, Severity.LOW).rank))
        e = e.sort_values(["household_id", "rank", "date"], ascending=[True, False, False])
        findings = []
        rows = e[["household_id", "kind", "date", "member"]].to_dict("records")
        for hid, group in groupby(rows, key=itemgetter("household_id")):
            events = list(group)
            parts = []
            for ev in events:
                title = life_event_title(ev["kind"])
                who = f" ({ev['member']})" if ev["member"] else ""
                parts.append(_("{event}{who} on {date}").format(event=title, who=who, date=day(ev["date"])))
            top = events[0]["kind"]
            step = EVENT_NEXT_STEP.get(top)
            text = "; ".join(parts) + "."
            if step:
                text += " " + _("Next step: {step}.").format(step=_(step))
            severity = EVENT_SEVERITY.get(top, Severity.LOW)
            newest = float(max(ev["date"] for ev in events).toordinal())
            findings.append(Finding(int(hid), self.key, severity, text, newest))
        return findings


class HeldAwayAssets:
    """Assets held elsewhere that are large next to what is managed here."""

    key = RuleKey.HELD_AWAY_ASSETS
    worsen_step = 0.5

    def evaluate(self, facts: BookFacts, settings: AlertSettings) -> list[Finding]:
        h = facts.households
        away, aum = h["held_away"], h["aum"]
        rel = (away / aum.where(aum > 0)).fillna(100.0).clip(upper=100.0)
        fired = h[(away >= settings.held_away_min) & (rel >= settings.held_away_ratio - EPS)]
        findings = []
        for row in records(fired, rel=rel):
            hid = row["household_id"]
            r = float(row["rel"])
            if row["aum"] > 0:
                text = _("Held-away assets of {away} are {ratio} the {aum} managed here.").format(
                    away=money(row["held_away"]), ratio=ratio(r), aum=money(row["aum"])
                )
            else:
                text = _("Held-away assets of {away}, and nothing managed here yet.").format(
                    away=money(row["held_away"])
                )
            severity = Severity.MEDIUM if r >= 2 * settings.held_away_ratio - EPS else Severity.LOW
            findings.append(Finding(int(hid), self.key, severity, text, r))
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
        m = facts.members
        m = m[m["birth_date"].notna() & m["household_id"].isin(facts.households.index)]
        if m.empty:
            return []
        end = facts.as_of_ts + pd.Timedelta(days=settings.milestone_window_days)
        hits = []
        for index, (years, months, label, meaning) in enumerate(MILESTONES):
            when = m["birth_date"] + pd.DateOffset(years=years, months=months)
            sel = (when > facts.as_of_ts) & (when <= end)
            if sel.any():
                hits.append(m[sel].assign(when=when[sel], label=label, meaning=meaning, order=index))
        if not hits:
            return []
        found = pd.concat(hits).sort_values(["household_id", "when"])
        findings = []
        rows = found[["household_id", "name", "when", "label", "meaning"]].to_dict("records")
        for hid, group in groupby(rows, key=itemgetter("household_id")):
            hits = list(group)
            parts = [
                _("{name} turns {age} on {date}, in {days} days: {meaning}").format(
                    name=hit["name"],
                    age=hit["label"],
                    date=day(hit["when"]),
                    days=(hit["when"] - facts.as_of_ts).days,
                    meaning=_(str(hit.get("meaning", ""))),
                )
                for hit in hits
            ]
            severity = Severity.MEDIUM if any(hit["label"] == "73" for hit in hits) else Severity.LOW
            first = hits[0]["when"]
            findings.append(
                Finding(int(hid), self.key, severity, "; ".join(parts) + ".", float(first.toordinal()))
            )
        return findings
