"""The account screen: three choices, sign in with Microsoft in the (test) browser, replies settings saved."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from tests.mail import fixtures_oauth as fx
from tests.mail.oauth_server import MS_CLIENT, AuthServer

from actdesk.services.mail.config import load_mail_settings, save_mail_settings
from actdesk.settings import load_settings

auth_server = fx.auth_server
SHOTS = Path(os.environ.get("ACTDESK_SHOTS", "/tmp/issue23"))


@pytest.fixture
def ctx(book: Any, qapp: Any) -> Any:
    from actdesk.ui import theme
    from actdesk.ui.context import AppContext
    from actdesk.ui.tasks import TaskRunner

    theme.apply_theme(qapp, "light")
    ctx = AppContext(book=book, settings=load_settings(), tasks=TaskRunner())
    yield ctx
    ctx.tasks.shutdown()


def test_three_choices_and_sign_in_with_microsoft(
    qtbot: Any, ctx: Any, auth_server: AuthServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    from actdesk.ui.mail.account_screen import MailAccountScreen

    monkeypatch.setattr("webbrowser.open", auth_server.browser)
    screen = MailAccountScreen(ctx)
    qtbot.addWidget(screen)
    assert [c.title.text() for c in screen.cards] == ["Microsoft 365", "Google", "Another provider"]
    assert screen.choice == "password"  # nothing set up yet
    screen.cards[0].click()
    assert screen.choice == "microsoft" and screen.pages.currentWidget() is screen.microsoft
    page = screen.microsoft
    page.client_id.setText(MS_CLIENT)
    page.tenant.setText(auth_server.microsoft_authority)
    cfg = load_mail_settings(ctx.settings)
    cfg.oauth_cafile = auth_server.cafile
    save_mail_settings(ctx.settings, cfg)
    page.sign_in_button.click()
    qtbot.waitUntil(lambda: page.sign_in_button.isEnabled(), timeout=20_000)
    assert "Signed in as pat@harbor.example" in page.note.text(), page.note.text()
    qtbot.waitUntil(lambda: "Signed in as" in page.state.text(), timeout=10_000)
    saved = load_mail_settings(load_settings())
    assert saved.provider == "microsoft" and saved.oauth_account == "pat@harbor.example"
    assert saved.host == "smtp.office365.com"  # the provider's servers came with the choice
    page.transport.setCurrentIndex(1)
    screen.read_replies.setChecked(True)
    screen.folder.setText("Client replies")
    screen.save()
    saved = load_mail_settings(load_settings())
    assert saved.transport == "graph" and saved.imap_enabled and saved.imap_folder == "Client replies"
    assert saved.imap_host == "outlook.office365.com"


def test_consent_error_is_shown_in_plain_words(
    qtbot: Any, ctx: Any, auth_server: AuthServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    from actdesk.ui.mail.account_screen import MailAccountScreen

    monkeypatch.setattr("webbrowser.open", auth_server.browser)
    auth_server.state.authorize_error = ("consent_required", "AADSTS65001: consent required")
    cfg = load_mail_settings(ctx.settings)
    cfg.oauth_cafile = auth_server.cafile
    save_mail_settings(ctx.settings, cfg)
    screen = MailAccountScreen(ctx)
    qtbot.addWidget(screen)
    screen.cards[0].click()
    screen.microsoft.client_id.setText(MS_CLIENT)
    screen.microsoft.tenant.setText(auth_server.microsoft_authority)
    screen.microsoft.sign_in_button.click()
    qtbot.waitUntil(lambda: "administrator" in screen.microsoft.note.text(), timeout=20_000)
    assert screen.microsoft.sign_in_button.isEnabled()
    assert load_mail_settings(load_settings()).oauth_account == ""


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("size", [(1280, 800), (1366, 768)])
def test_screenshots(qtbot: Any, ctx: Any, language: str, size: tuple[int, int]) -> None:
    from actdesk import i18n
    from actdesk.ui.mail.account_screen import MailAccountScreen

    i18n.set_language(language)
    screen = MailAccountScreen(ctx)
    qtbot.addWidget(screen)
    screen.cards[0].click()
    screen.resize(min(size[0], 760), min(size[1] - 80, 720))
    screen.show()
    qtbot.wait(50)
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert screen.grab().save(str(SHOTS / f"account-{language}-{size[0]}.png"))
    screen.cards[2].click()
    assert screen.grab().save(str(SHOTS / f"account-other-{language}-{size[0]}.png"))
    assert screen.sizeHint().width() <= size[0] and screen.minimumSizeHint().height() <= size[1] - 40
