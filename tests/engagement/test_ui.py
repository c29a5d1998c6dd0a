"""The window: the card's life-event form, a reply dropped on the main window, brochure approval, and the
Referrals & Events tab (tasks run inline; their results still arrive through queued signals)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication
from tests.engagement.test_referrals_events import referral_book

from actdesk.domain.engagement.questionnaire import make_token
from actdesk.services.mail.config import MailSettings
from actdesk.storage.repositories import engagement as repo
from actdesk.storage.repositories import engagement_referrals as refs
from actdesk.storage.repositories import mail as mail_repo

NOW = datetime(2026, 3, 1, 15, 0, tzinfo=UTC)


@pytest.fixture
def ctx(book, tmp_path) -> Iterator[Any]:
    from actdesk.settings import load_settings
    from actdesk.ui.context import AppContext
    from actdesk.ui.tasks import TaskRunner

    settings = load_settings()
    settings.set_section(MailSettings(host="127.0.0.1", from_addr="pat@harbor.example", from_name="Pat"))
    settings.raw["engagement"] = {"brochures_folder": str(tmp_path / "brochures")}
    context = AppContext(book=book, settings=settings, tasks=TaskRunner(inline=True), now=lambda: NOW)
    yield context
    context.tasks.shutdown()


def test_the_cards_life_event_form(qtbot, ctx) -> None:
    from actdesk.ui.card.view import ContactCard
    from actdesk.ui.engagement.life_event_dialog import LifeEventDialog

    ids = referral_book(ctx.book)
    card = ContactCard(ctx)
    qtbot.addWidget(card)
    card.resize(720, 900)
    card.show()
    card.load(ids["smith"])
    qtbot.waitUntil(lambda: card.detail is not None, timeout=10000)
    assert card.events_empty.isVisible()
    qtbot.mouseClick(card.add_event_button, Qt.MouseButton.LeftButton)
    dialog = card.findChild(LifeEventDialog)
    assert dialog is not None and dialog.isVisible()
    dialog.kind.setCurrentIndex(dialog.kind.findData("inheritance"))
    assert dialog.member.currentData() == ids["ann"]
    dialog.day.setDate(date(2026, 2, 12))
    dialog.notes.setPlainText("From her aunt")
    with qtbot.waitSignal(card.sig_loaded, timeout=10000):
        dialog.accept()
    with ctx.book.reader() as s:
        [event] = repo.list_life_events(s)
        [pending] = repo.pending_brochures(s)
    assert (event.kind, event.date, event.contact_id, event.notes, event.source) == (
        "inheritance",
        date(2026, 2, 12),
        ids["ann"],
        "From her aunt",
        "advisor",
    )
    assert event.activity_id is not None and pending.brochure_title == "Planning after an inheritance"
    assert card.events.rowCount() == 1 and card.events_view.isVisible()


def reply_file(book: Any, tmp_path: Path, smith: int) -> Path:
    with book.session() as s:
        token = make_token(smith, repo.book_key(s))
    msg = EmailMessage()
    msg["From"] = "ann@example.org"
    msg["Subject"] = "Re: Before our review"
    msg["Message-ID"] = "<drop-1@example.org>"
    msg.set_content(
        "Hello!\n\n1. [x] A birth or adoption in the family\n   Date: 2026-02-20\n"
        f"7. [?] Buying or selling a home\n\n> Reference: {token}\n"
    )
    path = tmp_path / "reply.eml"
    path.write_bytes(msg.as_bytes())
    return path


def test_dropping_an_eml_on_the_window_files_after_review(qtbot, ctx, tmp_path) -> None:
    from actdesk.ui.engagement.brochure_dialog import BrochureApprovalDialog
    from actdesk.ui.engagement.reply_dialog import ReplyReviewDialog
    from actdesk.ui.main_window import MainWindow

    ids = referral_book(ctx.book)
    path = reply_file(ctx.book, tmp_path, ids["smith"])
    window = MainWindow(ctx, first_panel="households")  # a light panel: no Book dashboard to refresh
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitUntil(
        lambda: getattr(window, "reply_drop", None) is not None, timeout=20000
    )  # after first paint
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    enter = QDragEnterEvent(
        QPoint(400, 300),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    drop = QDropEvent(
        QPointF(400, 300),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(window, drop)
    qtbot.waitUntil(lambda: window.findChild(ReplyReviewDialog) is not None, timeout=10000)
    dialog = window.findChild(ReplyReviewDialog)
    assert dialog.file_button.text() == "File 1 life event"
    with ctx.book.reader() as s:
        assert repo.list_life_events(s) == []  # nothing before the advisor says so
    qtbot.mouseClick(dialog.file_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.brochures_button.isVisible(), timeout=10000)
    assert dialog.summary.text() == "1 life event filed. 1 brochure awaits your approval."
    with ctx.book.reader() as s:
        assert [(e.household_id, e.kind, e.source) for e in repo.list_life_events(s)] == [
            (ids["smith"], "birth", "questionnaire")
        ]
        assert mail_repo.list_messages(s) == []
    qtbot.mouseClick(dialog.brochures_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.findChild(BrochureApprovalDialog) is not None, timeout=10000)
    approval = window.findChild(BrochureApprovalDialog)
    assert approval.model.rowCount() == 1
    qtbot.mouseClick(approval.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: approval.model.rowCount() == 0, timeout=10000)
    with ctx.book.reader() as s:
        [queued] = mail_repo.list_messages(s)
    assert queued.to == "ann@example.org" and queued.subject.startswith("A short guide for you")
    # Filing told the window's panels that data changed: the households list reloads in the background.
    qtbot.waitUntil(lambda: not ctx.tasks.busy, timeout=10000)
    window.close()


def test_referrals_tab(qtbot, qtmodeltester, ctx) -> None:
    from actdesk.ui.engagement.referrals_view import ReferralsEventsView

    referral_book(ctx.book)
    view = ReferralsEventsView(ctx)
    qtbot.addWidget(view)
    view.resize(1200, 700)
    view.show()
    qtbot.waitUntil(lambda: view.snapshot is not None, timeout=10000)
    qtmodeltester.check(view.sources)
    qtmodeltester.check(view.likely)
    assert view.sources.rowCount() == 2 and view.tiles["conversion"].text() == "66.7%"
    names = [view.likely.row_item(r).name for r in range(view.likely.rowCount())]
    assert names == ["Smith household", "Jones household"]
    view.likely_view.selectRow(0)
    with qtbot.waitSignal(view.sig_loaded, timeout=10000):
        view.ask_selected()
    assert view.status.text() == "1 referral request queued in the outbox."
    with ctx.book.reader() as s:
        assert [m.subject for m in mail_repo.list_messages(s)] == ["A small favour, Ann"]
        assert refs.referrer_signals(s, NOW.date())[0].last_asked == NOW.date()


def test_referrals_tab_reads_nothing_until_shown(qtbot, ctx) -> None:
    """The Campaigns panel (and this tab) is built at start-up: its snapshot waits for the tab to show,
    and a change while it is hidden marks it out of date instead of reading it again."""
    from actdesk.ui.engagement.referrals_view import ReferralsEventsView
    from actdesk.ui.topics import Topic

    referral_book(ctx.book)
    view = ReferralsEventsView(ctx)
    qtbot.addWidget(view)
    ctx.signals.data_changed.emit(Topic.ALERTS)
    qtbot.wait(50)
    assert view.snapshot is None and not ctx.tasks.busy
    view.show()
    qtbot.waitUntil(lambda: view.snapshot is not None, timeout=10000)
    first = view.snapshot
    view.hide()
    ctx.signals.data_changed.emit(Topic.REFERRALS)
    qtbot.wait(50)
    assert view.snapshot is first
    with qtbot.waitSignal(view.sig_loaded, timeout=10000):
        view.show()
    assert view.snapshot is not first


def test_bring_a_friend_event_in_the_window(qtbot, ctx) -> None:
    from actdesk.ui.engagement.event_dialogs import EventDialog, NewEventDialog
    from actdesk.ui.engagement.referrals_view import ReferralsEventsView

    ids = referral_book(ctx.book)
    view = ReferralsEventsView(ctx)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitUntil(lambda: view.snapshot is not None, timeout=10000)
    assert view.meetings_empty.isVisible()
    qtbot.mouseClick(view.new_event_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.findChild(NewEventDialog) is not None, timeout=10000)
    new = view.findChild(NewEventDialog)
    new.subject.setText("Retirement income seminar")
    new.location.setText("Harbor Club")
    smith_row = next(
        i for i in range(new.households.count()) if new.households.item(i).text() == "Smith household"
    )
    new.households.item(smith_row).setCheckState(Qt.CheckState.Checked)
    qtbot.mouseClick(new.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.findChild(EventDialog) is not None, timeout=10000)
    dialog = view.findChild(EventDialog)
    assert [i.name for i in dialog.detail.invitations] == ["Ann Smith"]
    with ctx.book.reader() as s:
        assert [m.subject for m in mail_repo.list_messages(s)] == [
            "You are invited: Retirement income seminar"
        ]
    dialog.invited_view.selectRow(0)
    dialog._invitation("attended")
    qtbot.waitUntil(lambda: dialog.detail.invitations[0].attended, timeout=10000)
    dialog.first.setText("Gus")
    dialog.last.setText("Friend")
    qtbot.mouseClick(dialog.add_guest_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(dialog.detail.guests) == 1, timeout=10000)
    dialog.guests_view.selectRow(0)
    qtbot.mouseClick(dialog.came_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.detail.guests[0].household_id is not None, timeout=10000)
    with ctx.book.reader() as s:
        [referral] = [r for r in refs.list_referrals(s) if r.referred == "Friend household"]
    assert referral.referrer_contact_id == ids["ann"] and referral.outcome == "prospect"
    qtbot.waitUntil(lambda: view.meetings.rowCount() == 1, timeout=10000)
    event = view.meetings.row_item(0)
    assert (event.invited, event.attended, event.guests, event.guests_attended) == (1, 1, 1, 1)
