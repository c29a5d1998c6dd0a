"""Preferences: each tab saves to the settings file and shows the saved values again; wrong values are refused
at the field and nothing is written; Backups and Privacy act on the real book (backup, encrypt, decrypt)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date

import pytest
from tests import factories as f

from actdesk import i18n
from actdesk.domain.alerts.settings import AlertSettings
from actdesk.domain.schedule.config import ScheduleSettings
from actdesk.services.backup import BackupSettings, book_folder, list_backups
from actdesk.services.crypto import encryption_state
from actdesk.services.privacy import PrivacySettings, verify_lock_passphrase
from actdesk.settings import load_settings, settings_path
from actdesk.ui.context import AppContext
from actdesk.ui.preferences.dialog import PreferencesDialog
from actdesk.ui.preferences.encryption import PassphraseDialog
from actdesk.ui.tasks import TaskRunner


@pytest.fixture
def ctx(book) -> Iterator[AppContext]:
    context = AppContext(book=book, settings=load_settings(), tasks=TaskRunner(inline=True))
    yield context
    context.tasks.shutdown()


def _dialog(qtbot, ctx: AppContext) -> PreferencesDialog:
    dialog = PreferencesDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _on_disk() -> dict:  # type: ignore[type-arg]
    return json.loads(settings_path().read_text(encoding="utf-8"))


def test_general_tab_saves_and_reloads(qtbot, ctx) -> None:
    dialog = _dialog(qtbot, ctx)
    g = dialog.general
    g.language.setCurrentIndex(g.language.findData("es"))
    assert g.restart_note.isVisibleTo(g)
    g.region.setCurrentIndex(g.region.findData("es_MX"))
    g.currency.set_text("mxn")
    g.practice.set_text("  Harbor Wealth  ")
    g.advisor.set_text("Pat Rivera, CFP®")
    g.theme.setCurrentIndex(g.theme.findData("dark"))
    assert "$1,234,567.89" in g.sample.text() or "1,234,567.89" in g.sample.text()
    with qtbot.waitSignal(ctx.signals.data_changed, check_params_cb=lambda t: t == "settings"):
        assert dialog.save()
    general = _on_disk()["general"]
    assert general["language"] == "es" and general["locale"] == "es_MX" and general["currency"] == "MXN"
    assert general["practice_name"] == "Harbor Wealth" and general["theme"] == "dark"
    assert i18n.current_language() == "en"  # the language itself applies on the next start
    again = _dialog(qtbot, AppContext(book=ctx.book, settings=load_settings(), tasks=ctx.tasks))
    assert again.general.language.currentData() == "es" and again.general.region.currentData() == "es_MX"
    assert again.general.currency.text() == "MXN" and again.general.advisor.text() == "Pat Rivera, CFP®"
    assert again.general.theme.currentData() == "dark"


def test_wrong_values_are_refused_at_the_field_and_nothing_is_saved(qtbot, ctx) -> None:
    dialog = _dialog(qtbot, ctx)
    dialog.show_tab("mail")
    dialog.general.currency.set_text("ZZ")
    dialog.general.practice.set_text("   ")
    dialog.backups.folder.set_text("relative/backups")
    assert not dialog.save()
    assert dialog.isVisible() and dialog.tabs.currentWidget() is dialog.general  # the first wrong tab
    assert "three-letter currency code" in dialog.general.currency.error
    assert "needs a name" in dialog.general.practice.error
    assert "complete folder path" in dialog.backups.folder.error
    assert not settings_path().exists()
    # Number fields cannot even hold an impossible value.
    dialog.alerts.interval.setValue(0)
    assert dialog.alerts.interval.value() == 5
    dialog.alerts.erosion_share.setValue(0)
    assert dialog.alerts.erosion_share.value() == 1
    dialog.schedule.day_start.setValue(20)
    dialog.schedule.day_end.setValue(10)
    assert dialog.schedule.day_end.value() > dialog.schedule.day_start.value()
    # Fixing the fields clears the messages and saves.
    dialog.general.currency.set_text("EUR")
    dialog.general.practice.set_text("Harbor Wealth")
    dialog.backups.folder.set_text("")
    assert dialog.save() and not dialog.general.currency.error


def test_alerts_and_schedule_tabs_save_and_reload(qtbot, ctx) -> None:
    dialog = _dialog(qtbot, ctx)
    a, s = dialog.alerts, dialog.schedule
    a.interval.setValue(30)
    a.notify_high.setChecked(False)
    a.erosion_share.setValue(25)
    a.withdrawal_share.setValue(12)
    a.heirs_min.setValue(2_000_000)
    s.reminder_minutes.setValue(45)
    s.day_start.setValue(7)
    s.review_months.setValue(12)
    s.cadence["A"].setValue(21)
    s.cadence["C"].setValue(365)
    assert dialog.save()
    saved = load_settings()
    alerts = saved.section(AlertSettings)
    assert alerts.interval_minutes == 30 and alerts.notify_high is False
    assert alerts.erosion_outflow_share == 0.25 and alerts.withdrawal_share == 0.12
    assert alerts.heirs_min_aum == 2_000_000 and not alerts.problems()
    schedule = saved.section(ScheduleSettings)
    assert schedule.reminder_minutes_before == 45 and schedule.day_start_hour == 7
    assert schedule.cadence_days == {"A": 21, "B": 90, "C": 365}
    # One cadence, read by both the schedule and the alert rules.
    assert (alerts.cadence_a_days, alerts.cadence_c_days, alerts.review_interval_months) == (21, 365, 12)
    again = _dialog(qtbot, AppContext(book=ctx.book, settings=saved, tasks=ctx.tasks))
    assert again.alerts.interval.value() == 30 and again.alerts.erosion_share.value() == 25
    assert again.schedule.cadence["A"].value() == 21 and again.schedule.reminder_minutes.value() == 45


def test_backups_tab_saves_backs_up_now_and_opens_restore(qtbot, ctx, tmp_path) -> None:
    with ctx.book.session() as s:
        f.household(s, "Smith household")
    dialog = _dialog(qtbot, ctx)
    b = dialog.backups
    target = tmp_path / "usb-drive"
    b.folder.set_text(str(target))
    b.interval.setValue(0)
    b.at_exit.setChecked(False)
    b.daily.setValue(14)
    b.monthly.setValue(24)
    assert dialog.save()
    saved = load_settings().section(BackupSettings)
    assert saved == BackupSettings(
        folder=str(target), interval_hours=0.0, at_exit=False, daily=14, monthly=24
    )
    dialog = _dialog(qtbot, ctx)
    assert (
        dialog.backups.folder.text() == str(target) and dialog.backups.interval.text() == "Never while open"
    )
    dialog.backups.backup_button.click()
    qtbot.waitUntil(lambda: "Backed up" in dialog.backups.result.text(), timeout=5000)
    backups = list_backups(book_folder(ctx.book.path, ctx.settings))
    assert len(backups) == 1 and backups[0].path.is_relative_to(target)
    dialog.backups.restore_button.click()
    assert dialog.backups.restore_dialog.isVisible() and dialog.backups.restore_dialog.model.rowCount() == 1
    dialog.backups.restore_dialog.close()


def test_privacy_tab_saves_the_lock_and_sets_the_lock_passphrase(qtbot, ctx) -> None:
    dialog = _dialog(qtbot, ctx)
    p = dialog.privacy
    assert "Set a lock passphrase" in p.passphrase_button.text()
    p.lock_after.setValue(3)
    p.unlock_with.setCurrentIndex(p.unlock_with.findData("passphrase"))
    assert dialog.save()
    assert load_settings().section(PrivacySettings) == PrivacySettings(3, "passphrase")
    ask = PassphraseDialog("Lock passphrase", "intro")
    qtbot.addWidget(ask)
    ask.first.set_text("short")
    assert not ask.validate() and "at least 10" in ask.first.error
    ask.first.set_text("meeting room 4")
    ask.second.set_text("meeting room 5")
    assert not ask.validate() and "differ" in ask.second.error
    ask.second.set_text("meeting room 4")
    assert ask.validate()
    from actdesk.services.privacy import set_lock_passphrase

    set_lock_passphrase(ask.passphrase())
    assert verify_lock_passphrase("meeting room 4")
    dialog = _dialog(qtbot, ctx)
    assert "Change lock passphrase" in dialog.privacy.passphrase_button.text()
    assert "lock passphrase" in dialog.privacy.method_note.text()


def test_encrypt_and_decrypt_the_open_book_from_preferences(qtbot, ctx) -> None:
    with ctx.book.session() as s:
        f.household(s, "Smith household")
    original = ctx.book
    dialog = _dialog(qtbot, ctx)
    p = dialog.privacy
    assert "not encrypted" in p.encryption_state.text() and p.encrypt_button.text() == "Encrypt…"
    p.run_conversion(True)
    qtbot.waitUntil(lambda: ctx.book is not original, timeout=10_000)
    assert encryption_state(ctx.book.path) == "encrypted" and ctx.book.key is not None
    assert "keyring" in p.encryption_state.text() and p.encrypt_button.text() == "Decrypt…"
    with ctx.book.session() as s:  # the window carries on with the converted book
        f.household(s, "Lopez family")
    encrypted = ctx.book
    p.run_conversion(False)
    qtbot.waitUntil(lambda: ctx.book is not encrypted, timeout=10_000)
    assert encryption_state(ctx.book.path) == "plain" and ctx.book.key is None
    from actdesk.storage.repositories.households import count_households

    with ctx.book.reader() as s:
        assert count_households(s) == 2
    assert ctx.book.lock is not None and ctx.book.lock.held  # the writer lock never let go
    ctx.book.dispose()


def test_mail_tab_says_what_is_set_up_and_opens_the_account_dialog(qtbot, ctx) -> None:
    dialog = _dialog(qtbot, ctx)
    assert "No mail account yet" in dialog.mail.account.text()
    dialog.mail.account_button.click()
    from actdesk.ui.mail.account_screen import MailAccountScreen

    assert isinstance(dialog.mail.account_dialog, MailAccountScreen)  # the three choices, as in Campaigns
    assert dialog.mail.account_dialog.isVisible()
    dialog.mail.account_dialog.close()
    ctx.settings.raw["mail"] = {"host": "smtp.harbor.example", "user": "pat@harbor.example"}
    ctx.settings.raw["mail"]["from_addr"] = "pat@harbor.example"
    ctx.signals.data_changed.emit("settings")
    assert "pat@harbor.example" in dialog.mail.account.text()
    ctx.settings.raw["mail"] = {"provider": "microsoft", "oauth_account": "pat@harbor.example"}
    ctx.settings.raw["mail"]["from_addr"] = "pat@harbor.example"
    ctx.signals.data_changed.emit("settings")
    assert dialog.mail.account.text() == "Signed in with Microsoft 365 as pat@harbor.example."


def test_welcome_back_days_are_saved_and_the_alerts_read_them(qtbot, ctx, db_path, capsys) -> None:
    """A returning client is welcomed back for as long as Preferences say: 60 days after its return it has the
    alert under the default 180 days and not under a saved 30 (the window's alert settings and the CLI)."""
    from actdesk.cli import main
    from actdesk.services.card import record_return

    with ctx.book.session() as s:
        long, _lou = f.long_former_client(s)
    record_return(None, ctx.book, long, date(2026, 10, 1))

    def welcomed() -> bool:
        assert main(["--db", str(db_path), "alerts", "--as-of", "2026-11-30", "--dry-run", "--json"]) == 0
        found = json.loads(capsys.readouterr().out)
        return any(a["rule"] == "welcome_back" and a["household_id"] == long for a in found)

    dialog = _dialog(qtbot, ctx)
    box = dialog.alerts.welcome_back_days
    assert box.value() == 180 and box.minimum() == 1  # 0 days cannot be typed
    assert welcomed()
    box.setValue(30)
    with qtbot.waitSignal(ctx.signals.data_changed, check_params_cb=lambda t: t == "settings"):
        assert dialog.save()
    assert _on_disk()["alerts"]["welcome_back_days"] == 30
    assert ctx.settings.section(AlertSettings).welcome_back_days == 30  # what the window's watcher re-reads
    assert not welcomed()
    again = _dialog(qtbot, AppContext(book=ctx.book, settings=load_settings(), tasks=ctx.tasks))
    assert again.alerts.welcome_back_days.value() == 30


def test_a_welcome_back_of_no_days_is_refused_in_the_settings() -> None:
    assert "welcome_back_days must be positive" in AlertSettings(welcome_back_days=0).problems()
    assert not AlertSettings().problems()


def test_the_spanish_alerts_tab_fits_its_width(qtbot, ctx) -> None:
    """The welcome-back threshold's Spanish label once was the tab's longest and, with a wider font, pushed
    the fields out of the dialog (a horizontal scroll bar, spin boxes cut off): it is no wider than the
    longest label the tab already had."""
    i18n.set_language("es")
    try:
        dialog = _dialog(qtbot, ctx)
        page = dialog.alerts
        form = page.form
        others = (
            page.life_event_days,
            page.milestone_days,
            page.heirs_min,
            page.held_away_min,
            page.retention,
        )
        widest = max(form.labelForField(box).sizeHint().width() for box in others)
        assert form.labelForField(page.welcome_back_days).sizeHint().width() <= widest
    finally:
        i18n.set_language("en")
