"""The Campaigns panel through qtbot: outbox with retry/cancel, live audience count, preview, account dialog."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from tests.mail.helpers import queue, small_book

from actdesk.services.mail.config import save_mail_settings
from actdesk.settings import load_settings
from actdesk.storage.repositories import mail as repo


@pytest.fixture
def ctx(book, qapp):
    from actdesk.ui import theme
    from actdesk.ui.context import AppContext
    from actdesk.ui.tasks import TaskRunner

    theme.apply_theme(qapp, "light")

    settings = load_settings()
    settings.general.practice_name = "Harbor Wealth"
    settings.general.advisor_name = "Pat Advisor"
    context = AppContext(
        book=book,
        settings=settings,
        tasks=TaskRunner(inline=True),
        now=lambda: datetime(2026, 3, 2, 14, tzinfo=UTC),
    )
    yield context
    context.tasks.shutdown()


def test_outbox_models_pass_the_model_tester(qtmodeltester, book, smtp_server, general) -> None:
    from actdesk.ui.mail.models import CampaignReportModel, OutboxModel

    small_book(book)
    queue(book, smtp_server.settings(), general, datetime(2026, 3, 2, tzinfo=UTC))
    with book.reader() as s:
        rows, camps = repo.list_messages(s), repo.campaign_summaries(s)
    model = OutboxModel()
    model.set_rows(rows)
    qtmodeltester.check(model)
    report = CampaignReportModel()
    report.set_rows(camps)
    qtmodeltester.check(report)


def test_panel_sends_shows_uncertain_and_retries(
    qtbot, ctx, book, smtp_server, password, general, monkeypatch
) -> None:
    from actdesk.ui.mail.panel import CampaignsPanel

    ids = small_book(book)
    cfg = smtp_server.settings()
    save_mail_settings(ctx.settings, cfg)
    queue(book, cfg, general, datetime(2026, 3, 2, tzinfo=UTC))
    with book.session() as s:
        (first, *_rest) = sorted(m.id for m in repo.list_messages(s))
        repo.claim(s, first, datetime(2026, 3, 1, tzinfo=UTC))  # left "sending" by a crash a day ago

    panel = CampaignsPanel(ctx)
    qtbot.addWidget(panel)
    panel.resize(1280, 800)
    assert panel.outbox_stack.currentWidget() is panel.outbox
    with qtbot.waitSignal(panel.sig_send_finished, timeout=10_000) as blocker:
        panel.send_now()
    report = blocker.args[0]
    assert report.sent == 1 and report.recovered == [first]
    qtbot.waitUntil(lambda: not panel.banner.isHidden())
    assert "interrupted while sending" in panel.banner.text()
    assert len(smtp_server.delivered) == 1

    # The audience is built with controls; the count and a sample of recipients follow every change.
    panel.tabs.setCurrentWidget(panel.builder)
    controls = panel.builder.audience
    assert controls.filter_text() == "status=client"  # clients by default
    panel.builder.refresh_count()
    qtbot.waitUntil(lambda: panel.builder.count_label.text().startswith("2 recipients"))
    assert "do-not-email: 1" in panel.builder.count_label.text()
    assert "Ann Smith <ann@example.org>" in panel.builder.sample.text()
    assert controls.reachable.isChecked() and not controls.reachable.isEnabled()
    controls.status.setCurrentIndex(controls.status.findData("prospect"))
    qtbot.waitUntil(lambda: panel.builder.count_label.text().startswith("1 recipient"))
    assert "Fay Park <fay@example.org>" in panel.builder.sample.text()
    controls.status.setCurrentIndex(controls.status.findData("client"))
    controls.age_from.setValue(60)
    assert controls.filter_text() == "status=client,age=60-200"
    qtbot.waitUntil(lambda: panel.builder.count_label.text().startswith("1 recipient"))  # Ann, born 1961
    controls.age_from.setValue(0)
    controls.last_contact.setCurrentIndex(controls.last_contact.findData("contacted=30"))
    qtbot.waitUntil(lambda: panel.builder.count_label.text().startswith("0 recipients"))
    assert not panel.builder.queue_button.isEnabled() and panel.builder.sample.text() == ""
    controls.last_contact.setCurrentIndex(controls.last_contact.findData("quiet=90"))
    qtbot.waitUntil(lambda: panel.builder.count_label.text().startswith("2 recipients"))
    assert panel.builder.queue_button.isEnabled()

    # Preview for a chosen contact (the recipients load when the Templates tab is first shown).
    panel.tabs.setCurrentWidget(panel.editor)
    qtbot.waitUntil(
        lambda: any(
            panel.editor.contact.itemText(i).startswith("Bob") for i in range(panel.editor.contact.count())
        )
    )
    panel.editor.open_template("birthday")
    index = next(
        i for i in range(panel.editor.contact.count()) if panel.editor.contact.itemText(i).startswith("Bob")
    )
    panel.editor.contact.setCurrentIndex(index)
    qtbot.waitUntil(lambda: panel.editor.preview_subject.text() == "Happy birthday, Bob!")
    panel.editor.subject.setText("Hi {{ contact.nickname }}")
    panel.editor._refresh_preview()
    assert "nickname" in panel.editor.problem.text() and not panel.editor.save_button.isEnabled()
    panel.editor.subject.setText("Happy birthday, {{ contact.first_name }}!")
    panel.editor._refresh_preview()
    panel.grab().save("/tmp/mail_editor.png")

    panel.tabs.setCurrentWidget(panel.outbox_stack)
    panel.grab().save("/tmp/mail_panel.png")

    # Retry the uncertain one after confirming.
    from PySide6.QtWidgets import QMessageBox

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    proxy = panel.outbox.proxy
    row = next(
        r
        for r in range(proxy.rowCount())
        if panel.outbox.model.entry(proxy.mapToSource(proxy.index(r, 0)).row()).id == first
    )
    panel.outbox.table.selectRow(row)
    assert panel.outbox.retry_button.isEnabled()
    panel.outbox.retry_button.click()

    def requeued() -> bool:
        with book.reader() as s:
            return repo.get_message(s, first).state == "queued"

    qtbot.waitUntil(requeued)
    assert ids["ann"]


def test_campaign_builder_queues_and_reports(qtbot, ctx, book, smtp_server, password) -> None:
    from actdesk.ui.mail.panel import CampaignsPanel

    small_book(book)
    save_mail_settings(ctx.settings, smtp_server.settings())
    panel = CampaignsPanel(ctx)
    qtbot.addWidget(panel)
    panel.resize(1280, 800)
    panel.builder.name.setText("Spring newsletter")
    panel.builder.template.setCurrentIndex(panel.builder.template.findData("newsletter"))
    assert panel.builder.audience_text() == "status=client"
    panel.builder.refresh_count()
    qtbot.waitUntil(lambda: panel.builder.count_label.text().startswith("2 recipients"))
    with qtbot.waitSignal(panel.sig_send_finished, timeout=10_000):
        panel.builder.queue_button.click()
    qtbot.waitUntil(lambda: "2 messages" in panel.builder.result.text())
    qtbot.waitUntil(
        lambda: (
            panel.builder.report_model.rowCount() == 1
            and panel.builder.report_model.index(0, 3).data() == "2"
        )
    )
    panel.tabs.setCurrentWidget(panel.builder)
    panel.grab().save("/tmp/mail_builder.png")
    assert len(smtp_server.delivered) == 2


def test_account_dialog_stores_password_in_keyring_and_sends_a_test(qtbot, ctx, smtp_server) -> None:
    import keyring

    from actdesk.ui.mail.account_dialog import AccountDialog

    dialog = AccountDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.host.setText("127.0.0.1")
    dialog.port.setValue(smtp_server.port)
    dialog.user.setText("advisor@example.com")
    dialog.password.setText("s3cret-app-password")
    dialog.cafile.setText(smtp_server.cafile)
    dialog.test_to.setText("me@example.org")
    dialog.send_test()
    qtbot.waitUntil(lambda: "accepted" in dialog.status.text(), timeout=10_000)
    assert smtp_server.delivered[0].rcpt_tos == ["me@example.org"]
    dialog.grab().save("/tmp/mail_account.png")
    dialog.save()
    assert keyring.get_password("actdesk-smtp", "advisor@example.com") == "s3cret-app-password"
    assert "s3cret" not in ctx.settings.path.read_text()


def test_panel_without_account_shows_the_way_to_set_it_up(qtbot, ctx) -> None:
    from actdesk.ui.mail.panel import CampaignsPanel

    panel = CampaignsPanel(ctx)
    qtbot.addWidget(panel)
    panel.resize(1280, 800)
    assert panel.outbox_stack.currentWidget() is panel.empty
    assert panel.send_button.isHidden() and panel.rules_button.isHidden()
    panel.grab().save("/tmp/mail_empty.png")


def test_template_saved_under_a_new_name_is_offered_and_used(qtbot, ctx, book, monkeypatch) -> None:
    from PySide6.QtWidgets import QInputDialog

    from actdesk.services.mail.library import load_template, template_names
    from actdesk.ui.mail.panel import CampaignsPanel

    small_book(book)
    panel = CampaignsPanel(ctx)
    qtbot.addWidget(panel)
    panel.editor.open_template("newsletter")
    qtbot.waitUntil(lambda: panel.editor.subject.text().startswith("News from"), timeout=15000)
    panel.editor.subject.setText("Spring news for {{ contact.first_name }}")
    panel.editor._refresh_preview()
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Spring News", True))
    panel.editor.save_as_button.click()
    qtbot.waitUntil(lambda: "spring_news" in template_names(book, "en"), timeout=15000)
    assert load_template(book, "spring_news", "en").subject == "Spring news for {{ contact.first_name }}"
    assert load_template(book, "newsletter", "en").subject.startswith("News from")  # the starter is untouched
    qtbot.waitUntil(lambda: panel.builder.template.findData("spring_news") >= 0, timeout=15000)
    assert panel.builder.template.itemText(panel.builder.template.findData("spring_news")) == "Spring news"
    assert panel.builder.template.itemText(panel.builder.template.findData("newsletter")) == "Newsletter"


def test_audience_and_recipients_load_when_their_tab_is_first_shown(qtbot, ctx, book) -> None:
    """The window builds this panel at start-up for its send timer; reading every household for the audience
    count and the preview's recipients waits until the advisor opens those tabs."""
    from actdesk.ui.mail.panel import CampaignsPanel

    small_book(book)
    panel = CampaignsPanel(ctx)
    qtbot.addWidget(panel)
    qtbot.wait(50)
    assert panel.builder._count_task is None and panel.editor.contact.count() == 0
    panel.tabs.setCurrentWidget(panel.builder)
    qtbot.waitUntil(lambda: "recipient" in panel.builder.count_label.text())
    panel.tabs.setCurrentWidget(panel.editor)
    qtbot.waitUntil(lambda: panel.editor.contact.count() > 0)


def test_template_editor_picks_fields_by_name_previews_an_email_and_warns_of_unknown_fields(
    qtbot, ctx, book
) -> None:
    from actdesk.ui.mail.panel import CampaignsPanel

    small_book(book)
    ctx.settings.general.advisor_name = "Pat Rivera"
    panel = CampaignsPanel(ctx)
    qtbot.addWidget(panel)
    panel.resize(1366, 768)
    panel.tabs.setCurrentWidget(panel.editor)
    editor = panel.editor
    qtbot.waitUntil(lambda: editor.contact.count() > 1)
    editor.open_template("review_reminder")
    qtbot.waitUntil(lambda: bool(editor.subject.text()))
    assert editor.chooser.currentText() == "Review reminder"  # starters are named in words
    # The picker lists fields by what they mean; inserting writes the placeholder where the cursor is.
    labels = editor.fields.labels()
    assert labels[:4] == ["First name", "Household name", "Next review date", "Advisor name"]
    panel.show()
    qtbot.waitExposed(panel)
    panel.activateWindow()
    editor.subject.setText("For ")
    editor.subject.setFocus()
    qtbot.waitUntil(editor.subject.hasFocus)
    editor.subject.home(False)
    editor.subject.end(False)  # the advisor clicked at the end of the subject
    editor.fields.select("Household name")
    editor.fields.insert_button.click()
    assert editor.subject.text() == "For {{ household.name }}"
    # The preview is the e-mail a real client receives: From, To, Subject and the merged body.
    index = next(i for i in range(editor.contact.count()) if editor.contact.itemText(i).startswith("Ann"))
    editor.contact.setCurrentIndex(index)
    editor._refresh_preview()
    shown = editor.preview.toPlainText()
    assert "Pat Rivera" in shown and "Ann Smith <ann@example.org>" in shown and "For Smith household" in shown
    # An unknown field is named, with the field probably meant, and the template cannot be saved.
    editor.body_text.setPlainText("Dear {{ contact.frist_name }},\n{{ contact.nickname }}")
    editor._refresh_preview()
    problem = editor.problem.text()
    assert "{{ contact.frist_name }}" in problem and "{{ contact.first_name }}" in problem
    assert "{{ contact.nickname }}" in problem and "attribute" not in problem  # no Python error text
    assert not editor.save_button.isEnabled()


def test_the_anniversary_preview_shows_the_years_of_the_next_anniversary(qtbot, ctx, book) -> None:
    """Lou Long: a client 2015 - March 2024, back since June 2025. On 2 March 2026 the editor previews the note
    of 1 January 2027 as the automation will write it: 10 years as a client in all then (9 today)."""
    from datetime import date

    from tests import factories as f

    from actdesk.services.card import record_return
    from actdesk.ui.mail.panel import CampaignsPanel

    with book.session() as s:
        long, _lou = f.long_former_client(s, email="lou@example.org")
    record_return(None, book, long, date(2025, 6, 1))
    panel = CampaignsPanel(ctx)
    qtbot.addWidget(panel)
    panel.tabs.setCurrentWidget(panel.editor)
    editor = panel.editor
    qtbot.waitUntil(lambda: editor.contact.count() > 0)
    editor.contact.setCurrentIndex(
        next(i for i in range(editor.contact.count()) if editor.contact.itemText(i).startswith("Lou"))
    )
    editor.open_template("client_anniversary")
    qtbot.waitUntil(lambda: editor.preview_subject.text() == "10 years together: thank you, Lou")
    editor.open_template("birthday")
    qtbot.waitUntil(lambda: editor.preview_subject.text().startswith("Happy birthday"))
    editor.subject.setText("{{ tenure_years }} years")  # another template: the years as they stand today
    editor._refresh_preview()
    assert editor.preview_subject.text() == "9 years"
