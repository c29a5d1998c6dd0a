"""The Households panel (controller): list on the left, contact card on the right, actions on both.

The list comes from one query run through the task runner and is refetched whenever households, contacts or
balances change; searching and status filtering happen in the proxy as the advisor types.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QHideEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from actdesk.i18n import _, format_money, format_number, ngettext, user_message
from actdesk.storage.engine import Book
from actdesk.storage.errors import BookError
from actdesk.storage.repositories import households as repo
from actdesk.storage.repositories.households import HouseholdListItem
from actdesk.ui import icons, theme
from actdesk.ui.card.editor import HouseholdEditor
from actdesk.ui.card.view import ContactCard
from actdesk.ui.context import AppContext
from actdesk.ui.households.model import (
    ID_ROLE,
    STATUS_LABELS,
    HouseholdFilterProxy,
    HouseholdTableModel,
    total_aum,
)
from actdesk.ui.households.table import household_table
from actdesk.ui.tasks import TaskHandle
from actdesk.ui.topics import Topic
from actdesk.ui.widgets import EmptyState
from actdesk.ui.window_geometry import restore_splitter, save_splitter

CARD_AFTER_TYPING_MS = 150  # a keystroke filters at once; the card of the first match follows the pause
RELOAD_TOPICS = {Topic.HOUSEHOLDS, Topic.CONTACTS, Topic.ACCOUNTS, Topic.BALANCES, Topic.IMPORTS, Topic.BOOK}


class HouseholdsPanel(QWidget):
    sig_loaded = Signal(int)  # number of households
    sig_import_requested = Signal()
    sig_demo_requested = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("HouseholdsPanel")
        self.ctx = ctx
        self._pending: TaskHandle | None = None
        self._select_after_load: int | None = None
        self.loaded = False
        self.confirm_box: QMessageBox | None = None
        self.editor: HouseholdEditor | None = None

        self._typing = False
        self._card_wanted: int | None = None
        self._card_timer = QTimer(self)
        self._card_timer.setSingleShot(True)
        self._card_timer.setInterval(CARD_AFTER_TYPING_MS)
        self._card_timer.timeout.connect(self._load_wanted_card)
        self.model = HouseholdTableModel(self)
        self.proxy = HouseholdFilterProxy(self)
        self.proxy.setSourceModel(self.model)

        # -- toolbar --
        self.search = QLineEdit(self)
        self.search.setObjectName("household_search")
        self.search.setPlaceholderText(_("Search name, e-mail, phone or city  (Ctrl+F)"))
        self.search.addAction(
            icons.icon("search", theme.colors().muted), QLineEdit.ActionPosition.LeadingPosition
        )
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._search_changed)
        self.status_filter = QComboBox(self)
        self.status_filter.setObjectName("status_filter")
        self.status_filter.addItem(_("All statuses"), "")
        for value, label in STATUS_LABELS.items():
            self.status_filter.addItem(_(label), value.value)
        self.status_filter.currentIndexChanged.connect(self._status_changed)
        self.new_button = QPushButton(icons.icon("add", theme.colors().accent_text), _("New household"), self)
        self.new_button.setObjectName("Primary")
        self.new_button.setToolTip(_("Add a household (Ctrl+N)"))
        self.new_button.clicked.connect(self.new_household)

        title = QLabel(_("Households"), self)
        title.setObjectName("CardTitle")
        self.summary = QLabel(self)
        self.summary.setObjectName("Muted")
        self.summary.setWordWrap(True)  # a narrow list wraps the count and the total, never cuts them
        top = QHBoxLayout()
        top.setSpacing(theme.S2)
        heading = QVBoxLayout()
        heading.setSpacing(0)
        heading.addWidget(title)
        heading.addWidget(self.summary)  # under the title: the whole count and total, at any list width
        top.addLayout(heading, 1)
        top.addWidget(self.new_button, 0, Qt.AlignmentFlag.AlignTop)
        filters = QHBoxLayout()
        filters.setSpacing(theme.S2)
        filters.addWidget(self.search, 1)
        filters.addWidget(self.status_filter)

        # -- list --
        self.table = household_table(self.proxy, self)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.table.doubleClicked.connect(lambda _i: self.edit_current())

        self.no_results = EmptyState(
            "search", _("No matching households"), _("Try fewer letters, or another status.")
        )
        self.empty_book = EmptyState(
            "households",
            _("No households yet"),
            _("Import from Redtail, Wealthbox, Google or a vCard, or open the demo book."),
            [("new", _("New household")), ("import", _("Import…")), ("demo", _("Open the demo book"))],
        )
        self.empty_book.sig_action_triggered.connect(self._empty_action)
        self.list_stack = QStackedWidget(self)
        for widget in (self.table, self.no_results, self.empty_book):
            self.list_stack.addWidget(widget)

        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(theme.S4, theme.S4, theme.S2, theme.S4)
        left_layout.setSpacing(theme.S3)
        left_layout.addLayout(top)
        left_layout.addLayout(filters)
        left_layout.addWidget(self.list_stack, 1)

        self.card = ContactCard(ctx, self)
        self.card.sig_edit_requested.connect(lambda _hid: self.edit_current())
        self.card.sig_delete_requested.connect(lambda _hid: self.delete_current())

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("households_splitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.card)
        self.splitter.setStretchFactor(0, 5)
        self.splitter.setStretchFactor(1, 4)
        left.setMinimumWidth(420)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)

        self._actions()
        self._restore_state()
        if ctx.read_only:  # a book open elsewhere, opened to look: nothing here may change it
            for button in (
                self.new_button,
                self.card.edit_button,
                self.card.delete_button,
                self.card.activity_button,
            ):
                button.hide()
            self.card.note_edit.setEnabled(False)
            self.card.add_note_button.hide()
        ctx.signals.data_changed.connect(self._data_changed)
        ctx.signals.household_saved.connect(self._household_saved)
        ctx.signals.open_household_requested.connect(self.open_household)
        self.reload()

    def _actions(self) -> None:
        def action(
            text: str,
            keys: QKeySequence | QKeySequence.StandardKey | str,
            slot: object,
            icon_name: str = "",
            context: Qt.ShortcutContext = Qt.ShortcutContext.WidgetWithChildrenShortcut,
        ) -> QAction:
            act = QAction(icons.icon(icon_name), text, self)
            act.setShortcut(QKeySequence(keys))
            act.setShortcutContext(context)
            act.triggered.connect(slot)
            self.addAction(act)
            return act

        self.edit_action = action(_("Edit household"), "Ctrl+E", self.edit_current, "edit")
        self.delete_action = action(
            _("Delete household"), QKeySequence.StandardKey.Delete, self.delete_current, "delete"
        )
        # Ctrl+F works from anywhere in the window while this panel is shown; Ctrl+N is the window's own.
        self.find_action = action(
            _("Find"),
            QKeySequence.StandardKey.Find,
            self.focus_search,
            "search",
            Qt.ShortcutContext.WindowShortcut,
        )

    # -- state -------------------------------------------------------------------------------------------
    def _restore_state(self) -> None:
        if not restore_splitter(self.splitter, "households/splitter"):
            self.splitter.setSizes([660, 520])  # the card needs room for its header, tiles and addresses
        sort = QSettings().value("households/sort")
        if isinstance(sort, str) and ":" in sort:
            column, order = sort.split(":", 1)
            if column.isdigit() and int(column) < self.model.columnCount():
                self.table.sortByColumn(int(column), Qt.SortOrder(int(order == "1")))

    def save_state(self) -> None:
        save_splitter(self.splitter, "households/splitter")
        header = self.table.horizontalHeader()
        QSettings().setValue(
            "households/sort", f"{header.sortIndicatorSection()}:{header.sortIndicatorOrder().value}"
        )

    def set_demo_available(self, available: bool) -> None:
        """The empty state offers the demo book only when this build can make one."""
        self.empty_book.buttons["demo"].setVisible(available)

    def set_import_available(self, available: bool) -> None:
        self.empty_book.buttons["import"].setVisible(available)

    def activate(self) -> None:
        """Called by the main window when the panel is shown."""
        if self.list_stack.currentWidget() is self.table:
            self.table.setFocus()

    # -- loading -----------------------------------------------------------------------------------------
    def reload(self) -> None:
        if self._pending:
            self._pending.cancel()
        self._pending = self.ctx.tasks.run_task(
            _fetch_rows, self.ctx.book, on_done=self._rows_loaded, on_error=self._load_failed
        )

    def _rows_loaded(self, rows: list[HouseholdListItem]) -> None:
        self._pending = None
        explicit, kept = self._select_after_load, self.card.household_id
        self._select_after_load = None
        self.model.set_rows(rows)
        self.loaded = True
        managed = total_aum(rows)
        count = len(rows)
        self.summary.setText(
            ngettext("{n} household", "{n} households", count).format(n=format_number(count))
            + ("  ·  " + _("{aum} managed").format(aum=format_money(managed, cents=False)) if count else "")
        )
        self._update_stack()
        # The card is always re-read: whatever changed (an edit, an import, new balances) may concern it.
        if explicit is not None and self.select_household(explicit, reload_card=True):
            pass  # a household just saved here: show it even if the search hid it
        elif kept is not None and self._visible_row(kept) is not None:
            self.select_household(kept, reload_card=True)  # a background reload keeps the advisor's place
        elif self.proxy.rowCount():
            self.card.clear()
            self.table.selectRow(0)
        else:
            self.card.clear()
        self.card.setVisible(bool(rows))
        self.sig_loaded.emit(count)

    def _load_failed(self, error: BaseException) -> None:
        self._pending = None
        if not isinstance(error, BookError):
            raise error
        self.ctx.signals.status_message.emit(
            _("Could not read the households: {error}").format(error=user_message(error))
        )

    def _data_changed(self, topic: str) -> None:
        if topic in RELOAD_TOPICS:
            self.reload()

    def _household_saved(self, household_id: int) -> None:
        self._select_after_load = household_id
        self.reload()

    def _update_stack(self) -> None:
        if self.model.rowCount() == 0:
            self.list_stack.setCurrentWidget(self.empty_book)
        elif self.proxy.rowCount() == 0:
            self.list_stack.setCurrentWidget(self.no_results)
        else:
            self.list_stack.setCurrentWidget(self.table)

    # -- list interaction ----------------------------------------------------------------------------------
    def _search_changed(self, text: str) -> None:
        self.proxy.set_search(text)
        self._typing = True
        try:
            self._after_filter()
        finally:
            self._typing = False

    def _status_changed(self) -> None:
        self.proxy.set_status(self.status_filter.currentData() or None)
        self._after_filter()

    def _after_filter(self) -> None:
        self._update_stack()
        current = self.card.household_id
        if not self.proxy.rowCount():
            self.card.clear()  # nothing matches: the card must not keep showing a hidden household
        elif current is None or self._visible_row(current) is None:
            self.table.selectRow(0)

    def _visible_row(self, household_id: int) -> int | None:
        source_row = self.model.row_of(household_id)
        if source_row < 0:
            return None
        index = self.proxy.mapFromSource(self.model.index(source_row, 0))
        return index.row() if index.isValid() else None

    def _current_changed(self, current: object, _previous: object) -> None:
        index = self.table.currentIndex()
        if not index.isValid():
            return
        household_id = index.data(ID_ROLE)
        if household_id is None or household_id == self.card.household_id:
            return
        if self._typing:  # while the advisor types, the card follows once the typing pauses
            self._card_wanted = int(household_id)
            self._card_timer.start()
        else:
            self.card.load(int(household_id))

    def _load_wanted_card(self) -> None:
        index = self.table.currentIndex()
        wanted = self._card_wanted
        self._card_wanted = None
        if wanted is not None and index.isValid() and index.data(ID_ROLE) == wanted:
            self.card.load(wanted)

    def select_household(self, household_id: int, *, reload_card: bool = False) -> bool:
        """Select and show a household; clears a search or filter that hides it."""
        if self.model.row_of(household_id) < 0:
            return False
        if self._visible_row(household_id) is None:
            self.search.clear()
            self.status_filter.setCurrentIndex(0)
        row = self._visible_row(household_id)
        if row is None:
            return False
        index = self.proxy.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        )
        self.table.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
        if reload_card or self.card.household_id != household_id:
            self.card.load(household_id)
        return True

    def open_household(self, household_id: int) -> None:
        if not self.select_household(household_id):
            self._select_after_load = household_id
            self.reload()

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    # -- actions -------------------------------------------------------------------------------------------
    def _empty_action(self, key: str) -> None:
        if key == "new":
            self.new_household()
        elif key == "import":
            self.sig_import_requested.emit()
        elif key == "demo":
            self.sig_demo_requested.emit()

    def new_household(self) -> HouseholdEditor | None:
        if self.ctx.read_only:
            return None
        editor = HouseholdEditor(self.ctx, None, self)
        self.editor = editor
        editor.open()
        return editor

    def edit_current(self) -> HouseholdEditor | None:
        if self.card.detail is None or self.ctx.read_only:
            return None
        editor = HouseholdEditor(self.ctx, self.card.detail, self)
        self.editor = editor
        editor.open()
        return editor

    def delete_current(self) -> None:
        detail = self.card.detail
        if detail is None or detail.household.id is None or self.ctx.read_only:
            return
        h = detail.household
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(_("Delete household"))
        box.setText(_("Delete {name}?").format(name=h.name))
        box.setInformativeText(
            _("Its members, accounts, balances, activities and notes are deleted too. This cannot be undone.")
        )
        delete = box.addButton(_("Delete"), QMessageBox.ButtonRole.DestructiveRole)
        cancel = box.addButton(_("Cancel"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(cancel)
        box.setObjectName("confirm_delete")
        self.confirm_box = box
        box.finished.connect(lambda _r: self._delete_answered(box.clickedButton() is delete, h.id, h.version))
        box.open()

    def _delete_answered(self, confirmed: bool, household_id: int | None, version: int) -> None:
        self.confirm_box = None
        if not confirmed or household_id is None:
            return

        def done(_result: object) -> None:
            self.card.clear()
            self.ctx.signals.household_deleted.emit(household_id)
            self.ctx.signals.data_changed.emit(Topic.HOUSEHOLDS)

        def failed(error: BaseException) -> None:
            if not isinstance(error, BookError):
                raise error
            QMessageBox.warning(
                self, _("Not deleted"), _("Nothing was deleted: {error}").format(error=user_message(error))
            )

        self.ctx.tasks.run_task(_delete, self.ctx.book, household_id, version, on_done=done, on_error=failed)

    def hideEvent(self, event: QHideEvent) -> None:
        self.save_state()
        super().hideEvent(event)


def _fetch_rows(_state: object, book: Book) -> list[HouseholdListItem]:
    with book.reader() as s:
        return repo.list_households(s)


def _delete(_state: object, book: Book, household_id: int, version: int) -> None:
    with book.session() as s:
        repo.delete_household(s, household_id, expected_version=version)
