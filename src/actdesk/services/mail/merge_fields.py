"""Merge fields in words: what the template editor's picker offers, and the check for unknown fields.

The picker shows "First name", "Next review date"… and inserts ``{{ contact.first_name }}``; the check reads
the template's own syntax tree (no rendering, no Python error text) and names each unknown field with the
closest known one.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from jinja2 import nodes
from jinja2.exceptions import TemplateSyntaxError
from jinja2.sandbox import SandboxedEnvironment

from actdesk.i18n import N_, _
from actdesk.services.mail.merge import field_catalog

GROUPS = (
    ("contact", N_("Client")),
    ("household", N_("Household")),
    ("advisor", N_("You")),
    ("review", N_("Next review")),
    ("event", N_("Event")),
    ("", N_("Other")),
)
LABELS = {
    "contact.first_name": N_("First name"),
    "contact.last_name": N_("Last name"),
    "contact.full_name": N_("Full name"),
    "contact.role": N_("Role in the household"),
    "contact.email": N_("E-mail address"),
    "contact.phone": N_("Phone"),
    "contact.birth_date": N_("Date of birth"),
    "contact.age": N_("Age"),
    "contact.income": N_("Income"),
    "contact.net_worth": N_("Net worth"),
    "contact.risk_tolerance": N_("Risk tolerance"),
    "contact.occupation": N_("Occupation"),
    "contact.address": N_("Street address"),
    "contact.city": N_("City"),
    "contact.region": N_("Region"),
    "contact.postal_code": N_("Postal code"),
    "contact.country": N_("Country"),
    "household.name": N_("Household name"),
    "household.status": N_("Household status"),
    "household.client_since": N_("Client since"),
    "household.client_until": N_("Client until"),
    "household.leaving_reason": N_("Reason for leaving"),
    "household.owner": N_("Household owner"),
    "household.tags": N_("Tags"),
    "salutation": N_("Greeting (Dear …)"),
    "signature": N_("Your signature"),
    "advisor.name": N_("Advisor name"),
    "advisor.practice": N_("Practice name"),
    "next_review_date": N_("Next review date"),
    "next_review_time": N_("Next review time"),
    "client_years": N_("Years as a client"),
    "tenure_years": N_("Years as a client, every period added up"),
    "first_client_since": N_("First became a client"),
    "returned_on": N_("Came back as a client on"),
    "today": N_("Today's date"),
    "review.subject": N_("Review subject"),
    "review.date": N_("Review date"),
    "review.time": N_("Review time"),
    "review.location": N_("Review place"),
    "event.subject": N_("Event name"),
    "event.date": N_("Event date"),
    "event.time": N_("Event time"),
    "event.location": N_("Event place"),
}
# The fields an advisor reaches for first, shown at the top of the picker.
COMMON = (
    "contact.first_name",
    "household.name",
    "next_review_date",
    "advisor.name",
    "salutation",
    "signature",
)


@dataclass(frozen=True)
class MergeField:
    name: str  # contact.first_name
    label: str  # translated: "First name"
    group: str  # translated: "Client"

    @property
    def placeholder(self) -> str:
        return "{{ " + self.name + " }}"


def _group_of(name: str) -> str:
    head = name.split(".", 1)[0] if "." in name else ""
    if name.startswith("next_review"):
        head = "review"
    return next((_(label) for key, label in GROUPS if key == head), _("Other"))


def merge_fields() -> list[MergeField]:
    """Every advertised field in words, the common ones first, then by group."""
    names = field_catalog()
    ordered = [n for n in COMMON if n in names] + [n for n in names if n not in COMMON]
    return [MergeField(n, _(LABELS[n]) if n in LABELS else n, _group_of(n)) for n in ordered]


@dataclass(frozen=True)
class UnknownField:
    name: str
    suggestion: str | None  # the closest known field, if one is close


def _dotted(node: nodes.Node) -> str | None:
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        base = _dotted(node.node)
        return None if base is None else f"{base}.{node.attr}"
    return None


def used_fields(source: str) -> list[str]:
    """The merge fields a template text uses (``contact.first_name``), in order, without rendering it."""
    env = SandboxedEnvironment()
    try:
        tree = env.parse(source)
    except TemplateSyntaxError:
        return []
    found: list[str] = []
    assigned = {n.name for n in tree.find_all(nodes.Name) if n.ctx in ("store", "param")}
    for node in tree.find_all((nodes.Getattr, nodes.Name)):
        if isinstance(node, nodes.Name) and node.ctx != "load":
            continue
        name = _dotted(node)
        if name is None or name.split(".", 1)[0] in assigned:
            continue
        found.append(name)
    # A Getattr contains its Name: keep the longest path of each chain.
    return [n for n in dict.fromkeys(found) if not any(o != n and o.startswith(n + ".") for o in found)]


def unknown_fields(sources: list[str], known: list[str] | None = None) -> list[UnknownField]:
    """Fields used in ``sources`` that no recipient has, with the nearest known one to suggest."""
    known_names = known if known is not None else field_catalog()
    allowed = set(known_names) | {n.split(".", 1)[0] for n in known_names}
    out: list[UnknownField] = []
    for source in sources:
        for name in used_fields(source):
            if name in allowed or any(k.startswith(name + ".") for k in known_names):
                continue
            close = difflib.get_close_matches(name, known_names, n=1, cutoff=0.8)
            if all(u.name != name for u in out):
                out.append(UnknownField(name, close[0] if close else None))
    return out


def describe_unknown(unknown: list[UnknownField]) -> str:
    """One sentence naming the unknown fields and what was probably meant."""
    parts = []
    for u in unknown:
        if u.suggestion:
            parts.append(
                _("{{{{ {field} }}}} (did you mean {{{{ {suggestion} }}}}?)").format(
                    field=u.name, suggestion=u.suggestion
                )
            )
        else:
            parts.append("{{ " + u.name + " }}")
    return _("Unknown merge field: {fields}. Pick fields from the list on the right.").format(
        fields=", ".join(parts)
    )
