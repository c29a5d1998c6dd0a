"""Enum values as people and other tools write them: "Roth IRA", "roth-ira", "401(k)", "Traditional IRA".

A value is matched to the column's allowed values after folding case, spaces, hyphens, dots and brackets
("Roth IRA" -> roth_ira, "401(k)" -> 401k), then through a short list of common synonyms ("Traditional IRA" ->
ira, "Active Client" -> client). Only an allowed value of that column can come out; anything else is still
refused with the list of allowed values. Every value read this way is reported, so a book exported by another
tool imports and the advisor sees what was read how.
"""

from __future__ import annotations

import re

_NON_WORD = re.compile(r"[^a-z0-9]+")

# Folded text -> value; used only when the value is one of the column's allowed values.
SYNONYMS: dict[str, str] = {
    # account types
    "traditional_ira": "ira",
    "trad_ira": "ira",
    "rollover_ira": "ira",
    "sep_ira": "ira",
    "simple_ira": "ira",
    "inherited_ira": "ira",
    "individual_retirement_account": "ira",
    "roth": "roth_ira",
    "roth_ira_account": "roth_ira",
    "inherited_roth_ira": "roth_ira",
    "401_k": "401k",
    "roth_401k": "401k",
    "solo_401k": "401k",
    "529_plan": "529",
    "529_college_savings": "529",
    "college_savings": "529",
    "college_savings_plan": "529",
    "taxable": "brokerage",
    "individual": "brokerage",
    "joint": "brokerage",
    "jtwros": "brokerage",
    "brokerage_account": "brokerage",
    "individual_brokerage": "brokerage",
    "joint_brokerage": "brokerage",
    "bank": "checking",
    "checking_account": "checking",
    "bank_account": "checking",
    "variable_annuity": "annuity",
    "fixed_annuity": "annuity",
    "fixed_indexed_annuity": "annuity",
    "life_insurance": "insurance",
    "whole_life": "insurance",
    "term_life": "insurance",
    "revocable_trust": "trust",
    "living_trust": "trust",
    "irrevocable_trust": "trust",
    # household status
    "active_client": "client",
    "current_client": "client",
    "customer": "client",
    "former": "former_client",
    "past_client": "former_client",
    "lost_client": "former_client",
    "inactive_client": "former_client",
    "potential_client": "prospect",
    # contact roles
    "head": "primary",
    "head_of_household": "primary",
    "primary_contact": "primary",
    "partner": "spouse",
    "wife": "spouse",
    "husband": "spouse",
    "son": "child",
    "daughter": "child",
    "dependent": "child",
    "beneficiary": "heir",
    # activity kinds
    "phone_call": "call",
    "phone": "call",
    "e_mail": "email",
    "mail": "email",
    "appointment": "meeting",
    "to_do": "task",
    "todo": "task",
}


def fold(text: str) -> str:
    """ "Roth IRA" -> "roth_ira", "401(k)" -> "401k", "Former-Client" -> "former_client"."""
    folded = text.strip().lower().replace("&", " and ")
    folded = re.sub(r"[().']", "", folded)
    return _NON_WORD.sub("_", folded).strip("_")


def lenient(text: str, choices: tuple[str, ...]) -> str | None:
    """The allowed value ``text`` stands for, or None."""
    folded = fold(text)
    by_fold = {fold(choice): choice for choice in choices}
    if folded in by_fold:
        return by_fold[folded]
    synonym = SYNONYMS.get(folded)
    return synonym if synonym in choices else None
