"""Screenshots of the panels in one language at 1366x768 (or ``--size``) for docs/ui.md (issue 19's gallery).

    QT_QPA_PLATFORM=offscreen python scripts/gallery_panels.py --db demo.db --lang es --out docs/gallery

Saves ``<lang>-<name>.png``: every panel, a report with charts, the campaign builder and template editor,
and the meeting view of the richest household.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--lang", choices=["en", "es"], default="en")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--size", default="1366x768", help="window size, e.g. 1280x800 (default 1366x768)")
    args = parser.parse_args()
    width, height = (int(n) for n in args.size.lower().split("x"))
    from PySide6.QtWidgets import QApplication

    from actdesk import i18n
    from actdesk.app import build_window, create_application
    from actdesk.settings import load_settings
    from actdesk.storage.open import open_book
    from actdesk.ui import theme

    i18n.set_language(args.lang)
    settings = load_settings()
    settings.general.language = args.lang
    app = create_application(settings)
    theme.apply_theme(app, "light")
    book = open_book(args.db)
    window, ctx = build_window(book, settings, welcome=False, background=False)
    window.resize(width, height)
    window.show()
    args.out.mkdir(parents=True, exist_ok=True)

    def settle(ms: int = 1500) -> None:
        from PySide6.QtCore import QEventLoop, QTimer

        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    def shot(widget: object, name: str) -> None:
        settle(400)
        widget.grab().save(str(args.out / f"{args.lang}-{name}.png"))  # type: ignore[attr-defined]

    for key in list(window.rail_buttons):
        window.show_panel(key)
        settle(2500 if key in ("book", "reports") else 1200)
        shot(window, f"panel-{key}")
    reports = window.panels.get("reports")
    if reports is not None:
        window.show_panel("reports")
        for key in ("investment", "referrals", "service-level", "stack-ranking"):
            reports.select_report(key)  # type: ignore[attr-defined]
            settle(4000)
            shot(window, f"report-{key}")
        for table in reports.preview.tables.values():  # type: ignore[attr-defined]
            reports.preview.ensureWidgetVisible(table, 0, 0)  # type: ignore[attr-defined]
            settle(600)
            shot(window, "report-stack-ranking-table")
            break
    mail = window.panels.get("campaigns")
    if mail is not None:
        window.show_panel("campaigns")
        mail.tabs.setCurrentWidget(mail.builder)  # type: ignore[attr-defined]
        settle(2500)
        shot(window, "campaign-builder")
        mail.tabs.setCurrentWidget(mail.editor)  # type: ignore[attr-defined]
        settle(1500)
        mail.editor.open_template("review_reminder")  # type: ignore[attr-defined]
        settle(2000)
        shot(window, "campaign-templates")
    book_panel = window.panels.get("book")
    if book_panel is not None:
        from sqlalchemy import func, select

        from actdesk.storage.tables.book import AccountRow, BalanceRow, HouseholdRow

        with book.reader() as s:  # the client with the most assets under management (not held elsewhere)
            richest = s.execute(
                select(AccountRow.household_id)
                .join(BalanceRow, BalanceRow.account_id == AccountRow.id)
                .join(HouseholdRow, HouseholdRow.id == AccountRow.household_id)
                .where(AccountRow.managed.is_(True), HouseholdRow.status == "client")
                .group_by(AccountRow.household_id)
                .order_by(func.max(BalanceRow.balance_cents).desc())
                .limit(1)
            ).scalar_one()
        window.show_panel("book")
        meeting = book_panel.start_meeting(richest)  # type: ignore[attr-defined]
        meeting.showNormal()
        meeting.resize(width, height)
        settle(4000)
        shot(meeting, "meeting")
        meeting.close()
    window.close()
    ctx.tasks.shutdown(wait=True)
    ctx.shutdown_child()
    book.dispose()
    QApplication.processEvents()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
