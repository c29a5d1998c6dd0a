"""The first-run triage banner: a fresh book opens dozens of alerts at once; start with the ten that matter.

Shown above the grouped alert list while it is in triage mode: it says why only a few households are listed
and summarises the rest by severity, with one button to show everything.
"""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from actdesk.domain.alerts.model import Severity
from actdesk.i18n import _, ngettext
from actdesk.ui import theme
from actdesk.ui.alerts.grouped import Group


def triage_summary(shown: list[Group], hidden: list[Group]) -> str:
    """Pure text of the banner for the groups shown and the groups summarised."""
    lead = ngettext(
        "Start with this household: the most severe alerts of your largest clients.",
        "Start with these {n} households: the most severe alerts of your largest clients.",
        len(shown),
    ).format(n=len(shown))
    alerts = [a for g in hidden for a in g.alerts]
    if not alerts:
        return lead
    counts = Counter(a.severity for a in alerts)
    parts = [
        text.format(n=counts[sev])
        for sev, text in (
            (Severity.HIGH, ngettext("{n} high", "{n} high", counts[Severity.HIGH])),
            (Severity.MEDIUM, ngettext("{n} medium", "{n} medium", counts[Severity.MEDIUM])),
            (Severity.LOW, ngettext("{n} low", "{n} low", counts[Severity.LOW])),
        )
        if counts[sev]
    ]
    rest = ngettext(
        "The other {n} alert, for {h} more households ({parts}), can wait.",
        "The other {n} alerts, for {h} more households ({parts}), can wait.",
        len(alerts),
    ).format(n=len(alerts), h=len(hidden), parts=", ".join(parts))
    return f"{lead} {rest}"


class TriageBanner(QFrame):
    sig_show_all = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Card")
        row = QHBoxLayout(self)
        row.setContentsMargins(theme.S3, theme.S2, theme.S3, theme.S2)
        row.setSpacing(theme.S3)
        self.text = QLabel(self)
        self.text.setWordWrap(True)
        self.show_all_button = QPushButton(_("Show all alerts"), self)
        self.show_all_button.setObjectName("triage_show_all")
        self.show_all_button.clicked.connect(self.sig_show_all.emit)
        row.addWidget(self.text, 1)
        row.addWidget(self.show_all_button)
        self.hide()

    def set_groups(self, shown: list[Group], hidden: list[Group]) -> None:
        self.text.setText(triage_summary(shown, hidden))
