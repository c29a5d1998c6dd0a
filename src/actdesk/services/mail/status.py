"""What ``actdesk mail status`` and the account screen show: how mail leaves, who is signed in, until when,
whether sending is paused, and how the reply watcher is doing. Never contacts a server."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from actdesk.i18n import _
from actdesk.services.mail.config import MailSettings
from actdesk.services.mail.oauth import sign_in_state
from actdesk.services.mail.oauth_errors import sign_in_hint
from actdesk.services.mail.transports import transport_name
from actdesk.storage.engine import Book
from actdesk.storage.repositories import mail_inbox as repo


@dataclass(frozen=True)
class MailStatus:
    provider: str
    transport: str
    signed_in_as: str | None
    signed_in: bool
    token_expires_at: datetime | None
    sending_paused: bool
    paused_reason: str | None
    imap_enabled: bool
    imap_server: str | None
    imap_folder: str
    last_sync: datetime | None
    last_error: str | None
    last_error_at: datetime | None
    replies: dict[str, int]
    outbox: dict[str, int]

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def mail_status(book: Book | None, cfg: MailSettings) -> MailStatus:
    state = sign_in_state(cfg)
    paused = cfg.uses_oauth and state.needs_sign_in
    reason = None
    if paused:
        reason = _("Not signed in, or the sign-in was revoked.") + " " + sign_in_hint(cfg.provider)
    login = (cfg.imap_user or cfg.login).lower()
    sync = None
    replies: dict[str, int] = {}
    outbox: dict[str, int] = {}
    if book is not None:
        with book.reader() as s:
            sync = repo.sync_state(s, login, cfg.imap_folder or "INBOX") if login else None
            replies = repo.counts(s)
            outbox = repo.outbox_counts(s)
    return MailStatus(
        provider=cfg.provider,
        transport=transport_name(cfg),
        signed_in_as=(state.account or None) if cfg.uses_oauth else (cfg.user or None),
        signed_in=state.signed_in if cfg.uses_oauth else bool(cfg.user),
        token_expires_at=state.token_expires_at,
        sending_paused=paused,
        paused_reason=reason,
        imap_enabled=cfg.imap_enabled,
        imap_server=f"{cfg.imap_host}:{cfg.imap_port}" if cfg.imap_host else None,
        imap_folder=cfg.imap_folder or "INBOX",
        last_sync=sync.last_sync_at if sync else None,
        last_error=sync.last_error if sync else None,
        last_error_at=sync.last_error_at if sync else None,
        replies=replies,
        outbox=outbox,
    )
