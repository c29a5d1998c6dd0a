"""The best referral sources: referrers ranked by the clients and assets their referrals brought."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from actdesk.domain.analytics.aum import money
from actdesk.domain.analytics.records import BookRecords
from actdesk.i18n import N_, _

# Who a referrer is, in words: the one home of these labels (reports, the Referrals panel, the CLI).
REFERRER_KINDS = {
    "client": N_("Client"),
    "former_client": N_("Former client"),
    "prospect": N_("Prospect"),
    "center_of_influence": N_("Center of influence"),
}


def referrer_label(kind: str, center_of_influence: bool = False) -> str:
    """The referrer's kind in words; a client (or prospect...) who is also a center of influence says both."""
    text = _(REFERRER_KINDS.get(kind, kind))
    if center_of_influence and kind != "center_of_influence":
        return _("Center of influence ({kind})").format(kind=text)
    return text


@dataclass(frozen=True)
class ReferralSource:
    contact_id: int
    name: str
    kind: str  # "client", "former_client", "prospect" (the referrer's household) or "center_of_influence"
    referred: int  # distinct households referred up to the as-of date
    converted: int  # of them, households that became clients on or before the as-of date
    aum: Decimal  # managed AUM on the as-of date of referred households that are clients then
    revenue: Decimal  # their trailing-12-month fees
    # A center of influence (an accountant, a lawyer...): a contact without a household, or one named a
    # center of influence by a relationship, whatever its own household's status (issue 20).
    center_of_influence: bool = False
    label: str = ""  # kind and center of influence in words, in the language of the run (referrer_label)


def referral_sources(records: BookRecords, as_of: date) -> list[ReferralSource]:
    """Ranked by converted, then AUM, then referred (then contact id, for a stable order)."""
    households = records.households

    def became_client(
        h: int | None,
    ) -> bool:  # a household that came back first became one at its first period
        household = households.get(h) if h is not None else None
        first = None if household is None else household.first_since()
        return first is not None and first <= as_of

    aum, fees = records.aum_on(as_of), records.fees_t12m(as_of)
    per: dict[int, list[int]] = {}  # referrer -> referred, converted, AUM, revenue
    seen: set[tuple[int, int]] = set()
    for ref in records.referrals:
        pair = (ref.referrer_contact_id, ref.referred_household_id)
        if ref.date > as_of or pair in seen:
            continue
        seen.add(pair)
        sums = per.setdefault(pair[0], [0, 0, 0, 0])
        h = pair[1]
        sums[0] += 1
        sums[1] += became_client(h)
        if h in aum:  # a client on the as-of date
            sums[2] += aum[h]
            sums[3] += fees.get(h, (0, 0, 0))[2]
    ranked = sorted(per.items(), key=lambda item: (-item[1][1], -item[1][2], -item[1][0], item[0]))
    out = []
    for contact_id, (referred, converted, aum_cents, revenue) in ranked:
        contact = records.referrers.get(contact_id)
        own = None if contact is None else contact.household_id
        if own is not None and own in households:
            kind = (
                "client"
                if households[own].client_on(as_of)
                else ("former_client" if became_client(own) else "prospect")
            )
        else:
            kind = "center_of_influence"
        name = "" if contact is None else f"{contact.first_name or ''} {contact.last_name or ''}".strip()
        coi = kind == "center_of_influence" or (contact is not None and contact.center_of_influence)
        out.append(
            ReferralSource(
                contact_id=contact_id,
                name=name,
                kind=kind,
                referred=referred,
                converted=converted,
                aum=money(aum_cents),
                revenue=money(revenue),
                center_of_influence=coi,
                label=referrer_label(kind, coi),
            )
        )
    return out
