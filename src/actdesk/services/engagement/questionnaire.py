"""The questionnaire goes out with the mail automations, some days before each scheduled review.

It reuses the mail module end to end: ``review_occasions(..., rule="questionnaire")`` picks the primary and
spouse contacts of every household with a review coming up, ``queue_occasions`` renders and queues one
message each (a rescheduled review cancels the stale one; running twice queues nothing new). Each occasion
carries the household's token as the merge field ``questionnaire.token``; the message's own Message-ID,
stored in the outbox, is what a reply's In-Reply-To / References point back to.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, tzinfo
from pathlib import Path

from actdesk.domain.engagement.questionnaire import (
    Questionnaire,
    QuestionnaireError,
    make_token,
    parse_definition,
    template_body,
)
from actdesk.i18n import _
from actdesk.paths import resource
from actdesk.services.engagement.config import (
    EngagementSettings,
    load_engagement_settings,
    questionnaires_dir,
)
from actdesk.services.mail.automations import AutomationReport, Occasion, queue_occasions, review_occasions
from actdesk.services.mail.campaigns import Sender
from actdesk.services.mail.config import MailSettings
from actdesk.services.mail.merge import activity_fields
from actdesk.services.mail.templates import MailTemplate, TemplateProblem
from actdesk.settings import Settings
from actdesk.storage.engine import Book
from actdesk.storage.repositories import engagement as repo
from actdesk.storage.repositories.mail_audience import load_recipients, next_reviews

TEMPLATE_NAME = "questionnaire"
FILE_NAME = "life-events.toml"
LANGUAGES = ("en", "es")


def definition_path(cfg: EngagementSettings, language: str) -> Path | None:
    """The advisor's edited copy, if there is one."""
    path = questionnaires_dir(cfg) / language / FILE_NAME
    return path if path.is_file() else None


def load_questionnaire(cfg: EngagementSettings, language: str) -> Questionnaire:
    """The advisor's edited questionnaire in ``language``, else the shipped default (English if none)."""
    edited = definition_path(cfg, language)
    if edited is not None:
        try:
            return parse_definition(edited.read_text(encoding="utf-8"), language)
        except (OSError, UnicodeDecodeError) as exc:
            raise QuestionnaireError(
                _("The questionnaire file {path} could not be read: {error}").format(path=edited, error=exc)
            ) from None
    for lang in (language, "en"):
        node = resource("questionnaires", lang, FILE_NAME)
        if node.is_file():
            return parse_definition(node.read_text(encoding="utf-8"), lang)
    raise QuestionnaireError(_("No questionnaire is installed."))


def all_questionnaires(cfg: EngagementSettings, first: str) -> list[Questionnaire]:
    """Every language's questionnaire, ``first`` first (the language it was sent in wins a tie)."""
    order = [first, *[lang for lang in LANGUAGES if lang != first]]
    out: list[Questionnaire] = []
    for lang in order:
        q = load_questionnaire(cfg, lang)
        if all(q.language != o.language for o in out):
            out.append(q)
    return out


def export_default(cfg: EngagementSettings, language: str) -> Path:
    """Copy the shipped questionnaire where the advisor can edit it (never overwriting an edited one)."""
    target = questionnaires_dir(cfg) / language / FILE_NAME
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        node = resource("questionnaires", language if language in LANGUAGES else "en", FILE_NAME)
        target.write_text(node.read_text(encoding="utf-8"), encoding="utf-8")
    return target


def mail_template(q: Questionnaire) -> MailTemplate:
    """The questionnaire as a service (non-marketing) mail template: no unsubscribe line."""
    return MailTemplate(TEMPLATE_NAME, q.subject, template_body(q), None, q.language, marketing=False)


def _with_tokens(occasions: list[Occasion], households: dict[int, int], key: bytes) -> list[Occasion]:
    out = []
    for o in occasions:
        hid = households.get(o.contact_id)
        if hid is None:
            continue
        out.append(replace(o, extra={**o.extra, "questionnaire": {"token": make_token(hid, key)}}))
    return out


def run_questionnaire_automation(
    book: Book,
    mail: MailSettings,
    cfg: EngagementSettings,
    sender: Sender,
    *,
    now: datetime,
    tz: tzinfo,
    report: AutomationReport | None = None,
) -> AutomationReport:
    """Queue the questionnaire for every household with a review within ``questionnaire_days_before`` days."""
    report = report or AutomationReport()
    if not cfg.questionnaire_enabled:
        return report
    q = load_questionnaire(cfg, mail.language)
    template = mail_template(q)
    with book.session() as s:
        key = repo.book_key(s)
    with book.reader() as s:
        people = load_recipients(s, now)
        occasions = review_occasions(
            s,
            people,
            now,
            tz,
            days_before=cfg.questionnaire_days_before,
            rule=TEMPLATE_NAME,
            template=TEMPLATE_NAME,
            language=q.language,
        )
    households = {
        r.contact.id: r.contact.household_id for r in people if r.contact.id and r.contact.household_id
    }
    return queue_occasions(
        book,
        _with_tokens(occasions, households, key),
        sender,
        now=now,
        tz=tz,
        language=q.language,
        templates=lambda _name, _lang: template,
        report=report,
    )


def send_questionnaire(
    book: Book,
    household_id: int,
    mail: MailSettings,
    cfg: EngagementSettings,
    sender: Sender,
    *,
    now: datetime,
    tz: tzinfo,
) -> AutomationReport:
    """Queue the questionnaire for one household now (the advisor asked), to its primary and spouse."""
    q = load_questionnaire(cfg, mail.language)
    with book.session() as s:
        key = repo.book_key(s)
    with book.reader() as s:
        people = [
            r
            for r in load_recipients(s, now, household_ids=[household_id])
            if str(r.contact.role) in ("primary", "spouse")
        ]
        review = next_reviews(s, now, [household_id]).get(household_id)
    if not people:
        raise LookupError(_("Household {id} has no primary or spouse contact.").format(id=household_id))
    fields = (
        activity_fields("", review, None, q.language, tz)
        if review
        else {"date": "", "subject": "", "time": "", "location": ""}
    )
    if review is None:
        fields["date"] = _("our next meeting")
    stamp = now.strftime("%Y%m%d%H%M")
    occasions = [
        Occasion(
            f"questionnaire:manual:{household_id}:{r.contact.id}:{stamp}",
            TEMPLATE_NAME,
            TEMPLATE_NAME,
            r.contact.id or 0,
            now,
            None,
            {
                "review": fields,
                "next_review_date": fields["date"],
                "questionnaire": {"token": make_token(household_id, key)},
            },
        )
        for r in people
    ]
    return queue_occasions(
        book,
        occasions,
        sender,
        now=now,
        tz=tz,
        language=q.language,
        templates=lambda _name, _lang: mail_template(q),
    )


def questionnaire_step(
    book: Book,
    mail: MailSettings,
    settings: Settings,
    sender: Sender,
    *,
    now: datetime,
    tz: tzinfo,
    report: AutomationReport,
) -> AutomationReport:
    """The questionnaire as one more rule of the mail module's "Run automations" (window and command line).

    A broken edited questionnaire is reported like a broken mail template, naming the problem.
    """
    try:
        return run_questionnaire_automation(
            book, mail, load_engagement_settings(settings), sender, now=now, tz=tz, report=report
        )
    except QuestionnaireError as exc:
        raise TemplateProblem(str(exc)) from None
