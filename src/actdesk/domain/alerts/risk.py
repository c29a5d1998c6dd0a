"""Rules that protect the book: money leaving, revenue falling, a household likely to leave."""

from __future__ import annotations

import math
from datetime import timedelta

from actdesk.domain.alerts.facts import NAN, BookFacts, OutflowFacts
from actdesk.domain.alerts.model import Finding, RuleKey, Severity
from actdesk.domain.alerts.settings import AlertSettings
from actdesk.domain.alerts.text import EPS, day, money, pct, points
from actdesk.i18n import _, ngettext


class SilentErosion:
    """Money leaving quietly: net outflows of a large share of managed AUM, or a falling share of wallet."""

    key = RuleKey.SILENT_EROSION
    worsen_step = 0.05

    def evaluate(self, facts: BookFacts, settings: AlertSettings) -> list[Finding]:
        findings: list[Finding] = []
        for h in facts.households:
            outflow_share = -h.net_flows_past / h.aum_past if h.aum_past > 0 else NAN
            flow_hit = outflow_share >= settings.erosion_outflow_share - EPS
            wallet_drop = h.share_of_wallet_past - h.share_of_wallet
            wallet_hit = wallet_drop >= settings.wallet_drop_points - EPS
            if not (flow_hit or wallet_hit):
                continue
            clauses: list[str] = []
            magnitude = 0.0
            if flow_hit:
                magnitude = outflow_share
                clauses.append(
                    _(
                        "net outflows of {outflows} in the last {months} months took {share} of managed "
                        "assets ({before} then, {now} now)"
                    ).format(
                        outflows=money(-h.net_flows_past),
                        months=settings.erosion_months,
                        share=pct(outflow_share),
                        before=money(h.aum_past),
                        now=money(h.aum),
                    )
                )
            if wallet_hit:
                magnitude = max(magnitude, wallet_drop)
                clauses.append(
                    _(
                        "share of wallet fell {points} points in {months} months, from {before} to {now}"
                    ).format(
                        points=points(wallet_drop),
                        months=settings.wallet_months,
                        before=pct(h.share_of_wallet_past),
                        now=pct(h.share_of_wallet),
                    )
                )
            text = "; ".join(clauses)
            findings.append(
                Finding(h.household_id, self.key, Severity.HIGH, text[:1].upper() + text[1:] + ".", magnitude)
            )
        return findings


def _outflow_share(o: OutflowFacts) -> float:
    """The outflow's share of the managed AUM just before it (1 when that is unknown: all of it)."""
    base = o.aum_before if o.aum_before > 0 else o.amount
    if base == 0 or math.isnan(base):
        return 0.0
    share = o.amount / base
    return 0.0 if math.isnan(share) else share


class LargeWithdrawal:
    """A single outflow of a large share of the household's managed AUM, recently."""

    key = RuleKey.LARGE_WITHDRAWAL
    worsen_step = 0.05

    def evaluate(self, facts: BookFacts, settings: AlertSettings) -> list[Finding]:
        start = facts.as_of - timedelta(days=settings.withdrawal_window_days)
        findings: list[Finding] = []
        for h in facts.households:
            large = [
                (share, o)
                for o in h.outflows
                if o.date is not None and start <= o.date <= facts.as_of
                for share in (_outflow_share(o),)
                if share >= settings.withdrawal_share - EPS
            ]
            if not large:
                continue
            large.sort(key=lambda so: (-so[0], -so[1].date.toordinal()))
            share, top = large[0]
            values = {
                "amount": money(top.amount),
                "date": day(top.date),
                "share": pct(share),
                "aum": money(top.aum_before if top.aum_before > 0 else top.amount),
                "account": top.account,
            }
            if top.account:
                text = _(
                    "A {amount} outflow from the {account} on {date} took {share} of the household's "
                    "{aum} of managed assets."
                ).format(**values)
            else:
                text = _(
                    "A {amount} outflow on {date} took {share} of the household's {aum} of managed assets."
                ).format(**values)
            count = len(large)
            if count > 1:
                text += " " + ngettext(
                    "{n} large outflow in the last {days} days.",
                    "{n} large outflows in the last {days} days.",
                    count,
                ).format(n=count, days=settings.withdrawal_window_days)
            severity = Severity.HIGH if share >= 2 * settings.withdrawal_share - EPS else Severity.MEDIUM
            findings.append(Finding(h.household_id, self.key, severity, text, sum(s for s, _o in large)))
        return findings


class RevenueDecline:
    """Trailing-12-month fee revenue down by a large share year on year."""

    key = RuleKey.REVENUE_DECLINE
    worsen_step = 0.05

    def evaluate(self, facts: BookFacts, settings: AlertSettings) -> list[Finding]:
        recurring = settings.revenue_recurring_only
        template = (
            _(
                "Recurring fee revenue over the last 12 months is {now}, down {share} from {before} the year before."
            )
            if recurring
            else _(
                "Fee revenue over the last 12 months is {now}, down {share} from {before} the year before."
            )
        )
        findings = []
        for h in facts.households:
            now, before = (
                (h.recurring_t12m, h.recurring_prev_t12m)
                if recurring
                else (h.revenue_t12m, h.revenue_prev_t12m)
            )
            share = (before - now) / before if before > 0 else NAN
            if not share >= settings.revenue_decline_share - EPS:
                continue
            severity = Severity.HIGH if share >= 2 * settings.revenue_decline_share - EPS else Severity.MEDIUM
            text = template.format(now=money(now), share=pct(share), before=money(before))
            findings.append(Finding(h.household_id, self.key, severity, text, share))
        return findings


class RetentionRisk:
    """The survival model's probability of still being a client in 12 months: low, or falling fast."""

    key = RuleKey.LOW_RETENTION_PROBABILITY
    worsen_step = 0.05
    high_margin = 0.15  # this far below the threshold (0.70 by default) is high severity

    def evaluate(self, facts: BookFacts, settings: AlertSettings) -> list[Finding]:
        findings = []
        for h in facts.households:
            prob, ref = h.retention_probability, h.retention_reference
            if math.isnan(prob):
                continue
            low = prob < settings.retention_min_probability
            fall = (ref - prob) >= settings.retention_drop_points - EPS
            if not (low or fall):
                continue
            factors = [f for f in h.retention_factors if f]
            reasons = (
                (" " + _("Main factors: {factors}.").format(factors="; ".join(factors[:3])))
                if factors
                else ""
            )
            if fall:
                text = _(
                    "The estimated chance of still being a client in 12 months fell from {before} to {now} "
                    "since the last evaluation."
                ).format(before=pct(ref), now=pct(prob))
                reference: float | None = ref
            else:
                text = _(
                    "The estimated chance of still being a client in 12 months is {now}, below {threshold}."
                ).format(now=pct(prob), threshold=pct(settings.retention_min_probability))
                reference = None
            high = prob < settings.retention_min_probability - self.high_margin
            severity = Severity.HIGH if high else Severity.MEDIUM
            findings.append(
                Finding(h.household_id, self.key, severity, text + reasons, 1.0 - prob, reference)
            )
        return findings
