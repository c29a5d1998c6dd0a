"""Prospects sorted by "most like my best clients", the reasons in a side panel, the ideal-client profile."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from actdesk.i18n import _, ngettext
from actdesk.services.pipeline import ProspectFit, Prospecting
from actdesk.ui import icons, theme
from actdesk.ui.pipeline.models import ROW_ROLE, ProspectModel, TextFilterProxy, warning_color


class ProfileCard(QFrame):
    """The ideal-client profile in words and numbers."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Card")
        self.title = QLabel(_("Your ideal client"), self)
        self.title.setObjectName("SectionTitle")
        self.title.setStyleSheet("padding-top: 0px;")
        self.subtitle = QLabel(self)
        self.subtitle.setObjectName("Muted")
        self.subtitle.setWordWrap(True)
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(theme.S6)
        self.grid.setVerticalSpacing(theme.S1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(theme.S4, theme.S3, theme.S4, theme.S3)
        layout.setSpacing(theme.S1)
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        layout.addSpacing(theme.S1)
        layout.addLayout(self.grid)

    def set_profile(self, result: Prospecting) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            widget = item.widget() if item else None
            if widget is not None:
                widget.deleteLater()
        n = result.profile.households
        if not n:
            self.subtitle.setText(
                _(
                    "No A clients yet: the profile is drawn from your top clients by revenue once fees are recorded."
                )
            )
            return
        self.subtitle.setText(
            ngettext(
                "Drawn from your {n} A client (the top clients by revenue over 12 months).",
                "Drawn from your {n} A clients (the top clients by revenue over 12 months).",
                n,
            ).format(n=n)
        )
        half = (len(result.profile_lines) + 1) // 2
        for i, line in enumerate(result.profile_lines):
            name, _sep, rest = line.partition(": ")
            label = QLabel(f"<b>{html.escape(name)}</b>&nbsp; {html.escape(rest)}", self)
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setWordWrap(True)
            self.grid.addWidget(label, i % half, i // half)


class ReasonsPanel(QFrame):
    """Why the selected prospect scored what it did: one line per attribute with its points."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Card")
        self.name = QLabel(_("Select a prospect"), self)
        self.name.setTextFormat(Qt.TextFormat.PlainText)  # the book's own text, never markup
        self.name.setObjectName("SectionTitle")
        self.name.setStyleSheet("padding-top: 0px;")
        self.name.setWordWrap(True)
        self.score = QProgressBar(self)
        self.score.setRange(0, 100)
        self.score.setTextVisible(True)
        self.score.setFormat(_("Fit %v / 100"))
        self.score.hide()
        self.reasons = QVBoxLayout()
        self.reasons.setSpacing(theme.S2)
        self.note = QLabel(
            _(
                "The score is a weighted sum: each attribute scores 0 to 1 against your A clients and "
                "carries the points shown. Weights are in the pipeline settings."
            ),
            self,
        )
        self.note.setObjectName("Muted")
        self.note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(theme.S4, theme.S3, theme.S4, theme.S3)
        layout.setSpacing(theme.S2)
        layout.addWidget(self.name)
        layout.addWidget(self.score)
        layout.addLayout(self.reasons)
        layout.addStretch(1)
        layout.addWidget(self.note)

    def show_fit(self, row: ProspectFit | None) -> None:
        while self.reasons.count():
            item = self.reasons.takeAt(0)
            widget = item.widget() if item else None
            if widget is not None:
                widget.deleteLater()
        if row is None:
            self.name.setText(_("Select a prospect"))
            self.score.hide()
            return
        self.name.setText(row.traits.name)
        self.score.setValue(row.fit.score)
        self.score.show()
        for reason in row.fit.reasons:
            good = reason.similarity >= 0.999
            icon = "check" if good else ("alert" if reason.similarity < 0.5 else "sparkles")
            color = (
                theme.SUCCESS
                if good
                else (warning_color() if reason.similarity < 0.5 else theme.colors().muted)
            )
            line = QWidget(self)
            h = QGridLayout(line)
            h.setContentsMargins(0, 0, 0, 0)
            h.setHorizontalSpacing(theme.S2)
            mark = QLabel(line)
            mark.setPixmap(icons.pixmap(icon, 16, color))
            text = QLabel(reason.text, line)
            text.setWordWrap(True)
            points = QLabel(_("+{points}").format(points=round(reason.points)), line)
            points.setObjectName("Muted")
            points.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            h.addWidget(mark, 0, 0, Qt.AlignmentFlag.AlignTop)
            h.addWidget(text, 0, 1)
            h.addWidget(points, 0, 2)
            h.setColumnStretch(1, 1)
            self.reasons.addWidget(line)


class ProspectsView(QWidget):
    sig_open_household = Signal(int)
    sig_selected = Signal(int)  # household id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = ProspectModel(self)
        self.proxy = TextFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.profile = ProfileCard(self)
        self.search = QLineEdit(self)
        self.search.setObjectName("prospect_search")
        self.search.setPlaceholderText(_("Search prospects"))
        self.search.setClearButtonEnabled(True)
        self.search.addAction(
            icons.icon("search", theme.colors().muted), QLineEdit.ActionPosition.LeadingPosition
        )
        self.search.textChanged.connect(self.proxy.setFilterFixedString)
        self.table = QTableView(self)
        self.table.setObjectName("prospects_table")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)  # most like my best clients
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        head = self.table.horizontalHeader()
        head.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for col, width in ((0, 88), (2, 60), (3, 128), (4, 116), (5, 124), (6, 116)):
            self.table.setColumnWidth(col, width)
        self.table.selectionModel().currentRowChanged.connect(lambda *_a: self._selected())
        self.table.activated.connect(lambda _i: self._open())
        self.reasons = ReasonsPanel(self)
        left = QWidget(self)
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.setSpacing(theme.S2)
        lv.addWidget(self.search)
        lv.addWidget(self.table, 1)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(left)
        split.addWidget(self.reasons)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        split.setSizes([860, 320])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, theme.S3, 0, 0)
        layout.setSpacing(theme.S3)
        layout.addWidget(self.profile)
        layout.addWidget(split, 1)

    def set_result(self, result: Prospecting) -> None:
        self.model.as_of = result.as_of
        self.model.set_rows(result.prospects)
        self.profile.set_profile(result)
        if result.prospects:
            self.table.selectRow(0)
        self._selected()

    def current(self) -> ProspectFit | None:
        index = self.table.currentIndex()
        return index.data(ROW_ROLE) if index.isValid() else None

    def _selected(self) -> None:
        row = self.current()
        self.reasons.show_fit(row)
        if row is not None:
            self.sig_selected.emit(row.traits.household_id)

    def _open(self) -> None:
        row = self.current()
        if row is not None:
            self.sig_open_household.emit(row.traits.household_id)
