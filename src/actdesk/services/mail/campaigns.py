"""Campaigns: one template, a saved audience, a time. Everything is rendered and stored before it is queued.

Audience filters are terms joined by commas (all must hold); a term's alternatives are joined by ``|``:
``status=client,segment=A|B,tag=golf,age=60-70,quiet=180`` (``contacted=90``: contacted within 90 days;
``quiet=180``: no call, meeting, review or e-mail for 180 days). The window builds this text from controls; the
command line takes it as typed. Recipients without an address, marked do-not-email or
opted out are skipped and counted by reason; an address shared by two contacts gets one message.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from typing import Any

from sqlalchemy.orm import Session

from actdesk.domain.enums import HouseholdStatus
from actdesk.formats import clip
from actdesk.i18n import N_, _
from actdesk.services.mail.compose import AddressProblem, Composed, compose, mail_address
from actdesk.services.mail.config import MailConfigError, MailSettings
from actdesk.services.mail.merge import age_on, merge_context, sample_recipient
from actdesk.services.mail.templates import MailTemplate, check_template, render
from actdesk.settings import GeneralSettings
from actdesk.storage.engine import Book
from actdesk.storage.repositories import mail as repo
from actdesk.storage.repositories.households import household_names
from actdesk.storage.repositories.mail_audience import Recipient, load_recipients

FILTER_KEYS = (
    "segment",
    "status",
    "tag",
    "age",
    "role",
    "city",
    "region",
    "country",
    "household",
    "contacted",  # contacted within the last N days
    "quiet",  # not contacted for at least N days (or never)
)
DEFAULT_ROLES = ("primary", "spouse")
SKIP_REASONS = {
    "no_email": N_("no e-mail address"),
    "invalid_email": N_("invalid e-mail address"),
    "do_not_email": N_("do-not-email"),
    "opted_out": N_("opted out"),
    "duplicate_email": N_("same address as another recipient"),
}


class AudienceError(ValueError):
    """A filter the advisor wrote that cannot be understood; the message says how to write it."""


@dataclass(frozen=True)
class AudienceFilter:
    terms: tuple[tuple[str, tuple[str, ...]], ...] = ()
    text: str = ""

    def values(self, key: str) -> tuple[str, ...] | None:
        for k, vals in self.terms:
            if k == key:
                return vals
        return None


@dataclass
class AudiencePlan:
    recipients: list[Recipient] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)
    skipped_names: list[tuple[str, str]] = field(default_factory=list)  # (contact name, reason key)


@dataclass(frozen=True)
class CampaignResult:
    campaign_id: int
    queued: int
    skipped: dict[str, int]
    scheduled_for: datetime


def parse_audience(text: str) -> AudienceFilter:
    terms: list[tuple[str, tuple[str, ...]]] = []
    for raw in (t.strip() for t in text.split(",")):
        if not raw or raw.lower() == "all":
            continue
        key, sep, value = raw.partition("=")
        key = key.strip().lower()
        if not sep or not value.strip():
            raise AudienceError(
                _("'{term}' is not a filter; write key=value, e.g. status=client").format(term=raw)
            )
        if key not in FILTER_KEYS:
            raise AudienceError(
                _("unknown filter '{key}'; use one of: {keys}").format(key=key, keys=", ".join(FILTER_KEYS))
            )
        alternatives = tuple(v.strip() for v in value.split("|") if v.strip())
        if key == "age":
            for alt in alternatives:
                _age_range(alt)
        if key in ("contacted", "quiet"):
            for alt in alternatives:
                _days(key, alt)
        terms.append((key, alternatives))
    return AudienceFilter(tuple(terms), text.strip())


def check_audience_values(s: Session, flt: AudienceFilter) -> None:
    """A status or household that does not exist is a typo, not an empty audience (issue 25, item 11)."""
    statuses = flt.values("status") or ()
    known_statuses = [x.value for x in HouseholdStatus]
    for value in statuses:
        if value.lower() not in known_statuses:
            raise AudienceError(
                _("unknown status '{value}'; use one of: {values}").format(
                    value=clip(value), values=", ".join(known_statuses)
                )
            )
    households = flt.values("household") or ()
    if households:
        names = household_names(s)
        known = {str(i) for i in names} | {n.lower() for n in names.values()}
        for value in households:
            if value.lower() not in known:
                raise AudienceError(
                    _("there is no household '{value}' (give its id or its exact name)").format(
                        value=clip(value)
                    )
                )


def _age_range(text: str) -> tuple[int, int]:
    low, sep, high = text.partition("-")
    try:
        lo = int(low) if low.strip() else 0
        hi = int(high) if sep and high.strip() else (lo if not sep else 200)
    except ValueError:
        raise AudienceError(
            _("'{value}' is not an age band; write e.g. age=60-70").format(value=text)
        ) from None
    if lo > hi:
        raise AudienceError(_("'{value}' is not an age band; write e.g. age=60-70").format(value=text))
    return lo, hi


def _days(key: str, text: str) -> int:
    if not text.strip().isdigit():
        raise AudienceError(
            _("'{value}' is not a number of days; write e.g. {key}=90").format(value=text, key=key)
        )
    return int(text)


SegmentLookup = Callable[[], dict[int, str]]


def analytics_segments(book: Book, as_of: datetime) -> SegmentLookup:
    """Segments from the analytics engine, read only, loaded once and only when a filter needs them."""

    def lookup() -> dict[int, str]:
        try:
            from actdesk.domain.analytics.config import AnalyticsConfig
            from actdesk.domain.analytics.segments import assign_segments
            from actdesk.storage.book_records import load_book_records
        except ImportError:
            raise AudienceError(_("Segments are not available in this version of actdesk yet.")) from None
        with book.reader() as s:
            records = load_book_records(s, as_of.date())
        try:
            segments = assign_segments(records, as_of.date(), AnalyticsConfig())
        except NotImplementedError:
            raise AudienceError(_("Segments are not available in this version of actdesk yet.")) from None
        return {int(k): str(v) for k, v in segments.items()}

    return lookup


def _matches(r: Recipient, flt: AudienceFilter, today: datetime, segments: dict[int, str] | None) -> bool:
    c, hh = r.contact, r.household
    roles = flt.values("role") or DEFAULT_ROLES
    if str(c.role) not in {v.lower() for v in roles}:
        return False
    for key, alts in flt.terms:
        lowered = {a.lower() for a in alts}
        if key == "status" and (hh is None or str(hh.status) not in lowered):
            return False
        if key == "tag" and (hh is None or not lowered & {t.lower() for t in hh.tags}):
            return False
        if key == "household" and (
            hh is None or (str(hh.id) not in lowered and hh.name.lower() not in lowered)
        ):
            return False
        if key in ("city", "region", "country") and (getattr(c, key) or "").lower() not in lowered:
            return False
        if key == "segment" and (
            segments is None or hh is None or segments.get(hh.id or -1, "").lower() not in lowered
        ):
            return False
        if key == "age":
            age = age_on(c.birth_date, today.date())
            if age is None or not any(lo <= age <= hi for lo, hi in map(_age_range, alts)):
                return False
        if key in ("contacted", "quiet"):
            days = min(_days(key, a) for a in alts)
            recent = r.last_contact is not None and r.last_contact >= today - timedelta(days=days)
            if recent != (key == "contacted"):
                return False
    return True


def plan_audience(
    recipients: Iterable[Recipient], flt: AudienceFilter, now: datetime, segments: SegmentLookup | None = None
) -> AudiencePlan:
    seg = None
    if flt.values("segment") is not None:
        if segments is None:
            raise AudienceError(_("Segments are not available in this version of actdesk yet."))
        seg = segments()
    plan = AudiencePlan()
    seen: set[str] = set()
    for r in recipients:
        if not _matches(r, flt, now, seg):
            continue
        reason = skip_reason(r, seen)
        if reason:
            plan.skipped[reason] += 1
            plan.skipped_names.append((r.contact.full_name, reason))
        else:
            plan.recipients.append(r)
    return plan


def skip_reason(r: Recipient, seen: set[str] | None = None) -> str | None:
    c = r.contact
    if c.do_not_email:
        return "do_not_email"
    if c.email_opt_out_at is not None:
        return "opted_out"
    if not c.email or not c.email.strip():
        return "no_email"
    try:
        addr = mail_address(c.email).addr_spec.lower()
    except AddressProblem:
        return "invalid_email"
    if seen is not None:
        if addr in seen:
            return "duplicate_email"
        seen.add(addr)
    return None


@dataclass(frozen=True)
class Sender:
    """Everything about the advisor a message needs, from the settings."""

    address: str
    name: str
    reply_to: str
    signature: str
    practice: str
    advisor: str
    currency: str

    @classmethod
    def from_settings(cls, cfg: MailSettings, general: GeneralSettings) -> Sender:
        if not cfg.sender:
            raise MailConfigError(_("No sender address is set. Run 'actdesk mail configure --from ADDRESS'."))
        return cls(
            cfg.sender,
            cfg.from_name or general.advisor_name,
            cfg.reply_to,
            cfg.signature,
            general.practice(),
            general.advisor_name,
            general.currency,
        )


def build_message(
    template: MailTemplate,
    r: Recipient,
    sender: Sender,
    now: datetime,
    tz: tzinfo,
    extra: dict[str, Any] | None = None,
) -> Composed:
    context = merge_context(
        r,
        language=template.language,
        now=now,
        tz=tz,
        signature=sender.signature,
        practice=sender.practice,
        advisor=sender.advisor,
        currency=sender.currency,
        extra=extra,
    )
    rendered = render(template, context)
    assert r.contact.email is not None
    return compose(
        rendered,
        sender=sender.address,
        sender_name=sender.name,
        to_addr=r.contact.email,
        to_name=r.contact.full_name,
        now=now,
        marketing=template.marketing,
        language=template.language,
        practice=sender.practice,
        reply_to=sender.reply_to,
    )


def create_campaign(
    book: Book,
    template: MailTemplate,
    audience: str,
    sender: Sender,
    *,
    now: datetime,
    tz: tzinfo,
    scheduled_for: datetime | None = None,
    name: str | None = None,
    segments: SegmentLookup | None = None,
    extra: dict[str, Any] | None = None,
    activity_id: int | None = None,
) -> CampaignResult:
    """Render, compose and queue one message per recipient in a single unit of work (all or nothing)."""
    flt = parse_audience(audience)
    when = scheduled_for or now
    sample = merge_context(
        sample_recipient(),
        language=template.language,
        now=now,
        tz=tz,
        signature="",
        practice="",
        advisor="",
        extra=extra,
    )
    check_template(template, sample)
    with book.session() as s:
        check_audience_values(s, flt)
        plan = plan_audience(load_recipients(s, now), flt, now, segments)
        messages = [build_message(template, r, sender, now, tz, extra) for r in plan.recipients]
        skipped = dict(sorted(plan.skipped.items()))
        campaign_id = repo.create_campaign(
            s,
            name=name or template.name,
            template_name=template.name,
            audience=flt.text or "all",
            scheduled_for=when,
            marketing=template.marketing,
            skipped=skipped,
            now=now,
            activity_id=activity_id,
        )
        repo.add_messages(
            s,
            (
                repo.NewMessage(
                    m.message_id,
                    m.raw,
                    m.to_addr,
                    m.from_addr,
                    m.subject,
                    when,
                    template.marketing,
                    template.name,
                    campaign_id,
                    r.contact.household_id,
                    r.contact.id,
                    activity_id,
                )
                for m, r in zip(messages, plan.recipients, strict=True)
            ),
        )
    return CampaignResult(campaign_id, len(messages), skipped, when)


def count_audience(
    book: Book, audience: str, now: datetime, segments: SegmentLookup | None = None
) -> AudiencePlan:
    """What a campaign would reach right now (the builder's live count)."""
    flt = parse_audience(audience)
    with book.reader() as s:
        return plan_audience(load_recipients(s, now), flt, now, segments)
