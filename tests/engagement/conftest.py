"""The mail tests' real SMTP server (aiosmtpd on 127.0.0.1, STARTTLS, AUTH) and helpers, reused here."""

from __future__ import annotations

from tests.mail.conftest import clock, general, password, smtp_factory, smtp_server, tls_material

__all__ = ["clock", "general", "password", "smtp_factory", "smtp_server", "tls_material"]
