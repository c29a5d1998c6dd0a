"""General: language, region and currency for formatting, the practice and the advisor, the theme."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.numbers import format_currency, list_currencies
from PySide6.QtCore import QRegularExpression
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QApplication, QComboBox, QCompleter, QLineEdit, QWidget

from actdesk import i18n
from actdesk.i18n import N_, _
from actdesk.ui import theme
from actdesk.ui.context import AppContext
from actdesk.ui.widgets import FieldWithError

from .form import FIELD_WIDTH, Page, muted

REGIONS = (
    "en_US", "en_CA", "en_GB", "en_AU", "es_US", "es_MX", "es_ES", "es_AR", "es_CL", "es_CO", "es_PE", "es_PR",
)  # fmt: skip
COMMON_CURRENCIES = ("USD", "EUR", "GBP", "CAD", "MXN", "AUD", "CHF", "ARS", "CLP", "COP", "PEN")
THEMES = (("system", N_("Follow the system")), ("light", N_("Light")), ("dark", N_("Dark")))
SAMPLE_AMOUNT = Decimal("1234567.89")
MAX_NAME = 120


class GeneralPage(Page):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        general = ctx.settings.general
        self.initial_language = general.language
        form = self.section(_("Language and region"))
        self.language = QComboBox(self)
        self.language.setObjectName("language")
        for code, name in i18n.LANGUAGES.items():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(0, self.language.findData(general.language)))
        self.language.setMinimumWidth(FIELD_WIDTH)
        form.addRow(_("Language"), self.language)
        self.restart_note = muted(_("The new language applies the next time actdesk starts."), self)
        self.restart_note.setVisible(False)
        form.addRow("", self.restart_note)
        self.language.currentIndexChanged.connect(self._language_changed)

        self.region = QComboBox(self)
        self.region.setObjectName("region")
        self.region.setMinimumWidth(FIELD_WIDTH)
        self.region.addItem(_("The language's usual format"), "")
        for code in REGIONS:
            self.region.addItem(region_name(code), code)
        self.region.setCurrentIndex(max(0, self.region.findData(general.locale or "")))
        form.addRow(_("Formats"), self.region)

        self.currency = FieldWithError(QLineEdit(general.currency, self), self)
        editor = self.currency.editor
        assert isinstance(editor, QLineEdit)
        editor.setObjectName("currency")
        editor.setMaxLength(3)
        editor.setValidator(QRegularExpressionValidator(QRegularExpression("[A-Za-z]{0,3}"), editor))
        editor.setCompleter(QCompleter(list(COMMON_CURRENCIES), editor))
        editor.setFixedWidth(96)
        form.addRow(_("Currency"), self.currency)
        self.sample = muted("", self)
        self.sample.setWordWrap(False)
        form.addRow(_("Example"), self.sample)
        for signal in (self.region.currentIndexChanged, self.language.currentIndexChanged):
            signal.connect(self._update_sample)
        editor.textChanged.connect(self._update_sample)

        form = self.section(_("Your practice"), _("Shown in the window title and on reports and letters."))
        self.practice = FieldWithError(QLineEdit(general.practice(), self), self)
        self.practice.editor.setObjectName("practice_name")
        self.practice.setMinimumWidth(FIELD_WIDTH)
        form.addRow(_("Practice name"), self.practice)
        self.advisor = FieldWithError(QLineEdit(general.advisor_name, self), self)
        self.advisor.editor.setObjectName("advisor_name")
        self.advisor.setMinimumWidth(FIELD_WIDTH)
        self.advisor.editor.setPlaceholderText(_("e.g. Pat Rivera, CFP®"))  # type: ignore[union-attr]
        form.addRow(_("Advisor name"), self.advisor)

        form = self.section(_("Appearance"))
        self.theme = QComboBox(self)
        self.theme.setObjectName("theme")
        self.theme.setMinimumWidth(FIELD_WIDTH)
        for key, label in THEMES:
            self.theme.addItem(_(label), key)
        self.theme.setCurrentIndex(max(0, self.theme.findData(general.theme)))
        form.addRow(_("Theme"), self.theme)
        self.finish()
        self._update_sample()

    def _language_changed(self) -> None:
        self.restart_note.setVisible(self.language.currentData() != self.initial_language)

    def locale_code(self) -> str:
        return str(self.region.currentData() or i18n.DEFAULT_LOCALES[str(self.language.currentData())])

    def _update_sample(self) -> None:
        code = self.currency.text().upper()
        locale = self.locale_code()
        if code not in list_currencies():
            self.sample.setText("—")
            return
        self.sample.setText(
            format_currency(SAMPLE_AMOUNT, code, locale=locale)
            + "   ·   "
            + format_date(date(2026, 3, 31), "medium", locale=locale)
        )

    def validate(self) -> bool:
        for field in (self.currency, self.practice, self.advisor):
            field.clear_error()
        ok = True
        code = self.currency.text().strip().upper()
        if code not in list_currencies():
            self.currency.set_error(_("Enter a three-letter currency code such as USD or EUR."))
            ok = False
        practice = self.practice.text().strip()
        if not practice:
            self.practice.set_error(_("The practice needs a name; it appears on every report."))
            ok = False
        elif len(practice) > MAX_NAME:
            self.practice.set_error(_("Keep it under {n} characters.").format(n=MAX_NAME))
            ok = False
        if len(self.advisor.text().strip()) > MAX_NAME:
            self.advisor.set_error(_("Keep it under {n} characters.").format(n=MAX_NAME))
            ok = False
        return ok

    def apply(self) -> None:
        general = self.ctx.settings.general
        general.language = str(self.language.currentData())
        general.locale = str(self.region.currentData()) or None
        general.currency = self.currency.text().strip().upper()
        general.practice_name = self.practice.text().strip()
        general.advisor_name = self.advisor.text().strip()
        theme_changed = general.theme != self.theme.currentData()
        general.theme = str(self.theme.currentData())
        if general.language == i18n.current_language():
            # Formats and currency change at once; the language itself on the next start.
            i18n.set_language(general.language, general.locale, general.currency)
        app = QApplication.instance()
        if theme_changed and isinstance(app, QApplication):
            theme.apply_theme(app, general.theme)
        window = self.window().parentWidget()
        if window is not None and window.isWindow():
            window.setWindowTitle(_("actdesk — {practice}").format(practice=general.practice()))


def region_name(code: str) -> str:
    try:
        return str(Locale.parse(code).get_display_name(i18n.current_locale()) or code)
    except (UnknownLocaleError, ValueError):
        return code
