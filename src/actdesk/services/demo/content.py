"""The words of the demo book in each locale: places, firms, reasons, subjects and notes.

Demo data is content, not interface text: it follows the chosen Faker locale (en_US or es_ES), not the
application's language, exactly like names and addresses do.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Place:
    city: str
    region: str
    postal_prefix: str


@dataclass(frozen=True)
class Content:
    country: str
    timezone: str
    area_codes: tuple[str, ...]
    home_places: tuple[Place, ...]  # the advisor's metro area: most clients live here
    away_places: tuple[Place, ...]  # elsewhere (retirees who moved, children at college)
    email_domains: tuple[str, ...]
    managed_custodians: tuple[str, ...]
    held_away_custodians: tuple[str, ...]
    account_names: dict[str, str]
    retired: str
    coi_jobs: tuple[str, ...]
    coi_firm: str  # "{last} {suffix}"
    coi_suffixes: tuple[str, ...]
    household_name_single: str
    household_name_couple: str
    leaving_reasons: tuple[tuple[str, float], ...]
    death_reason: str
    subjects: dict[str, tuple[str, ...]]
    locations: tuple[str, ...]
    outcomes: tuple[str, ...]
    activity_notes: tuple[str, ...]
    life_event_notes: dict[str, str]
    referral_reasons: tuple[str, ...]
    lost_reasons: tuple[str, ...]
    opportunity_sources: tuple[str, ...]
    notes: tuple[str, ...]
    tags: dict[str, str]
    return_notes: tuple[str, ...] = ()  # why a former client came back (issue 20)
    return_meeting: str = ""  # the meeting before a return


_US_HOME = (
    Place("Columbus", "OH", "432"),
    Place("Dublin", "OH", "430"),
    Place("Westerville", "OH", "430"),
    Place("Upper Arlington", "OH", "432"),
    Place("Worthington", "OH", "430"),
    Place("Gahanna", "OH", "432"),
    Place("Hilliard", "OH", "430"),
    Place("Powell", "OH", "430"),
    Place("Grandview Heights", "OH", "432"),
    Place("New Albany", "OH", "430"),
    Place("Delaware", "OH", "430"),
    Place("Granville", "OH", "430"),
)
_US_AWAY = (
    Place("Naples", "FL", "341"),
    Place("Sarasota", "FL", "342"),
    Place("Scottsdale", "AZ", "852"),
    Place("Cincinnati", "OH", "452"),
    Place("Cleveland", "OH", "441"),
    Place("Chicago", "IL", "606"),
    Place("Ann Arbor", "MI", "481"),
    Place("Asheville", "NC", "288"),
    Place("Charleston", "SC", "294"),
    Place("Denver", "CO", "802"),
)
_ES_HOME = (
    Place("Madrid", "Madrid", "280"),
    Place("Pozuelo de Alarcón", "Madrid", "282"),
    Place("Majadahonda", "Madrid", "282"),
    Place("Las Rozas de Madrid", "Madrid", "282"),
    Place("Alcobendas", "Madrid", "281"),
    Place("Boadilla del Monte", "Madrid", "286"),
    Place("Tres Cantos", "Madrid", "287"),
    Place("Getafe", "Madrid", "289"),
    Place("Alcalá de Henares", "Madrid", "288"),
    Place("San Sebastián de los Reyes", "Madrid", "287"),
)
_ES_AWAY = (
    Place("Marbella", "Andalucía", "296"),
    Place("Valencia", "Comunidad Valenciana", "460"),
    Place("Alicante", "Comunidad Valenciana", "030"),
    Place("Barcelona", "Cataluña", "080"),
    Place("Sevilla", "Andalucía", "410"),
    Place("Santander", "Cantabria", "390"),
    Place("Palma", "Islas Baleares", "070"),
    Place("Segovia", "Castilla y León", "400"),
)

US = Content(
    country="US",
    timezone="America/New_York",
    area_codes=("614", "380", "740"),
    home_places=_US_HOME,
    away_places=_US_AWAY,
    email_domains=("gmail.com", "yahoo.com", "outlook.com", "icloud.com", "aol.com", "att.net"),
    managed_custodians=("Schwab", "Fidelity", "Pershing"),
    held_away_custodians=("Vanguard", "Empower", "TIAA", "Merrill", "Northwestern Mutual", "Huntington Bank"),
    account_names={
        "brokerage": "Joint brokerage",
        "ira": "Rollover IRA",
        "roth_ira": "Roth IRA",
        "401k": "Employer 401(k)",
        "annuity": "Variable annuity",
        "insurance": "Whole life policy",
        "trust": "Family trust",
        "529": "College savings 529",
        "checking": "Checking",
        "other": "Other",
    },
    retired="Retired",
    coi_jobs=("Certified public accountant", "Estate planning attorney", "Tax attorney"),
    coi_firm="{last} {suffix}",
    coi_suffixes=("& Associates CPAs", "Law Group", "Tax & Accounting", "Estate Law"),
    household_name_single="{last}, {first}",
    household_name_couple="{last}, {first} & {spouse}",
    leaving_reasons=(
        ("Moved to a lower-cost robo-advisor", 0.18),
        ("Fee sensitivity after a flat market year", 0.14),
        ("Consolidated with the spouse's advisor", 0.12),
        ("Relocated and wanted a local advisor", 0.12),
        ("Unhappy with performance", 0.12),
        ("Felt under-served: too little contact", 0.14),
        ("Adult children took over and moved the assets", 0.08),
        ("Decided to manage the money themselves", 0.10),
    ),
    death_reason="Death of the primary client; heirs moved the assets",
    subjects={
        "call": (
            "Quarterly check-in call",
            "Call about market volatility",
            "Follow-up on cash needs",
            "RMD timing call",
            "Birthday call",
            "Call about the tax return",
        ),
        "meeting": (
            "Financial planning meeting",
            "Retirement income plan",
            "Estate plan walkthrough",
            "Social Security timing meeting",
            "Insurance review with the family",
        ),
        "review": ("Semi-annual portfolio review", "Annual review and rebalancing", "Mid-year review"),
        "task": (
            "Send beneficiary forms",
            "Prepare RMD paperwork",
            "Update the investment policy statement",
            "Rebalance accounts",
            "Collect 401(k) statement",
            "Request cost-basis report",
        ),
        "email": (
            "Sent quarterly performance report",
            "Shared the market commentary",
            "Sent the meeting summary",
            "Reply about the tax documents",
        ),
        "event": ("Client appreciation dinner", "Retirement income seminar", "Holiday open house"),
    },
    locations=("Office", "Client's home", "Video call", "Coffee shop downtown"),
    outcomes=(
        "All good; no changes",
        "Agreed to rebalance",
        "Will send statements of the old 401(k)",
        "Wants to raise monthly withdrawals",
        "Concerned about fees; follow up",
    ),
    activity_notes=(
        "Bring the updated plan",
        "Spouse joins by phone",
        "Ask about the grandchildren's 529s",
        "Review beneficiary designations",
    ),
    life_event_notes={
        "birth": "New grandchild",
        "marriage": "Daughter got married",
        "divorce": "Divorce finalized",
        "death": "Passed away",
        "inheritance": "Inheritance from a parent's estate",
        "graduation": "Graduated from college",
        "new_home": "Bought a new home",
        "move": "Moved",
        "job_change": "Changed jobs; old 401(k) to roll over",
        "retirement": "Retired",
        "other": "",
    },
    referral_reasons=(
        "Colleague nearing retirement",
        "Neighbour asked for a second opinion",
        "Sibling with an inheritance",
        "Client of the CPA firm",
        "Friend from church",
        "Business partner selling the company",
    ),
    lost_reasons=(
        "Chose a bank trust department",
        "Stayed with the current advisor",
        "Fees too high for the household",
        "Went with a robo-advisor",
    ),
    opportunity_sources=("Referral", "Seminar", "Website", "Existing client", "Center of influence"),
    notes=(
        "Prefers e-mail over phone calls.",
        "Grandchildren's college funding is a priority.",
        "Very anxious in down markets; call early.",
        "Plans to sell the family business in 3-5 years.",
        "Wants to leave a legacy to the church.",
        "Spouse handles the day-to-day finances.",
    ),
    tags={
        "retiree": "retiree",
        "business": "business-owner",
        "coi": "center-of-influence",
        "newsletter": "newsletter",
    },
    return_notes=(
        "Came back: missed having someone to call when markets fell.",
        "Came back: wants one plan for retirement income and the estate.",
        "Came back: the other arrangement took more of their time than expected.",
        "Came back on a friend's advice; the other firm was slow to answer.",
        "Came back after a change in the family: wants advice again.",
    ),
    return_meeting="Coming back: review of the plan",
)

ES = Content(
    country="ES",
    timezone="Europe/Madrid",
    area_codes=("6",),
    home_places=_ES_HOME,
    away_places=_ES_AWAY,
    email_domains=("gmail.com", "hotmail.es", "yahoo.es", "outlook.es", "telefonica.net"),
    managed_custodians=("Inversis", "Allfunds", "Renta 4"),
    held_away_custodians=("BBVA", "Santander", "CaixaBank", "Mapfre", "Bankinter", "Ibercaja"),
    account_names={
        "brokerage": "Cuenta de valores",
        "ira": "Plan de pensiones individual",
        "roth_ira": "PIAS",
        "401k": "Plan de pensiones de empresa",
        "annuity": "Renta vitalicia",
        "insurance": "Seguro de vida-ahorro",
        "trust": "Sociedad patrimonial",
        "529": "Ahorro para estudios",
        "checking": "Cuenta corriente",
        "other": "Otra",
    },
    retired="Jubilado/a",
    coi_jobs=("Asesor fiscal", "Abogado de sucesiones", "Gestor administrativo"),
    coi_firm="{suffix} {last}",
    coi_suffixes=("Asesoría", "Bufete", "Gestoría", "Despacho"),
    household_name_single="{last}, {first}",
    household_name_couple="{last}, {first} y {spouse}",
    leaving_reasons=(
        ("Se pasó a un roboadvisor más barato", 0.18),
        ("Sensibilidad a las comisiones tras un año plano", 0.14),
        ("Unificó el patrimonio con el asesor del cónyuge", 0.12),
        ("Se mudó y prefiere un asesor local", 0.12),
        ("Descontento con la rentabilidad", 0.12),
        ("Se sintió desatendido: poco contacto", 0.14),
        ("Los hijos tomaron el relevo y movieron el patrimonio", 0.08),
        ("Decidió gestionar su dinero por su cuenta", 0.10),
    ),
    death_reason="Fallecimiento del titular; los herederos traspasaron el patrimonio",
    subjects={
        "call": (
            "Llamada de seguimiento trimestral",
            "Llamada por la volatilidad",
            "Necesidades de liquidez",
            "Llamada de cumpleaños",
            "Llamada sobre la declaración de la renta",
        ),
        "meeting": (
            "Reunión de planificación financiera",
            "Plan de ingresos para la jubilación",
            "Revisión del testamento",
            "Reunión sobre cuándo cobrar la pensión",
            "Revisión de seguros",
        ),
        "review": (
            "Revisión semestral de la cartera",
            "Revisión anual y rebalanceo",
            "Revisión de mitad de año",
        ),
        "task": (
            "Enviar designación de beneficiarios",
            "Preparar traspaso del plan de pensiones",
            "Actualizar el perfil de inversor",
            "Rebalancear cuentas",
            "Pedir extracto del plan de empresa",
        ),
        "email": (
            "Envío del informe trimestral",
            "Comentario de mercado",
            "Resumen de la reunión",
            "Respuesta sobre documentación fiscal",
        ),
        "event": ("Cena anual de clientes", "Seminario de jubilación", "Encuentro de Navidad"),
    },
    locations=("Oficina", "Domicilio del cliente", "Videollamada", "Cafetería del centro"),
    outcomes=(
        "Todo bien; sin cambios",
        "Acordamos rebalancear",
        "Enviará los extractos del plan antiguo",
        "Quiere aumentar el reembolso mensual",
        "Le preocupan las comisiones; seguimiento",
    ),
    activity_notes=(
        "Llevar el plan actualizado",
        "El cónyuge se une por teléfono",
        "Preguntar por los estudios de los nietos",
        "Revisar beneficiarios",
    ),
    life_event_notes={
        "birth": "Nuevo nieto",
        "marriage": "Boda de la hija",
        "divorce": "Divorcio firmado",
        "death": "Fallecimiento",
        "inheritance": "Herencia de los padres",
        "graduation": "Terminó la carrera",
        "new_home": "Compró una vivienda",
        "move": "Cambio de domicilio",
        "job_change": "Cambio de empresa; traspasar el plan",
        "retirement": "Se jubiló",
        "other": "",
    },
    referral_reasons=(
        "Compañero a punto de jubilarse",
        "Vecino que pidió una segunda opinión",
        "Hermano con una herencia",
        "Cliente de la asesoría fiscal",
        "Amigo del club",
        "Socio que vende la empresa",
    ),
    lost_reasons=(
        "Eligió la banca privada de su banco",
        "Se quedó con su asesor actual",
        "Honorarios altos para su patrimonio",
        "Se fue a un roboadvisor",
    ),
    opportunity_sources=("Recomendación", "Seminario", "Sitio web", "Cliente actual", "Centro de influencia"),
    notes=(
        "Prefiere el correo al teléfono.",
        "Los estudios de los nietos son prioritarios.",
        "Se inquieta en las caídas; llamar pronto.",
        "Piensa vender la empresa familiar en 3-5 años.",
        "Quiere dejar un legado a una fundación.",
        "El cónyuge lleva las finanzas del día a día.",
    ),
    tags={"retiree": "jubilado", "business": "empresario", "coi": "prescriptor", "newsletter": "boletín"},
    return_notes=(
        "Ha vuelto: echaba de menos a quien llamar cuando caen los mercados.",
        "Ha vuelto: quiere un solo plan para la jubilación y la herencia.",
        "Ha vuelto: la otra solución le quitaba más tiempo del previsto.",
        "Ha vuelto por consejo de un amigo; la otra entidad tardaba en responder.",
        "Ha vuelto tras un cambio en la familia: quiere asesoramiento de nuevo.",
    ),
    return_meeting="Vuelta como cliente: revisión del plan",
)

LOCALES: dict[str, Content] = {"en_US": US, "es_ES": ES}
