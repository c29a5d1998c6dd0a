"""Rules that protect the book: money leaving, revenue falling, a household likely to leave."""

from __future__ import annotations

import pandas as pd

from actdesk.domain.alerts.facts import BookFacts, records
from actdesk.domain.alerts.model import Finding, RuleKey, Severity
from actdesk.domain.alerts.settings import AlertSettings
from actdesk.domain.alerts.text import EPS, day, money, pct, points
from actdesk.i18n import _, ngettext


class SilentErosion:
    """Money leaving quietly: net outflows of a large share of managed AUM, or a falling share of wallet."""

    key = RuleKey.SILENT_EROSION
    worsen_step = 0.05

    def evaluate(self, facts: BookFacts, settings: AlertSettings) -> list[Finding]:
        h = facts.households
        past = h["aum_past"]
        outflow_share = (-h["net_flows_past"] / past).where(past > 0)
        flow_hit = outflow_share >= settings.erosion_outflow_share - EPS
        wallet_drop = h["share_of_wallet_past"] - h["share_of_wallet"]
        wallet_hit = wallet_drop >= settings.wallet_drop_points - EPS
        fired = h[flow_hit | wallet_hit]
        findings: list[Finding] = []
        for row in records(
            fired,
            flow_hit=flow_hit,
            outflow_share=outflow_share,
            wallet_hit=wallet_hit,
            wallet_drop=wallet_drop,
        ):
            hid = row["household_id"]
            clauses: list[str] = []
            magnitude = 0.0
            if row["flow_hit"]:
                share = float(row["outflow_share"])
                magnitude = share
                clauses.append(
                    _(
                        "net outflows of {outflows} in the last {months} months took {share} of managed "
                        "assets ({before} then, {now} now)"
                    ).format(
                        outflows=money(-row["net_flows_past"]),
                        months=settings.erosion_months,
                        share=pct(share),
                        before=money(row["aum_past"]),
                        now=money(row["aum"]),
                    )
                )
            if row["wallet_hit"]:
                drop = float(row["wallet_drop"])
                magnitude = max(magnitude, drop)
                clauses.append(
                    _(
                        "share of wallet fell {points} points in {months} months, from {before} to {now}"
                    ).format(
                        points=points(drop),
                        months=settings.wallet_months,
                        before=pct(row["share_of_wallet_past"]),
                        now=pct(row["share_of_wallet"]),
                    )
                )
            text = "; ".join(clauses)
            findings.append(
                Finding(int(hid), self.key, Severity.HIGH, text[:1].upper() + text[1:] + ".", magnitude)
            )
        return findings


class LargeWithdrawal:
    """A single outflow of a large share of the household's managed AUM, recently."""

    key = RuleKey.LARGE_WITHDRAWAL
    worsen_step = 0.05

    def evaluate(self, facts: BookFacts, settings: AlertSettings) -> list[Finding]:
        o = facts.outflows
        if o.empty:
            return []
        start = facts.as_of_ts - pd.Timedelta(days=settings.withdrawal_window_days)
        o = o[
            (o["date"] >= start)
            & (o["date"] <= facts.as_of_ts)
            & o["household_id"].isin(facts.households.index)
        ]
        base = o["aum_before"].where(o["aum_before"] > 0, o["amount"])
        o = o.assign(share=(o["amount"] / base).fillna(0.0))
        o = o[o["share"] >= settings.withdrawal_share - EPS]
        if o.empty:
            return []
        o = o.sort_values(["household_id", "share", "date"], ascending=[True, False, False])
        totals = o.groupby("household_id")["share"].agg(["sum", "count"])
        findings: list[Finding] = []
        for row in o.drop_duplicates("household_id").itertuples(index=False):
            hid = int(row.household_id)
            count = int(totals.at[hid, "count"])
            values = {
                "amount": money(row.amount),
                "date": day(row.date),
                "share": pct(row.share),
                "aum": money(row.aum_before if row.aum_before > 0 else row.amount),
                "account": row.account,
            }
            if row.account:
                text = _(
                    "A {amount} outflow from the {account} on {date} took {share} of the household's "
                    "{aum} of managed assets."
                ).format(**values)
            else:
                text = _(
                    "A {amount} outflow on {date} took {share} of the household's {aum} of managed assets."
                ).format(**values)
            if count > 1:
                text += " " + ngettext(
                    "{n} large outflow in the last {days} days.",
                    "{n} large outflows in the last {days} days.",
                    count,
                ).format(n=count, days=settings.withdrawal_window_days)
            severity = Severity.HIGH if row.share >= 2 * settings.withdrawal_share - EPS else Severity.MEDIUM
            findings.append(Finding(hid, self.key, severity, text, float(totals.at[hid, "sum"])))
        return findings


class RevenueDecline:
    """Trailing-12-month fee revenue down by a large share year on year."""

    key = RuleKey.REVENUE_DECLINE
    worsen_step = 0.05

    def evaluate(self, facts: BookFacts, settings: AlertSettings) -> list[Finding]:
        h = facts.households
        prefix = "recurring" if settings.revenue_recurring_only else "revenue"
        now, before = h[f"{prefix}_t12m"], h[f"{prefix}_prev_t12m"]
        decline = ((before - now) / before).where(before > 0)
        fired = decline[decline >= settings.revenue_decline_share - EPS]
        template = (
            _(
                "Recurring fee revenue over the last 12 months is {now}, down {share} from {before} the year before."
            )
            if settings.revenue_recurring_only
            else _(
                "Fee revenue over the last 12 months is {now}, down {share} from {before} the year before."
            )
        )
        findings = []
        now_by_id, before_by_id = now[fired.index].to_dict(), before[fired.index].to_dict()
        for hid, share in fired.items():
            severity = Severity.HIGH if share >= 2 * settings.revenue_decline_share - EPS else Severity.MEDIUM
            text = template.format(
                now=money(now_by_id[hid]), share=pct(share), before=money(before_by_id[hid])
            )
            findings.append(Finding(int(hid), self.key, severity, text, float(share)))
        return findings


class RetentionRisk:
    """The survival model's probability of still being a client in 12 months: low, or falling fast."""

    key = RuleKey.LOW_RETENTION_PROBABILITY
    worsen_step = 0.05
    high_margin = 0.15  # this far below the threshold (0.70 by default) is high severity

    def evaluate(self, facts: BookFacts, settings: AlertSettings) -> list[Finding]:
        h = facts.households
        p, ref = h["retention_probability"], h["retention_reference"]
        low = p < settings.retention_min_probability
        fall = (ref - p) >= settings.retention_drop_points - EPS
        fired = h[(low | fall) & p.notna()]
        findings = []
        for row in records(fired, fall=fall):
            hid = row["household_id"]
            factors = (
                [f for f in row["retention_factors"] if f]
                if isinstance(row["retention_factors"], tuple | list)
                else []
            )
            reasons = (
                (" " + _("Main factors: {factors}.").format(factors="; ".join(factors[:3])))
                if factors
                else ""
            )
            prob = float(row["retention_probability"])
            if row["fall"]:
                text = _(
                    "The estimated chance of still being a client in 12 months fell from {before} to {now} "
                    "since the last evaluation."
                ).format(before=pct(row["retention_reference"]), now=pct(prob))
                reference: float | None = float(row["retention_reference"])
            else:
                text = _(
                    "The estimated chance of still being a client in 12 months is {now}, below {threshold}."
                ).format(now=pct(prob), threshold=pct(settings.retention_min_probability))
                reference = None
            high = prob < settings.retention_min_probability - self.high_margin
            severity = Severity.HIGH if high else Severity.MEDIUM
            findings.append(Finding(int(hid), self.key, severity, text + reasons, 1.0 - prob, reference))
        return findings
