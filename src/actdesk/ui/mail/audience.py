"""The campaign audience built with controls: status, segment, tag, age, city/region, last contact.

The controls write the same filter text the command line takes (``status=client,segment=A|B,quiet=180``), so a
campaign stores one audience format whichever face made it; the advisor never types it. The live count and a
sample of recipients are shown by the campaign builder.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QWidget,
)

from actdesk.i18n import N_, _
from actdesk.storage.repositories.mail_audience import AudienceChoices
from actdesk.ui import theme

STATUSES = (
    ("", N_("Any status")),
    ("client", N_("Clients")),
    ("prospect", N_("Prospects")),
    ("former_client", N_("Former clients")),
)
SEGMENTS = ("A", "B", "C")
LAST_CONTACT = (
    ("", N_("Any time")),
    ("contacted=30", N_("Contacted in the last 30 days")),
    ("contacted=90", N_("Contacted in the last 90 days")),
    ("quiet=90", N_("No contact for 90 days or more")),
    ("quiet=180", N_("No contact for 6 months or more")),
    ("quiet=365", N_("No contact for a year or more")),
)
ANY_AGE = 0


class AudienceControls(QWidget):
    """Controls that compose an audience filter; ``sig_changed`` fires on every change."""

    sig_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.status = QComboBox(self)
        self.status.setObjectName("audience_status")
        for key, label in STATUSES:
            self.status.addItem(_(label), key)
        self.status.setCurrentIndex(1)  # clients: the usual audience of a campaign
        self.segments: dict[str, QCheckBox] = {}
        segment_row = QHBoxLayout()
        segment_row.setSpacing(theme.S2)
        for key in SEGMENTS:
            box = QCheckBox(_("Segment {s}").format(s=key), self)
            box.setObjectName(f"audience_segment_{key}")
            box.setToolTip(_("Leave all unticked for every segment."))
            self.segments[key] = box
            segment_row.addWidget(box)
        segment_row.addStretch(1)
        self.tag = self._choice("audience_tag", _("Any tag"))
        self.city = self._choice("audience_city", _("Any city"))
        self.region = self._choice("audience_region", _("Any region"))
        self.age_from = self._age("audience_age_from")
        self.age_to = self._age("audience_age_to")
        age_row = QHBoxLayout()
        age_row.setSpacing(theme.S2)
        age_row.addWidget(self.age_from)
        age_row.addWidget(QLabel(_("to"), self))
        age_row.addWidget(self.age_to)
        age_row.addStretch(1)
        self.last_contact = QComboBox(self)
        self.last_contact.setObjectName("audience_last_contact")
        for key, label in LAST_CONTACT:
            self.last_contact.addItem(_(label), key)
        self.reachable = QCheckBox(_("Only people with an e-mail address who have not opted out"), self)
        self.reachable.setObjectName("audience_reachable")
        self.reachable.setChecked(True)
        self.reachable.setEnabled(False)  # always applied: nobody without consent or address is written to
        self.reachable.setToolTip(_("Always applied: the count below says how many were left out and why."))

        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(theme.S3)
        grid.setVerticalSpacing(theme.S2)
        rows: list[tuple[str, QWidget | QHBoxLayout]] = [
            (_("Status"), self.status),
            (_("Segment"), segment_row),
            (_("Tag"), self.tag),
            (_("Age"), age_row),
            (_("City"), self.city),
            (_("Region"), self.region),
            (_("Last contact"), self.last_contact),
        ]
        # Two pairs of columns: the whole audience fits above the fold at 1366x768.
        for i, (label, field) in enumerate(rows):
            row, col = divmod(i, 2)
            grid.addWidget(QLabel(label, self), row, col * 2)
            if isinstance(field, QHBoxLayout):
                grid.addLayout(field, row, col * 2 + 1)
            else:
                grid.addWidget(field, row, col * 2 + 1)
        grid.addWidget(self.reachable, (len(rows) + 1) // 2, 0, 1, 4)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)

        self.status.currentIndexChanged.connect(self.sig_changed)
        self.last_contact.currentIndexChanged.connect(self.sig_changed)
        for box in self.segments.values():
            box.toggled.connect(self.sig_changed)
        for combo in (self.tag, self.city, self.region):
            combo.currentIndexChanged.connect(self.sig_changed)
        for spin in (self.age_from, self.age_to):
            spin.valueChanged.connect(self.sig_changed)

    def _choice(self, name: str, any_label: str) -> QComboBox:
        combo = QComboBox(self)
        combo.setObjectName(name)
        combo.addItem(any_label, "")
        combo.setMinimumContentsLength(14)
        return combo

    def _age(self, name: str) -> QSpinBox:
        spin = QSpinBox(self)
        spin.setObjectName(name)
        spin.setRange(ANY_AGE, 120)
        spin.setSpecialValueText(_("any"))
        spin.setMinimumWidth(72)
        return spin

    def set_choices(self, choices: AudienceChoices) -> None:
        for combo, values in (
            (self.tag, choices.tags),
            (self.city, choices.cities),
            (self.region, choices.regions),
        ):
            current = combo.currentData()
            combo.blockSignals(True)
            while combo.count() > 1:
                combo.removeItem(1)
            for value in values:
                combo.addItem(value, value)
            combo.setCurrentIndex(max(0, combo.findData(current)))
            combo.blockSignals(False)

    def filter_text(self) -> str:
        """The audience as the command line writes it (commas join terms, ``|`` joins alternatives)."""
        terms: list[str] = []
        if status := self.status.currentData():
            terms.append(f"status={status}")
        segments = [k for k, box in self.segments.items() if box.isChecked()]
        if segments and len(segments) < len(SEGMENTS):
            terms.append("segment=" + "|".join(segments))
        for key, combo in (("tag", self.tag), ("city", self.city), ("region", self.region)):
            value = str(combo.currentData() or "")
            if value and "," not in value and "|" not in value:
                terms.append(f"{key}={value}")
        low, high = self.age_from.value(), self.age_to.value()
        if low != ANY_AGE or high != ANY_AGE:
            terms.append(f"age={low if low != ANY_AGE else ''}-{high if high != ANY_AGE else 200}")
        if contact := self.last_contact.currentData():
            terms.append(str(contact))
        return ",".join(terms)
