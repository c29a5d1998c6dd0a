"""Create or edit a household and its members in one dialog; saved as one unit of work or not at all.

Every field is read and validated first (domain.validation); any message goes next to its field and nothing
is written. Only a fully valid form is sent to the repository, through the task runner.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from actdesk.domain.enums import ContactRole, HouseholdStatus
from actdesk.domain.models import Contact, Household, HouseholdDetail
from actdesk.domain.validation import contact_from_form, household_from_form, validate_members
from actdesk.i18n import _, user_message
from actdesk.storage.engine import Book
from actdesk.storage.errors import BookError, ConflictError, ValidationError
from actdesk.storage.repositories import households as repo
from actdesk.ui import icons, theme
from actdesk.ui.card.date_picker import add_date_picker
from actdesk.ui.card.member_form import MemberForm
from actdesk.ui.card.widgets_text import date_hint, date_text, number_style
from actdesk.ui.context import AppContext
from actdesk.ui.households.model import STATUS_LABELS
from actdesk.ui.topics import Topic
from actdesk.ui.widgets import FieldWithError


class HouseholdEditor(QDialog):
    sig_saved = Signal(int)

    def __init__(
        self, ctx: AppContext, detail: HouseholdDetail | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.base = detail.household if detail else Household(name="")
        self.setWindowTitle(_("Edit household") if detail else _("New household"))
        self.setModal(True)
        self.resize(860, 640)
        self.fields: dict[str, FieldWithError] = {}

        layout = QVBoxLayout(self)
        layout.setContentsMargins(theme.S6, theme.S4, theme.S6, theme.S4)
        layout.setSpacing(theme.S3)
        heading = QLabel(self.windowTitle(), self)
        heading.setObjectName("CardTitle")
        layout.addWidget(heading)

        form = QFormLayout()
        form.setVerticalSpacing(theme.S2)
        form.setHorizontalSpacing(theme.S3)
        name = QLineEdit(self)
        name.setObjectName("household_name")
        name.setPlaceholderText(_("e.g. Garcia family"))
        status = QComboBox(self)
        status.setObjectName("household_status")
        for value, label in STATUS_LABELS.items():
            status.addItem(_(label), value.value)
        since, until, reason = QLineEdit(self), QLineEdit(self), QLineEdit(self)
        since.setObjectName("household_client_since")
        until.setObjectName("household_client_until")
        reason.setObjectName("household_leaving_reason")
        since.setPlaceholderText(date_hint())
        until.setPlaceholderText(date_hint())
        add_date_picker(since)
        add_date_picker(until)
        reason.setPlaceholderText(_("e.g. moved to another advisor, passed away, fees"))
        for key, editor in (
            ("name", name),
            ("status", status),
            ("client_since", since),
            ("client_until", until),
            ("leaving_reason", reason),
        ):
            self.fields[key] = FieldWithError(editor, self)
        form.addRow(_("Household name"), self.fields["name"])
        form.addRow(_("Status"), self.fields["status"])
        dates = QHBoxLayout()
        dates.setSpacing(theme.S3)
        dates.addWidget(self.fields["client_since"])
        self.until_label = QLabel(_("Client until"), self)
        dates.addWidget(self.until_label)
        dates.addWidget(self.fields["client_until"])
        form.addRow(_("Client since"), dates)
        self.reason_label = QLabel(_("Leaving reason"), self)
        form.addRow(self.reason_label, self.fields["leaving_reason"])
        layout.addLayout(form)
        status.currentIndexChanged.connect(self._status_changed)

        members_head = QHBoxLayout()
        title = QLabel(_("Members"), self)
        title.setObjectName("SectionTitle")
        self.add_member_button = QPushButton(icons.icon("user-add"), _("Add member"), self)
        self.add_member_button.clicked.connect(lambda: self.add_member())
        members_head.addWidget(title)
        members_head.addStretch(1)
        members_head.addWidget(self.add_member_button)
        layout.addLayout(members_head)
        self.members_error = QLabel(self)
        self.members_error.setObjectName("FieldError")
        self.members_error.hide()
        layout.addWidget(self.members_error)
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        layout.addWidget(self.tabs, 1)

        self.form_error = QLabel(self)
        self.form_error.setObjectName("FieldError")
        self.form_error.setWordWrap(True)
        self.form_error.hide()
        layout.addWidget(self.form_error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(_("Save"))
        self.save_button.setDefault(True)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

        if detail:
            h = detail.household
            self.fields["name"].set_text(h.name)
            self.fields["status"].set_text(h.status.value)
            self.fields["client_since"].set_text(date_text(h.client_since))
            self.fields["client_until"].set_text(date_text(h.client_until))
            self.fields["leaving_reason"].set_text(h.leaving_reason or "")
            for contact in detail.contacts:
                self.add_member(contact)
            primary = next(
                (
                    m
                    for m, c in zip(self.members, detail.contacts, strict=True)
                    if c.role is ContactRole.PRIMARY
                ),
                self.members[0] if self.members else None,
            )
            if primary is not None:
                self.tabs.setCurrentWidget(primary)  # the primary member first, not the last one added
        else:
            self.fields["status"].set_text(HouseholdStatus.PROSPECT.value)
            self.add_member()
        self._status_changed()
        name.setFocus()

    # -- members ------------------------------------------------------------------------------------------
    @property
    def members(self) -> list[MemberForm]:
        return [self.tabs.widget(i) for i in range(self.tabs.count())]  # type: ignore[misc]

    def add_member(self, contact: Contact | None = None) -> MemberForm:
        member = MemberForm(contact, self)
        if contact is None:
            member.fields["role"].set_text(MemberForm.default_role(self.tabs.count()))
        member.sig_remove_requested.connect(self._remove_member)
        for key in ("first_name", "last_name"):
            member.fields[key].editor.textChanged.connect(lambda _t, m=member: self._retitle(m))  # type: ignore[union-attr]
        self.tabs.addTab(member, icons.icon("user"), member.title())
        self.tabs.setCurrentWidget(member)
        return member

    def _retitle(self, member: MemberForm) -> None:
        self.tabs.setTabText(self.tabs.indexOf(member), member.title())

    def _remove_member(self, member: MemberForm) -> None:
        self.tabs.removeTab(self.tabs.indexOf(member))
        member.deleteLater()

    def _status_changed(self) -> None:
        former = self.fields["status"].text() == HouseholdStatus.FORMER_CLIENT.value
        for widget in (
            self.fields["client_until"],
            self.until_label,
            self.fields["leaving_reason"],
            self.reason_label,
        ):
            widget.setVisible(former)

    # -- saving -------------------------------------------------------------------------------------------
    def collect(self) -> tuple[Household, list[Contact], bool]:
        """Read and validate every field; show each message at its field. Returns (household, members, ok)."""
        today = self.ctx.now().date()
        style = number_style()
        values = {key: f.text() for key, f in self.fields.items()}
        if values["status"] != HouseholdStatus.FORMER_CLIENT.value:
            values["client_until"] = ""
            values["leaving_reason"] = ""
        household, errors = household_from_form(values, self.base, today=today, style=style)
        for key, field in self.fields.items():
            field.set_error(errors.get(key))
        ok = not errors
        contacts: list[Contact] = []
        first_bad: MemberForm | None = None
        for member in self.members:
            contact, member_errors = contact_from_form(
                member.values(),
                household_id=self.base.id,
                contact_id=member.contact_id,
                today=today,
                style=style,
            )
            member.set_errors(member_errors)
            if member_errors:
                ok = False
                first_bad = first_bad or member
                self.tabs.setTabIcon(self.tabs.indexOf(member), icons.icon("alert", theme.colors().danger))
            else:
                self.tabs.setTabIcon(self.tabs.indexOf(member), icons.icon("user"))
            contacts.append(contact)
        members_problem = validate_members(contacts)
        self.members_error.setText(members_problem or "")
        self.members_error.setVisible(bool(members_problem))
        ok = ok and not members_problem
        if first_bad is not None and not errors:
            self.tabs.setCurrentWidget(first_bad)
        self.form_error.setVisible(not ok)
        self.form_error.setText(_("Nothing was saved. Correct the fields marked in red, then save again."))
        return household, contacts, ok

    def save(self) -> None:
        household, contacts, ok = self.collect()
        if not ok:
            return
        self.save_button.setEnabled(False)
        self.ctx.tasks.run_task(
            _save_household, self.ctx.book, household, contacts, on_done=self._saved, on_error=self._failed
        )

    def _saved(self, household_id: int) -> None:
        self.ctx.signals.household_saved.emit(household_id)
        self.ctx.signals.data_changed.emit(Topic.HOUSEHOLDS)
        self.sig_saved.emit(household_id)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.save_button.setEnabled(True)
        if isinstance(error, ValidationError):
            for key, message in error.errors:
                if key in self.fields:
                    self.fields[key].set_error(message)
            self.form_error.setText(
                _("Nothing was saved. Correct the fields marked in red, then save again.")
            )
            self.form_error.show()
            return
        if isinstance(error, ConflictError):
            text = _(
                "This household was changed elsewhere while you edited it. Nothing was saved; close this "
                "window and open the household again to see the latest version."
            )
        elif isinstance(error, BookError):
            text = _("Nothing was saved: {error}").format(error=user_message(error))
        else:
            raise error
        QMessageBox.warning(self, _("Not saved"), text)


def _save_household(_state: object, book: Book, household: Household, contacts: list[Contact]) -> int:
    with book.session() as s:
        if household.id is None:
            return repo.create_household(s, household, contacts)
        repo.update_household(s, household, contacts)
        return household.id
