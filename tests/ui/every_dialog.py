"""Every dialog of the window, built with the data it needs, for the Spanish-window test.

``dialog_classes()`` finds every ``QDialog`` subclass under ``actdesk.ui``; ``DIALOGS`` says how to build each
one from the real window's context and book (real objects, no mocks). A new dialog without an entry here fails
``tests/ui/test_spanish_text.py``, so none can escape the check.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtWidgets import QDialog, QWidget

from actdesk.i18n import _

Factory = Callable[[Any, Any], QWidget]  # (window, ctx) -> the dialog
WHEN = datetime(2026, 12, 7, 15, tzinfo=UTC)
TODAY = date(2026, 12, 7)


def dialog_classes() -> set[str]:
    """``module.Class`` of every QDialog subclass defined under actdesk.ui (every module imported first)."""
    import actdesk.ui

    for info in pkgutil.walk_packages(actdesk.ui.__path__, "actdesk.ui."):
        importlib.import_module(info.name)
    found: set[str] = set()
    todo = list(QDialog.__subclasses__())
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.startswith("actdesk.ui."):
            found.add(f"{cls.__module__}.{cls.__qualname__}")
    return found


def _first_household(ctx: Any) -> tuple[int, str]:
    from actdesk.storage.repositories.households import household_names

    with ctx.book.reader() as s:
        return next(iter(household_names(s).items()))


def _alert(ctx: Any) -> Any:
    from actdesk.domain.alerts.model import Alert, AlertState, RuleKey, Severity

    hid, name = _first_household(ctx)
    return Alert(
        household_id=hid,
        rule=RuleKey.CONTACT_GAP,
        severity=Severity.MEDIUM,
        state=AlertState.NEW,
        explanation="Sin contacto desde hace 200 días",  # written by the evaluation in the window's language
        magnitude=200.0,
        created_at=WHEN,
        updated_at=WHEN,
        last_seen_at=WHEN,
        household_name=name,
        id=1,
    )


def _occurrence(ctx: Any) -> Any:
    from actdesk.domain.schedule.occurrences import Occurrence

    hid, _name = _first_household(ctx)
    return Occurrence(1, hid, "review", "Revisión anual", WHEN, duration_minutes=60)


def _edit_activity(window: Any, ctx: Any) -> QWidget:
    from actdesk.domain.enums import ActivityKind
    from actdesk.domain.models import Activity
    from actdesk.domain.schedule.config import activity_types
    from actdesk.ui.schedule.edit_dialog import EditActivityDialog

    hid, name = _first_household(ctx)
    activity = Activity(hid, ActivityKind.REVIEW, "Revisión anual", start=WHEN, duration_minutes=60, id=1)
    return EditActivityDialog(
        activity,
        _occurrence(ctx),
        {hid: name},
        {hid: None},
        {hid: [(1, "Ana García")]},
        activity_types(),
        ZoneInfo("Europe/Madrid"),
        window,
    )


def _quick_add(window: Any, ctx: Any) -> QWidget:
    from actdesk.domain.schedule.config import activity_types
    from actdesk.ui.schedule.dialogs import QuickAddDialog

    hid, name = _first_household(ctx)
    return QuickAddDialog(
        {hid: name}, {hid: None}, activity_types(), ZoneInfo("Europe/Madrid"), WHEN, parent=window
    )


def _event(window: Any, ctx: Any) -> QWidget:
    from actdesk.services.engagement.events import create_event
    from actdesk.services.engagement.jobs import event_detail
    from actdesk.ui.engagement.event_dialogs import EventDialog

    event_id = create_event(
        ctx.book, "Cata de vinos", WHEN + timedelta(days=20), duration_minutes=120, location="Club", now=WHEN
    )
    return EventDialog(ctx, event_detail(None, ctx.book, event_id), window)


def _brochures(window: Any, ctx: Any) -> QWidget:
    from actdesk.storage.repositories.engagement import BrochureSuggestion
    from actdesk.ui.engagement.brochure_dialog import BrochureApprovalDialog

    hid, name = _first_household(ctx)
    suggestion = BrochureSuggestion(
        1, hid, name, None, "retirement", TODAY, 1, "Guía de la jubilación", "jubilacion.pdf", "es"
    )
    return BrochureApprovalDialog(ctx, [suggestion], window)


def _replies(window: Any, ctx: Any) -> QWidget:
    from actdesk.domain.engagement.reply import ParsedReply
    from actdesk.services.engagement.replies import ReplyResult
    from actdesk.ui.engagement.reply_dialog import ReplyReviewDialog

    hid, name = _first_household(ctx)
    parsed = ParsedReply(language="es", answers=(), issues=(), unanswered=(), tokens=())
    result = ReplyResult("f1", "ana@example.es", "RE: Antes de nuestra revisión", WHEN, parsed, hid, name)
    return ReplyReviewDialog([result], window)


def _life_event(window: Any, ctx: Any) -> QWidget:
    from actdesk.ui.engagement.life_event_dialog import LifeEventDialog

    hid, name = _first_household(ctx)
    return LifeEventDialog(hid, name, [], TODAY, parent=window)


def _period(window: Any, ctx: Any) -> QWidget:
    from actdesk.domain.models import Household
    from actdesk.ui.card.periods import PeriodDialog

    hid, name = _first_household(ctx)
    return PeriodDialog(Household(name=name, id=hid), True, TODAY, lambda _d, _r: None, window)


def _editor(window: Any, ctx: Any) -> QWidget:
    from actdesk.ui.card.editor import HouseholdEditor

    return HouseholdEditor(ctx, None, window)


def _simple(path: str, *args: Any) -> Factory:
    """A dialog built from the context (when its first argument is "ctx") and fixed arguments."""

    def build(window: Any, ctx: Any) -> QWidget:
        module, name = path.rsplit(".", 1)
        cls = getattr(importlib.import_module(module), name)
        values = [ctx if a == "ctx" else a for a in args]
        return cls(*values, parent=window)  # type: ignore[no-any-return]

    return build


def _with_alert(path: str, *extra: Any) -> Factory:
    def build(window: Any, ctx: Any) -> QWidget:
        module, name = path.rsplit(".", 1)
        cls = getattr(importlib.import_module(module), name)
        return cls(_alert(ctx), *extra, parent=window)  # type: ignore[no-any-return]

    return build


def _with_occurrence(path: str) -> Factory:
    def build(window: Any, ctx: Any) -> QWidget:
        module, name = path.rsplit(".", 1)
        cls = getattr(importlib.import_module(module), name)
        return cls(_occurrence(ctx), _first_household(ctx)[1], parent=window)  # type: ignore[no-any-return]

    return build


def _growth(window: Any, ctx: Any) -> QWidget:
    from actdesk.ui.pipeline.growth import GrowthIdeasDialog

    hid, name = _first_household(ctx)
    return GrowthIdeasDialog(ctx, hid, name, window)


def _passphrase(window: Any, ctx: Any) -> QWidget:
    from actdesk.ui.preferences.encryption import PassphraseDialog

    return PassphraseDialog(
        _("Lock passphrase"),
        _(
            "The passphrase that unlocks the window after it locked itself. It is stored only as a secure hash."
        ),
        window,
    )


def _household_list(window: Any, ctx: Any) -> QWidget:
    from actdesk.ui.dashboard.widgets import HouseholdListDialog

    hid, name = _first_household(ctx)
    return HouseholdListDialog(
        _("Current client households"), [(hid, name, "1.250.000 US$")], _("Managed assets"), window
    )


DIALOGS: dict[str, Factory] = {
    "actdesk.ui.quick_find.QuickFind": _simple("actdesk.ui.quick_find.QuickFind", "ctx"),
    "actdesk.ui.pipeline.growth.GrowthIdeasDialog": _growth,
    "actdesk.ui.pipeline.sources.SpendDialog": _simple(
        "actdesk.ui.pipeline.sources.SpendDialog", ["Seminario"], TODAY
    ),
    "actdesk.ui.pipeline.dialogs.LostReasonDialog": _simple(
        "actdesk.ui.pipeline.dialogs.LostReasonDialog", "Hogar García"
    ),
    "actdesk.ui.mail.account_dialog.AccountDialog": _simple(
        "actdesk.ui.mail.account_dialog.AccountDialog", "ctx"
    ),
    "actdesk.ui.mail.account_screen.MailAccountScreen": _simple(
        "actdesk.ui.mail.account_screen.MailAccountScreen", "ctx"
    ),
    "actdesk.ui.card.editor.HouseholdEditor": _editor,
    "actdesk.ui.engagement.event_dialogs.NewEventDialog": _simple(
        "actdesk.ui.engagement.event_dialogs.NewEventDialog", "ctx", []
    ),
    "actdesk.ui.engagement.event_dialogs.EventDialog": _event,
    "actdesk.ui.engagement.brochure_dialog.BrochureApprovalDialog": _brochures,
    "actdesk.ui.engagement.reply_dialog.ReplyReviewDialog": _replies,
    "actdesk.ui.engagement.life_event_dialog.LifeEventDialog": _life_event,
    "actdesk.ui.imports.history.ImportHistoryDialog": _simple(
        "actdesk.ui.imports.history.ImportHistoryDialog", "ctx"
    ),
    "actdesk.ui.imports.wizard.ImportWizard": _simple("actdesk.ui.imports.wizard.ImportWizard", "ctx"),
    "actdesk.ui.schedule.dialogs.QuickAddDialog": _quick_add,
    "actdesk.ui.schedule.dialogs.DoneDialog": _with_occurrence("actdesk.ui.schedule.dialogs.DoneDialog"),
    "actdesk.ui.schedule.edit_dialog.EditActivityDialog": _edit_activity,
    "actdesk.ui.preferences.dialog.PreferencesDialog": _simple(
        "actdesk.ui.preferences.dialog.PreferencesDialog", "ctx"
    ),
    "actdesk.ui.preferences.encryption.PassphraseDialog": _passphrase,
    "actdesk.ui.alerts.dialogs.SnoozeDialog": _with_alert("actdesk.ui.alerts.dialogs.SnoozeDialog", TODAY),
    "actdesk.ui.alerts.dialogs.DismissDialog": _with_alert("actdesk.ui.alerts.dialogs.DismissDialog"),
    "actdesk.ui.privacy.restore_dialog.RestoreDialog": _simple(
        "actdesk.ui.privacy.restore_dialog.RestoreDialog", "ctx"
    ),
    "actdesk.ui.dashboard.widgets.HouseholdListDialog": _household_list,
    "actdesk.ui.card.periods.PeriodDialog": _period,
}


def shortcuts(window: Any, _ctx: Any) -> QWidget:
    """F1's dialog (built by a function, not a subclass)."""
    from actdesk.ui.shell.shortcuts import shortcuts_dialog

    return shortcuts_dialog(window)  # type: ignore[no-any-return]
