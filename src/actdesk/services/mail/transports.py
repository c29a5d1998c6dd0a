"""The outbox's transports: SMTP (password or XOAUTH2) and Microsoft Graph, chosen by the account settings.

Both keep one contract (``connect``/``send``/``close`` and the same four exceptions), so the outbox's
at-most-once claim, its rate limit and its archive do not depend on how a message leaves.
"""

from __future__ import annotations

from typing import Protocol

from actdesk.services.mail.config import MailSettings
from actdesk.services.mail.graph import GraphSession
from actdesk.services.mail.smtp import SmtpSession


class Transport(Protocol):
    @property
    def connected(self) -> bool: ...
    def connect(self) -> None: ...
    def send(self, raw: bytes, sender: str, recipients: list[str]) -> str: ...
    def close(self) -> None: ...


def transport_name(cfg: MailSettings) -> str:
    if cfg.provider == "microsoft" and cfg.transport == "graph":
        return "graph"
    return "smtp-xoauth2" if cfg.uses_oauth else "smtp-password"


def open_transport(cfg: MailSettings) -> Transport:
    if transport_name(cfg) == "graph":
        return GraphSession.from_settings(cfg)
    return SmtpSession.from_settings(cfg)
