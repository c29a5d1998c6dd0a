"""The building blocks of every Preferences tab: a page with a form, section headings, bounded number fields.

Number fields are spin boxes with a range, so an impossible value cannot even be typed; text fields are
``FieldWithError`` and say what is wrong right under the field when the page is validated.
"""

from __future__ import annotations

from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from actdesk.settings import Settings
from actdesk.ui import theme
from actdesk.ui.context import AppContext

FIELD_WIDTH = 320


class Page(QWidget):
    """One tab: reads its settings when built, checks them with ``validate()``, writes them with ``apply()``."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *, scroll: bool = True) -> None:
        super().__init__(parent)
        self.ctx = ctx
        body = QWidget(self)
        self.body_layout = QVBoxLayout(body)
        self.body_layout.setContentsMargins(theme.S6, theme.S4, theme.S6, theme.S4)
        self.body_layout.setSpacing(theme.S2)
        self.form = self.new_form()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        if scroll:
            area = QScrollArea(self)
            area.setWidgetResizable(True)
            area.setFrameShape(QScrollArea.Shape.NoFrame)
            area.setWidget(body)
            outer.addWidget(area)
        else:
            outer.addWidget(body)

    @property
    def settings(self) -> Settings:
        return self.ctx.settings

    def new_form(self) -> QFormLayout:
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        form.setHorizontalSpacing(theme.S4)
        form.setVerticalSpacing(theme.S2)
        self.body_layout.addLayout(form)
        return form

    def section(self, title: str, note: str | None = None) -> QFormLayout:
        """A heading (and an optional sentence) spanning the page's one form, so labels line up across sections."""
        if self.form.rowCount():
            gap = QWidget(self)
            gap.setFixedHeight(theme.S3)
            self.form.addRow(gap)
        heading = QLabel(title, self)
        heading.setObjectName("SectionTitle")
        self.form.addRow(heading)
        if note:
            self.form.addRow(muted(note, self))
        return self.form

    def finish(self) -> None:
        self.body_layout.addStretch(1)

    def validate(self) -> bool:
        """Mark each wrong field; True when the page can be saved."""
        return True

    def apply(self) -> None:
        """Write this page's values into ``ctx.settings`` (the dialog saves the file once)."""


class WrappedLabel(QLabel):
    """A wrapping label of a fixed width that asks the form for the height its text needs."""

    def __init__(self, width: int, parent: QWidget | None = None, *, muted: bool = False) -> None:
        super().__init__(parent)
        if muted:
            self.setObjectName("Muted")
        self.setWordWrap(True)
        self.setFixedWidth(width)

    def setText(self, text: str) -> None:
        super().setText(text)
        self.setMinimumHeight(self.heightForWidth(self.width()))


def muted(text: str, parent: QWidget | None = None) -> QLabel:
    label = QLabel(text, parent)
    label.setObjectName("Muted")
    label.setWordWrap(True)
    return label


def spin(
    parent: QWidget, minimum: int, maximum: int, value: int, suffix: str = "", name: str = ""
) -> QSpinBox:
    box = QSpinBox(parent)
    box.setRange(minimum, maximum)
    box.setValue(min(max(int(value), minimum), maximum))
    box.setGroupSeparatorShown(True)
    box.setAlignment(Qt.AlignmentFlag.AlignRight)
    box.setMinimumWidth(140)
    if suffix:
        box.setSuffix(" " + suffix)
    if name:
        box.setObjectName(name)
    return box


def money_spin(parent: QWidget, minimum: int, maximum: int, value: int, name: str = "") -> QSpinBox:
    """Whole currency units with the locale's grouping and symbol ("$1,000,000", "1.000.000 US$")."""
    from actdesk.formats import money_affixes

    box = spin(parent, minimum, maximum, value, name=name)
    box.setLocale(QLocale())
    prefix, suffix = money_affixes()
    box.setPrefix(prefix)
    box.setSuffix(suffix)
    return box


def percent(parent: QWidget, fraction: float, minimum: float = 1.0, name: str = "") -> QDoubleSpinBox:
    """A share (0.15) edited as a percentage (15 %); 0 and above 100 cannot be entered."""
    box = QDoubleSpinBox(parent)
    box.setRange(minimum, 100.0)
    box.setDecimals(0)
    box.setSingleStep(1.0)
    box.setValue(min(max(float(fraction) * 100.0, minimum), 100.0))
    box.setSuffix(" %")
    box.setAlignment(Qt.AlignmentFlag.AlignRight)
    box.setMinimumWidth(140)
    if name:
        box.setObjectName(name)
    return box


def fraction(box: QDoubleSpinBox) -> float:
    return round(box.value() / 100.0, 4)
