"""Column layouts of the CRMs and mail programs advisors move from, and the user's own saved mappings.

A preset names, for each contact field, the headers that may hold it (the first non-empty one wins), and
groups of address headers that belong together (Outlook's home address is used whole before its business
address, never mixed). The same layout is used to export contacts back in that program's shape.
The header names follow the programs' exports as of 2025; a user mapping covers anything else.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from actdesk.i18n import N_, _
from actdesk.services.importers.errors import ImportFileError
from actdesk.services.importers.records import CONTACT_FIELDS

ADDRESS_PARTS = ("address", "address2", "city", "region", "postal_code", "country")
MAPPABLE = (*CONTACT_FIELDS, "address2", "full_name", "household", "status", "role")
# What ``--preset`` accepts: every preset, "auto" (detect from the headers) and "vcard".
PRESET_CHOICES = ("auto", "redtail", "wealthbox", "google", "google-legacy", "outlook", "salesforce", "vcard")
# An address part may be found under several headers (Outlook 2003 "Home Country", later "Home Country/Region").
AddressGroup = dict[str, str | tuple[str, ...]]


@dataclass(frozen=True)
class Preset:
    key: str
    label: str  # translated when shown
    columns: dict[str, tuple[str, ...]]
    address_groups: tuple[AddressGroup, ...] = ()
    signature: tuple[str, ...] = ()
    date_order: str = "mdy"
    export_layout: tuple[tuple[str, str], ...] = ()  # (header, field or "=constant")


def _layout(*pairs: tuple[str, str]) -> tuple[tuple[str, str], ...]:
    return pairs


REDTAIL = Preset(
    key="redtail",
    label=N_("Redtail CRM"),
    columns={
        "first_name": ("First Name",),
        "last_name": ("Last Name",),
        "full_name": ("Name",),
        "email": ("Email Address", "Email"),
        "phone": ("Mobile Phone", "Home Phone", "Work Phone"),
        "birth_date": ("Date of Birth",),
        "occupation": ("Occupation",),
        "household": ("Family Name",),
        "status": ("Status",),
        "role": ("Family Role", "Relationship", "Family Head"),
    },
    address_groups=(
        {
            "address": "Address Line 1",
            "address2": "Address Line 2",
            "city": "City",
            "region": "State",
            "postal_code": "Zip",
            "country": "Country",
        },
    ),
    signature=("Contact ID", "Family Name", "Family Head", "Salutation", "Date of Birth", "Address Line 1"),
    export_layout=_layout(
        ("Contact ID", ""),
        ("Type", "=Individual"),
        ("Salutation", ""),
        ("First Name", "first_name"),
        ("Middle Name", ""),
        ("Last Name", "last_name"),
        ("Date of Birth", "birth_date"),
        ("Status", ""),
        ("Family Name", "household"),
        ("Family Head", ""),
        ("Email Address", "email"),
        ("Home Phone", ""),
        ("Mobile Phone", "phone"),
        ("Work Phone", ""),
        ("Address Line 1", "address"),
        ("Address Line 2", ""),
        ("City", "city"),
        ("State", "region"),
        ("Zip", "postal_code"),
        ("Country", "country"),
        ("Occupation", "occupation"),
        ("Employer", ""),
    ),
)

WEALTHBOX = Preset(
    key="wealthbox",
    label=N_("Wealthbox"),
    columns={
        "first_name": ("First Name",),
        "last_name": ("Last Name",),
        "email": ("Email Address",),
        "phone": ("Phone Number",),
        "birth_date": ("Birth Date",),
        "occupation": ("Job Title",),
        "household": ("Household",),
        "status": ("Contact Type", "Status"),
        "role": ("Household Title",),
    },
    address_groups=(
        {
            "address": "Street Line 1",
            "address2": "Street Line 2",
            "city": "City",
            "region": "State",
            "postal_code": "ZIP Code",
            "country": "Country",
        },
    ),
    signature=("Household Title", "Street Line 1", "ZIP Code", "Email Type", "Contact Type", "Phone Type"),
    export_layout=_layout(
        ("ID", ""),
        ("Type", "=Person"),
        ("Prefix", ""),
        ("First Name", "first_name"),
        ("Middle Name", ""),
        ("Last Name", "last_name"),
        ("Suffix", ""),
        ("Job Title", "occupation"),
        ("Company", ""),
        ("Household", "household"),
        ("Household Title", ""),
        ("Birth Date", "birth_date"),
        ("Email Address", "email"),
        ("Email Type", "=Home"),
        ("Phone Number", "phone"),
        ("Phone Type", "=Mobile"),
        ("Street Line 1", "address"),
        ("Street Line 2", ""),
        ("City", "city"),
        ("State", "region"),
        ("ZIP Code", "postal_code"),
        ("Country", "country"),
        ("Contact Type", "=Client"),
        ("Tags", ""),
    ),
)

_GOOGLE_ADDRESS: AddressGroup = {
    "address": "Address 1 - Street",
    "address2": "Address 1 - Extended Address",
    "city": "Address 1 - City",
    "region": "Address 1 - Region",
    "postal_code": "Address 1 - Postal Code",
    "country": "Address 1 - Country",
}

GOOGLE = Preset(
    key="google",
    label=N_("Google Contacts"),
    columns={
        "first_name": ("First Name",),
        "last_name": ("Last Name",),
        "email": ("E-mail 1 - Value", "E-mail 2 - Value"),
        "phone": ("Phone 1 - Value", "Phone 2 - Value"),
        "birth_date": ("Birthday",),
        "occupation": ("Organization Title",),
    },
    address_groups=(_GOOGLE_ADDRESS,),
    signature=("E-mail 1 - Label", "Phone 1 - Label", "Address 1 - Label", "Organization Name", "Labels"),
    date_order="ymd",
    export_layout=_layout(
        ("First Name", "first_name"),
        ("Middle Name", ""),
        ("Last Name", "last_name"),
        ("Name Prefix", ""),
        ("Name Suffix", ""),
        ("Nickname", ""),
        ("Organization Name", ""),
        ("Organization Title", "occupation"),
        ("Birthday", "birth_date"),
        ("Notes", ""),
        ("Labels", "=* myContacts"),
        ("E-mail 1 - Label", "=* Home"),
        ("E-mail 1 - Value", "email"),
        ("Phone 1 - Label", "=Mobile"),
        ("Phone 1 - Value", "phone"),
        ("Address 1 - Label", "=Home"),
        ("Address 1 - Street", "address"),
        ("Address 1 - City", "city"),
        ("Address 1 - Region", "region"),
        ("Address 1 - Postal Code", "postal_code"),
        ("Address 1 - Country", "country"),
    ),
)

GOOGLE_LEGACY = Preset(
    key="google-legacy",
    label=N_("Google Contacts (older export)"),
    columns={
        "first_name": ("Given Name",),
        "last_name": ("Family Name",),
        "full_name": ("Name",),
        "email": ("E-mail 1 - Value", "E-mail 2 - Value"),
        "phone": ("Phone 1 - Value", "Phone 2 - Value"),
        "birth_date": ("Birthday",),
        "occupation": ("Organization 1 - Title", "Occupation"),
    },
    address_groups=(_GOOGLE_ADDRESS,),
    signature=("Given Name", "Family Name", "Additional Name", "Group Membership", "E-mail 1 - Type"),
    date_order="ymd",
    export_layout=_layout(
        ("Name", "=full_name"),
        ("Given Name", "first_name"),
        ("Additional Name", ""),
        ("Family Name", "last_name"),
        ("Birthday", "birth_date"),
        ("Occupation", ""),
        ("Notes", ""),
        ("Group Membership", "=* myContacts"),
        ("E-mail 1 - Type", "=* Home"),
        ("E-mail 1 - Value", "email"),
        ("Phone 1 - Type", "=Mobile"),
        ("Phone 1 - Value", "phone"),
        ("Address 1 - Type", "=Home"),
        ("Address 1 - Street", "address"),
        ("Address 1 - City", "city"),
        ("Address 1 - Region", "region"),
        ("Address 1 - Postal Code", "postal_code"),
        ("Address 1 - Country", "country"),
        ("Organization 1 - Type", ""),
        ("Organization 1 - Name", ""),
        ("Organization 1 - Title", "occupation"),
    ),
)


def _outlook_group(prefix: str) -> AddressGroup:
    return {
        "address": f"{prefix} Street",
        "address2": f"{prefix} Street 2",
        "city": f"{prefix} City",
        "region": f"{prefix} State",
        "postal_code": f"{prefix} Postal Code",
        # Outlook 2007 on: "Country/Region"; Outlook 2003 and Google's "Outlook CSV": "Country".
        "country": (f"{prefix} Country/Region", f"{prefix} Country"),
    }


OUTLOOK = Preset(
    key="outlook",
    label=N_("Microsoft Outlook"),
    columns={
        "first_name": ("First Name",),
        "last_name": ("Last Name",),
        "email": ("E-mail Address", "E-mail 2 Address", "E-mail 3 Address"),
        "phone": ("Mobile Phone", "Home Phone", "Primary Phone", "Business Phone"),
        "birth_date": ("Birthday",),
        "occupation": ("Job Title",),
    },
    address_groups=(_outlook_group("Home"), _outlook_group("Business"), _outlook_group("Other")),
    signature=(
        "E-mail Address",
        "E-mail Display Name",
        "Home Street",
        "Business Street",
        "Home Country/Region",
        "Home Country",
        "Business Country",
    ),
    export_layout=_layout(
        ("Title", ""),
        ("First Name", "first_name"),
        ("Middle Name", ""),
        ("Last Name", "last_name"),
        ("Suffix", ""),
        ("Company", ""),
        ("Job Title", "occupation"),
        ("Home Street", "address"),
        ("Home City", "city"),
        ("Home State", "region"),
        ("Home Postal Code", "postal_code"),
        ("Home Country/Region", "country"),
        ("Mobile Phone", "phone"),
        ("Birthday", "birth_date"),
        ("E-mail Address", "email"),
        ("E-mail Type", "=SMTP"),
        ("E-mail Display Name", "=full_name"),
        ("Notes", ""),
    ),
)


def _salesforce_group(prefix: str) -> AddressGroup:
    """API names ("MailingStreet", data loader and Workbench) and report labels ("Mailing Street")."""
    return {
        "address": (f"{prefix}Street", f"{prefix} Street"),
        "city": (f"{prefix}City", f"{prefix} City"),
        "region": (f"{prefix}State", f"{prefix} State/Province", f"{prefix} State"),
        "postal_code": (f"{prefix}PostalCode", f"{prefix} Zip/Postal Code", f"{prefix} Postal Code"),
        "country": (f"{prefix}Country", f"{prefix} Country"),
    }


SALESFORCE = Preset(
    key="salesforce",
    label=N_("Salesforce"),
    columns={
        "first_name": ("FirstName", "First Name"),
        "last_name": ("LastName", "Last Name"),
        "full_name": ("Name", "Full Name", "Contact Name"),
        "email": ("Email",),
        "phone": ("MobilePhone", "Mobile", "Mobile Phone", "Phone", "HomePhone", "Home Phone"),
        "birth_date": ("Birthdate",),
        "occupation": ("Title",),
        "household": ("Account.Name", "Account Name"),
    },
    address_groups=(_salesforce_group("Mailing"), _salesforce_group("Other")),
    signature=(
        "MailingStreet",
        "MobilePhone",
        "AccountId",
        "OwnerId",
        "Birthdate",
        "Mailing Street",
        "Mailing Zip/Postal Code",
        "Mailing State/Province",
        "Contact Owner",
        "Account Name",
        "Lead Source",
        "LeadSource",
    ),
    export_layout=_layout(
        ("FirstName", "first_name"),
        ("LastName", "last_name"),
        ("Email", "email"),
        ("MobilePhone", "phone"),
        ("Birthdate", "birth_date"),
        ("Title", "occupation"),
        ("MailingStreet", "address"),
        ("MailingCity", "city"),
        ("MailingState", "region"),
        ("MailingPostalCode", "postal_code"),
        ("MailingCountry", "country"),
    ),
)

PRESETS: dict[str, Preset] = {
    p.key: p for p in (REDTAIL, WEALTHBOX, GOOGLE, GOOGLE_LEGACY, OUTLOOK, SALESFORCE)
}

# Headers people use in hand-made spreadsheets, for files that match no preset.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "first_name": ("first name", "firstname", "first", "given name", "forename", "nombre"),
    "last_name": ("last name", "lastname", "last", "surname", "family name", "apellido", "apellidos"),
    "full_name": ("name", "full name", "contact name", "display name"),
    "email": ("email", "e-mail", "email address", "e-mail address", "mail", "correo"),
    "phone": (
        "phone",
        "mobile",
        "cell",
        "phone number",
        "telephone",
        "mobile phone",
        "home phone",
        "teléfono",
    ),
    "birth_date": ("birth date", "birthdate", "birthday", "date of birth", "dob", "fecha de nacimiento"),
    "occupation": ("occupation", "job title", "title", "profession"),
    "address": ("address", "street", "street address", "address line 1", "address 1", "dirección"),
    "address2": ("address line 2", "address 2", "street 2"),
    "city": ("city", "town", "ciudad"),
    "region": ("state", "province", "region", "county"),
    "postal_code": ("zip", "zip code", "postal code", "postcode", "código postal"),
    "country": ("country", "country/region", "país"),
    "household": ("household", "family", "family name", "household name"),
    "status": ("status", "contact type", "client status"),
    "role": ("household title", "family role", "household role", "relationship"),
}


@dataclass(frozen=True)
class UserMapping:
    """A mapping the user made: contact field -> header in their file. Saved by name in settings."""

    name: str
    columns: dict[str, str] = field(default_factory=dict)
    date_order: str = "mdy"

    def to_preset(self) -> Preset:
        unknown = sorted(set(self.columns) - set(MAPPABLE))
        if unknown:
            raise ImportFileError(
                _("mapping {name!r} names unknown fields: {items} (known: {known})").format(
                    name=self.name, items=", ".join(unknown), known=", ".join(MAPPABLE)
                )
            )
        if self.date_order not in ("mdy", "dmy", "ymd"):
            raise ImportFileError(
                _("mapping {name!r}: date order must be mdy, dmy or ymd").format(name=self.name)
            )
        address: AddressGroup = {k: v for k, v in self.columns.items() if k in ADDRESS_PARTS}
        columns: dict[str, tuple[str, ...]] = {
            k: (v,) for k, v in self.columns.items() if k not in ADDRESS_PARTS
        }
        return Preset(
            key=f"mapping:{self.name}",
            label=self.name,
            columns=columns,
            address_groups=(address,) if address else (),
            date_order=self.date_order,
        )


def _scores(headers: tuple[str, ...] | list[str]) -> list[tuple[int, Preset]]:
    present = {h.strip().casefold() for h in headers}
    return sorted(
        ((sum(s.casefold() in present for s in p.signature), p) for p in PRESETS.values()),
        key=lambda pair: pair[0],
        reverse=True,
    )


def detect(headers: tuple[str, ...] | list[str]) -> Preset:
    """The preset whose signature headers the file has most of; else a mapping built from common names."""
    scored = _scores(headers)
    if scored and scored[0][0] >= 2:
        return scored[0][1]
    return guess_mapping(headers)


def check_forced(preset: Preset, headers: tuple[str, ...] | list[str]) -> None:
    """Refuse a preset the user forced on a file that is plainly another program's export (Redtail on a
    Google file turns every surname into a household), naming the likely format."""
    if preset.key not in PRESETS:
        return
    scored = _scores(headers)
    own = next(score for score, p in scored if p.key == preset.key)
    best_score, best = scored[0]
    if best.key != preset.key and best_score >= 2 and own < best_score:
        raise ImportFileError(
            _(
                "this file looks like a {likely} export (it has {headers}), not {forced}; "
                "use --preset {key} or --preset auto"
            ).format(
                likely=_(best.label),
                headers=", ".join(
                    h for h in best.signature if h.casefold() in {x.casefold() for x in headers}
                )[:200],
                forced=_(preset.label),
                key=best.key,
            )
        )


def guess_mapping(headers: tuple[str, ...] | list[str]) -> Preset:
    by_name = {h.strip().casefold(): h for h in headers}
    columns: dict[str, str] = {}
    for name, synonyms in SYNONYMS.items():
        for synonym in synonyms:
            if synonym in by_name and by_name[synonym] not in columns.values():
                columns[name] = by_name[synonym]
                break
    if not ({"first_name", "last_name", "full_name"} & set(columns)):
        raise ImportFileError(
            _(
                "the columns were not recognised (no first name, last name or name column); "
                "choose a preset or make a mapping for this file"
            )
        )
    preset = UserMapping(name="auto", columns=columns).to_preset()
    return Preset(
        key="auto",
        label=N_("Columns recognised by name"),
        columns=preset.columns,
        address_groups=preset.address_groups,
    )


def preset_by_key(key: str) -> Preset:
    try:
        return PRESETS[key]
    except KeyError:
        raise ImportFileError(
            _("unknown preset {key!r}; choose one of {items}, vcard or auto").format(
                key=key, items=", ".join(PRESETS)
            )
        ) from None
