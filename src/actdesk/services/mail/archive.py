"""The sent-mail archive kept for the record (SEC rule 204-2: five years), and its retention."""

from __future__ import annotations

from datetime import datetime, timedelta

from actdesk.i18n import _
from actdesk.services.mail.config import MIN_RETENTION_YEARS, MailConfigError, MailSettings, retention_warning
from actdesk.storage.engine import Book
from actdesk.storage.repositories import mail as repo


def set_retention(cfg: MailSettings, years: int, *, confirmed: bool = False) -> MailSettings:
    """Retention below five years needs an explicit confirmation; the warning says why."""
    if years < 1:
        raise MailConfigError(_("Retention must be at least one year."))
    warning = retention_warning(years)
    if warning and not confirmed:
        raise MailConfigError(warning + " " + _("Repeat with --confirm-short-retention to accept."))
    cfg.retention_years = years
    cfg.retention_below_minimum_confirmed = years < MIN_RETENTION_YEARS
    return cfg


def purge_expired(book: Book, cfg: MailSettings, now: datetime) -> int:
    """Delete archived mail older than the retention period; refuses a short period nobody confirmed."""
    years = cfg.retention_years
    if years < MIN_RETENTION_YEARS and not cfg.retention_below_minimum_confirmed:
        years = MIN_RETENTION_YEARS
    cutoff = now - timedelta(days=366 * years)
    with book.session() as s:
        return repo.purge_archive(s, cutoff)
