"""Work the Campaigns panel hands to the task runner: plain functions ``fn(state, ...)``, no widgets touched."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from actdesk.services.mail import automations, campaigns, library, outbox
from actdesk.services.mail.config import MailSettings
from actdesk.services.schedule_zone import advisor_zone
from actdesk.settings import Settings
from actdesk.storage.engine import Book
from actdesk.storage.repositories import mail as repo
from actdesk.storage.repositories.mail_audience import Recipient, load_recipients


class JobState(Protocol):
    """What the window's task runner passes each job (``ui/tasks.TaskState``): progress and cancellation."""

    @property
    def cancelled(self) -> bool: ...

    def progress(self, fraction: float, message: str = "") -> None: ...


@dataclass(frozen=True)
class OutboxSnapshot:
    entries: list[repo.OutboxEntry]
    campaigns: list[repo.CampaignSummary]


def load_outbox(state: JobState, book: Book) -> OutboxSnapshot:
    with book.reader() as s:
        return OutboxSnapshot(repo.list_messages(s), repo.campaign_summaries(s))


def send_now(state: JobState, book: Book, cfg: MailSettings) -> outbox.SendReport:
    def progress(done: int, total: int) -> None:
        state.progress(done / max(total, 1))

    return outbox.send_due(book, cfg, should_stop=lambda: state.cancelled, progress=progress)


def run_rules(state: JobState, book: Book, settings: Settings, cfg: MailSettings, now: datetime) -> Any:
    from actdesk.services.mail.archive import purge_expired

    sender = campaigns.Sender.from_settings(cfg, settings.general)
    report = automations.run_automations(book, cfg, sender, now=now, tz=advisor_zone(settings))
    # The life-events questionnaire is one more automation rule.
    from actdesk.services.engagement.questionnaire import questionnaire_step

    report = questionnaire_step(
        book, cfg, settings, sender, now=now, tz=advisor_zone(settings), report=report
    )
    purge_expired(book, cfg, now)
    return report


def count(state: JobState, book: Book, audience: str, now: datetime) -> campaigns.AudiencePlan:
    return campaigns.count_audience(book, audience, now, campaigns.analytics_segments(book, now))


def audience_choices(state: JobState, book: Book) -> Any:
    from actdesk.storage.repositories.mail_audience import audience_choices as load

    with book.reader() as s:
        return load(s)


def queue_campaign(
    state: JobState,
    book: Book,
    settings: Settings,
    cfg: MailSettings,
    template_name: str,
    audience: str,
    when: datetime | None,
    name: str,
    now: datetime,
) -> campaigns.CampaignResult:
    template = library.load_template(book, template_name, cfg.language)
    sender = campaigns.Sender.from_settings(cfg, settings.general)
    return campaigns.create_campaign(
        book,
        template,
        audience,
        sender,
        now=now,
        tz=advisor_zone(settings),
        scheduled_for=when,
        name=name or None,
        segments=campaigns.analytics_segments(book, now),
    )


def retry(state: JobState, book: Book, message_pk: int, now: datetime) -> None:
    with book.session() as s:
        repo.requeue(s, message_pk, now)


def cancel(state: JobState, book: Book, message_pk: int) -> None:
    with book.session() as s:
        repo.cancel(s, message_pk)


def opt_out(state: JobState, book: Book, address: str, now: datetime, note: str) -> list[int]:
    with book.session() as s:
        return repo.record_opt_out(s, address, now, note)


def recipients(state: JobState, book: Book, now: datetime) -> list[Recipient]:
    with book.reader() as s:
        return [r for r in load_recipients(s, now) if r.contact.email]


def save_template(state: JobState, book: Book, template: Any) -> None:
    library.save_template(book, template)


def load_template(state: JobState, book: Book, name: str, language: str) -> Any:
    return library.load_template(book, name, language)


def template_names(state: JobState, book: Book, language: str) -> list[str]:
    return library.template_names(book, language)


def send_test(
    state: JobState, settings: Settings, cfg: MailSettings, to_addr: str, password: str | None
) -> str:
    from actdesk.services.mail.account import send_test_message

    return send_test_message(settings, to_addr, datetime.now(UTC), cfg, password or None)
