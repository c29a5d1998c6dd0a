"""The look of actdesk in one place: Fusion, a light and a dark palette, one accent, a 4/8 px grid.

Charts read the constants at the bottom (colours, fonts) so that matplotlib figures match the window;
``chart_rc(dark)`` returns rcParams for a ``Figure`` without importing matplotlib here.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from actdesk.services.reports import style as chart_style

# Spacing grid (px). Layout margins and gaps use only these.
S1, S2, S3, S4, S6 = 4, 8, 12, 16, 24

ACCENT = chart_style.ACCENT  # one accent colour, used for selection, primary buttons and the active rail item
ACCENT_DARK = "#60A5FA"
DANGER = "#DC2626"
DANGER_DARK = "#F87171"
SUCCESS = "#15803D"
WARNING = "#B45309"

FONT_FAMILY = "Inter, Segoe UI, SF Pro Text, Helvetica Neue, DejaVu Sans, Arial, sans-serif"
FONT_SIZE = 10  # points; headings derive from it
TITLE_SIZE = 16
SUBTITLE_SIZE = 12


@dataclass(frozen=True)
class Colors:
    window: str
    surface: str  # cards, lists
    surface_alt: str  # alternate rows, rail
    border: str
    text: str
    muted: str
    accent: str
    accent_text: str
    danger: str
    selection_text: str


LIGHT = Colors(
    window="#F4F5F7",
    surface="#FFFFFF",
    surface_alt="#F8F9FB",
    border="#DDE1E6",
    text="#1F2937",
    muted="#6B7280",
    accent=ACCENT,
    accent_text="#FFFFFF",
    danger=DANGER,
    selection_text="#FFFFFF",
)
DARK = Colors(
    window="#17191D",
    surface="#1F2226",
    surface_alt="#25292E",
    border="#363B42",
    text="#E5E7EB",
    muted="#9CA3AF",
    accent=ACCENT_DARK,
    accent_text="#0B1220",
    danger=DANGER_DARK,
    selection_text="#0B1220",
)

_current: Colors = LIGHT


def colors() -> Colors:
    """The palette in use (icons and painted widgets read it)."""
    return _current


def is_dark() -> bool:
    return _current is DARK


def system_prefers_dark() -> bool:
    hints = QGuiApplication.styleHints()
    return hints.colorScheme() == Qt.ColorScheme.Dark


def apply_theme(app: QApplication, mode: str = "system") -> Colors:
    """Fusion with our palette; ``mode`` is "system", "light" or "dark" (from settings)."""
    global _current
    dark = system_prefers_dark() if mode == "system" else mode == "dark"
    _current = DARK if dark else LIGHT
    app.setStyle("Fusion")
    font = QFont()
    font.setFamilies([f.strip() for f in FONT_FAMILY.split(",")[:-1]])
    font.setPointSize(FONT_SIZE)
    app.setFont(font)
    app.setPalette(build_palette(_current))
    app.setStyleSheet(stylesheet(_current))
    return _current


def build_palette(c: Colors) -> QPalette:
    p = QPalette()
    role = QPalette.ColorRole
    p.setColor(role.Window, QColor(c.window))
    p.setColor(role.WindowText, QColor(c.text))
    p.setColor(role.Base, QColor(c.surface))
    p.setColor(role.AlternateBase, QColor(c.surface_alt))
    p.setColor(role.ToolTipBase, QColor(c.surface))
    p.setColor(role.ToolTipText, QColor(c.text))
    p.setColor(role.PlaceholderText, QColor(c.muted))
    p.setColor(role.Text, QColor(c.text))
    p.setColor(role.Button, QColor(c.surface))
    p.setColor(role.ButtonText, QColor(c.text))
    p.setColor(role.BrightText, QColor(c.danger))
    p.setColor(role.Highlight, QColor(c.accent))
    p.setColor(role.HighlightedText, QColor(c.selection_text))
    p.setColor(role.Link, QColor(c.accent))
    p.setColor(role.Mid, QColor(c.border))
    p.setColor(role.Midlight, QColor(c.surface_alt))
    p.setColor(role.Dark, QColor(c.border))
    for group_role in (role.Text, role.WindowText, role.ButtonText):
        p.setColor(QPalette.ColorGroup.Disabled, group_role, QColor(c.muted))
    return p


def stylesheet(c: Colors) -> str:
    """Object names used: Rail, RailButton, Card, CardTitle, SectionTitle, Muted, FieldError, Primary, Danger."""
    return f"""
QWidget#Rail {{ background: {c.surface_alt}; border-right: 1px solid {c.border}; }}
QToolButton#RailButton {{
    border: none; border-radius: 8px; padding: {S2}px 2px;
    color: {c.muted}; font-size: 9pt;
}}
QToolButton#RailButton:hover {{ background: {c.border}; color: {c.text}; }}
QToolButton#RailButton:checked {{ background: {c.accent}; color: {c.accent_text}; }}
QFrame#Card {{ background: {c.surface}; border: 1px solid {c.border}; border-radius: 8px; }}
QLabel#CardTitle {{ font-size: {TITLE_SIZE}pt; font-weight: 600; }}
QLabel#TileValue {{ font-size: 14pt; font-weight: 600; }}
QLabel#SectionTitle {{ font-size: {SUBTITLE_SIZE}pt; font-weight: 600; padding-top: {S2}px; }}
QLabel#Muted {{ color: {c.muted}; }}
QLabel#FieldError {{ color: {c.danger}; font-size: 9pt; }}
QLabel#Chip {{
    border-radius: 10px; padding: 2px {S2}px; font-size: 9pt; font-weight: 600;
    background: {c.surface_alt}; border: 1px solid {c.border};
}}
QLineEdit, QComboBox, QPlainTextEdit, QDateEdit {{
    border: 1px solid {c.border}; border-radius: 6px; padding: 5px {S2}px; background: {c.surface};
    selection-background-color: {c.accent};
}}
QComboBox::drop-down {{ border: none; width: 24px; }}
QComboBox::down-arrow {{ image: url("{chevron_file(c.muted)}"); width: 14px; height: 14px; }}
QLineEdit:focus, QComboBox:focus, QPlainTextEdit:focus {{ border: 1px solid {c.accent}; }}
QLineEdit[invalid="true"], QComboBox[invalid="true"], QPlainTextEdit[invalid="true"] {{
    border: 1px solid {c.danger};
}}
QPushButton {{
    border: 1px solid {c.border}; border-radius: 6px; padding: 6px {S4}px; background: {c.surface};
}}
QPushButton:hover {{ border-color: {c.accent}; }}
QPushButton:default, QPushButton#Primary {{
    background: {c.accent}; color: {c.accent_text}; border-color: {c.accent};
}}
QPushButton#Primary {{ font-weight: 600; }}
QPushButton#Danger {{ color: {c.danger}; }}
QTableView, QListView {{
    background: {c.surface}; border: 1px solid {c.border}; border-radius: 8px;
    alternate-background-color: {c.surface_alt}; gridline-color: transparent;
    selection-background-color: {c.accent}; selection-color: {c.selection_text};
}}
QTableView::item {{ padding: 0px {S2}px; }}
QHeaderView::section {{
    background: {c.surface}; color: {c.muted}; border: none; border-bottom: 1px solid {c.border};
    padding: {S1 + 2}px {S2}px; font-weight: 600;
}}
QSplitter::handle {{ background: {c.window}; }}
QScrollArea {{ border: none; background: transparent; }}
QStatusBar {{ color: {c.muted}; }}
QTabWidget::pane {{ border: 1px solid {c.border}; border-radius: 8px; top: -1px; }}
QTabBar::tab {{ padding: 6px {S3}px; border: none; color: {c.muted}; }}
QTabBar::tab:selected {{ color: {c.text}; border-bottom: 2px solid {c.accent}; }}
"""


_CHEVRON = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="24" height="24" viewBox="0 0 24 24" fill="none" '
    'stroke="{color}" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"><path d="m6 9 6 6 6-6"/></svg>'
)


def chevron_file(color: str) -> str:
    """Style sheets need a file for the combo box arrow: a tinted chevron written once to the temp folder."""
    path = Path(tempfile.gettempdir()) / f"actdesk-chevron-{color.lstrip('#').lower()}.svg"
    if not path.exists():
        path.write_text(_CHEVRON.format(color=color), encoding="utf-8")
    return path.as_posix()


def status_color(status: str) -> str:
    """Chip colours of household statuses (text colour; readable on both palettes)."""
    return {"client": SUCCESS if not is_dark() else "#4ADE80", "prospect": _current.accent}.get(
        status, _current.muted
    )


# --- Shared chart style (read by ui/charts and every matplotlib figure) --------------------------------
# One source for the window's charts and the PDF exports: the Qt-free style module of the reports.
CHART_COLORS = chart_style.CHART_COLORS
CHART_TICK_SIZE = chart_style.TICK_SIZE


def chart_rc(dark: bool | None = None) -> dict[str, object]:
    """rcParams for ``matplotlib.rc_context``: the one chart style (services/reports/style.py) in the
    window's palette (the current theme unless ``dark`` is given)."""
    c = (DARK if dark else LIGHT) if dark is not None else _current
    return dict(chart_style.chart_rc(colors=c))
