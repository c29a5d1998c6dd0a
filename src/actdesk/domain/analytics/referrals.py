"""The best referral sources: referrers ranked by the clients and assets their referrals brought."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pandas as pd

from actdesk.domain.analytics.common import client_aum, client_mask, fees_t12m, money
from actdesk.domain.analytics.frames import BookFrames
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


def referral_sources(frames: BookFrames, as_of: date) -> list[ReferralSource]:
    """Ranked by converted, then AUM, then referred (then contact id, for a stable order)."""
    refs = frames.referrals[frames.referrals["date"] <= pd.Timestamp(as_of)]
    if refs.empty:
        return []
    households = frames.households
    since = households["client_since"]
    if not frames.periods.empty:  # a household that came back first became a client at its first period
        first = frames.periods.groupby("household_id")["start"].min()
        since = since.copy()
        since.loc[first.index.intersection(since.index)] = first.reindex(since.index).dropna()
    current = client_mask(households, as_of, frames.periods)
    pairs = refs[["referrer_contact_id", "referred_household_id"]].drop_duplicates()
    hid = pairs["referred_household_id"]
    pairs = pairs.assign(
        converted=(since.notna() & (since <= pd.Timestamp(as_of)))
        .reindex(hid, fill_value=False)
        .to_numpy(bool),
        current=current.reindex(hid, fill_value=False).to_numpy(bool),
        aum=client_aum(frames, as_of).reindex(hid, fill_value=0).to_numpy(),
        revenue=fees_t12m(frames, as_of)["total_cents"].reindex(hid, fill_value=0).to_numpy(),
    )
    pairs.loc[~pairs["current"], ["aum", "revenue"]] = 0
    per = pairs.groupby("referrer_contact_id").agg(
        referred=("referred_household_id", "size"),
        converted=("converted", "sum"),
        aum=("aum", "sum"),
        revenue=("revenue", "sum"),
    )
    per = per.reset_index().sort_values(
        ["converted", "aum", "referred", "referrer_contact_id"], ascending=[False, False, False, True]
    )
    contacts = frames.referrers.set_index("contact_id").reindex(per["referrer_contact_id"])
    own = contacts["household_id"]
    known = own.notna() & own.isin(households.index)
    own_ids = own[known].astype("int64")
    kinds = pd.Series("center_of_influence", index=contacts.index, dtype="object")
    was_client = (since.notna() & (since <= pd.Timestamp(as_of))).reindex(own_ids).to_numpy(bool)
    is_client = current.reindex(own_ids).to_numpy(bool)
    kinds[known.to_numpy()] = [
        "client" if c else ("former_client" if w else "prospect")
        for c, w in zip(is_client, was_client, strict=True)
    ]
    names = (contacts["first_name"].fillna("") + " " + contacts["last_name"].fillna("")).str.strip()
    named = (kinds == "center_of_influence").to_numpy(bool)
    if "center_of_influence" in contacts.columns:
        named |= contacts["center_of_influence"].fillna(False).to_numpy(bool)
    return [
        ReferralSource(
            contact_id=int(row.referrer_contact_id),
            name=str(name),
            kind=str(kind),
            referred=int(row.referred),
            converted=int(row.converted),
            aum=money(int(row.aum)),
            revenue=money(int(row.revenue)),
            center_of_influence=bool(coi),
            label=referrer_label(str(kind), bool(coi)),
        )
        for row, name, kind, coi in zip(per.itertuples(index=False), names, kinds, named, strict=True)
    ]
