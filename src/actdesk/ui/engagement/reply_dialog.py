"""What was read from dropped replies, before anything is filed: household, answers, and every doubt."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from actdesk.domain.enums import life_event_label
from actdesk.i18n import N_, _, format_date, ngettext
from actdesk.services.engagement.replies import ReplyResult
from actdesk.ui import theme

MATCHED_BY = {
    "token": N_("the questionnaire's reference"),
    "in_reply_to": N_("the questionnaire it answers"),
    "sender": N_("the sender's address"),
}


def _kind(kind: str) -> str:
    return life_event_label(kind)


def fileable(results: list[ReplyResult]) -> int:
    return sum(len(r.parsed.answers) for r in results if r.matched and not r.already_filed)


class ReplyReviewDialog(QDialog):
    sig_file_requested = Signal()
    sig_brochures_requested = Signal()

    def __init__(self, results: list[ReplyResult], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ReplyReviewDialog")
        self.setWindowTitle(_("Questionnaire replies"))
        self.resize(640, 520)
        self.results = results
        self.body = QVBoxLayout()
        self.body.setSpacing(theme.S3)
        inner = QWidget(self)
        inner.setLayout(self.body)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(inner)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.buttons = QDialogButtonBox(self)
        n = fileable(results)
        self.file_button = QPushButton(
            ngettext("File {n} life event", "File {n} life events", n).format(n=n), self
        )
        self.file_button.setObjectName("Primary")
        self.file_button.setEnabled(n > 0)
        self.file_button.clicked.connect(self._file)
        self.brochures_button = QPushButton(_("Review brochures…"), self)
        self.brochures_button.clicked.connect(self.sig_brochures_requested.emit)
        self.buttons.addButton(self.brochures_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.file_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.brochures_button.hide()  # after addButton, which shows it
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(theme.S4, theme.S4, theme.S4, theme.S4)
        layout.setSpacing(theme.S3)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.buttons)
        self.show_results(results)
        self.summary.setText(
            _("Nothing is filed until you press the button. Answers with a doubt are listed and left out.")
            if n
            else _("There is nothing to file from these messages.")
        )

    def _file(self) -> None:
        self.file_button.setEnabled(False)
        self.summary.setText(_("Filing…"))
        self.sig_file_requested.emit()

    def show_results(self, results: list[ReplyResult]) -> None:
        self.results = results
        while self.body.count():
            item = self.body.takeAt(0)
            if item and item.widget():
                item.widget().deleteLater()  # type: ignore[union-attr]
        for r in results:
            self.body.addWidget(self._card(r))
        self.body.addStretch(1)

    def show_filed(self, results: list[ReplyResult], brochures: int) -> None:
        self.show_results(results)
        filed = sum(len(r.filed) for r in results)
        text = ngettext("{n} life event filed.", "{n} life events filed.", filed).format(n=filed)
        if brochures:
            text += " " + ngettext(
                "{n} brochure awaits your approval.", "{n} brochures await your approval.", brochures
            ).format(n=brochures)
            self.brochures_button.show()
        self.summary.setText(text)
        self.file_button.hide()

    def _card(self, r: ReplyResult) -> QFrame:
        frame = QFrame(self)
        frame.setObjectName("Card")
        box = QVBoxLayout(frame)
        box.setContentsMargins(theme.S3, theme.S2, theme.S3, theme.S2)
        box.setSpacing(theme.S1)
        title = QLabel(frame)
        title.setObjectName("SectionTitle")
        title.setTextFormat(Qt.TextFormat.PlainText)
        if r.matched:
            title.setText(_("{household} — from {sender}").format(household=r.household, sender=r.sender))
            how = ", ".join(_(MATCHED_BY[m]) for m in r.matched_by if m in MATCHED_BY)
            box.addWidget(title)
            if how:  # a reply filed by hand has no automatic match to name
                box.addWidget(self._muted(_("Matched by {how}.").format(how=how), frame))
        else:
            title.setText(_("Not filed — from {sender}").format(sender=r.sender or _("unknown sender")))
            box.addWidget(title)
        lines = []
        for a in r.parsed.answers:
            done = any(f.kind == a.kind and f.date == a.date for f in r.filed)
            mark = "✓ " if done else "• "
            note = f" — {a.notes}" if a.notes else ""
            lines.append(html.escape(f"{mark}{_kind(a.kind)}, {format_date(a.date)}{note}"))
        for a in r.duplicates:
            lines.append(
                html.escape(
                    _("{event}, {date}: already on file").format(
                        event=_kind(a.kind), date=format_date(a.date)
                    )
                )
            )
        if lines:
            answers = QLabel("<br>".join(lines), frame)
            answers.setWordWrap(True)
            box.addWidget(answers)
        warnings = [*r.problems, *(i.message() for i in r.parsed.issues if i.code != "missing")]
        missing = [i.number for i in r.parsed.issues if i.code == "missing" and i.number]
        if missing:
            warnings.append(
                _("Questions left out of the reply: {numbers}").format(
                    numbers=", ".join(str(n) for n in missing)
                )
            )
        if r.already_filed:
            warnings.insert(0, _("This reply was already filed earlier."))
        if warnings:
            doubt = QLabel("<br>".join("⚠ " + html.escape(w) for w in warnings), frame)
            doubt.setWordWrap(True)
            doubt.setStyleSheet(f"color: {theme.WARNING};")
            box.addWidget(doubt)
        if r.parsed.free_text:
            box.addWidget(
                self._muted(_("The client also wrote: {text}").format(text=r.parsed.free_text[:400]), frame)
            )
        return frame

    @staticmethod
    def _muted(text: str, parent: QWidget) -> QLabel:
        label = QLabel(text, parent)
        label.setObjectName("Muted")
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.PlainText)
        return label
