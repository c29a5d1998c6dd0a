"""The life-events questionnaire: its editable definition, the layout it is sent in, and the reply token.

The layout is what makes replies readable by a program: one numbered question per line with a bracketed
answer slot, then a ``Date:`` and a ``Notes:`` line, the same in every language but for the labels. A token
``ACTDESK-Q:<household>:<signature>`` in the body ties a reply to the household it was sent to; the signature
is an HMAC with a key kept in the book, so nobody can forge a token for another household.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import tomllib
from dataclasses import dataclass

from actdesk.domain.enums import LifeEventKind
from actdesk.i18n import _

KINDS = tuple(kind.value for kind in LifeEventKind)  # the questions' order is the enum's
# Labels of the answer lines, per language. The parser accepts every language's labels in every reply.
LABELS: dict[str, dict[str, str]] = {
    "en": {"date": "Date", "notes": "Notes", "reference": "Reference"},
    "es": {"date": "Fecha", "notes": "Notas", "reference": "Referencia"},
}
TOKEN_RE = re.compile(r"ACTDESK-Q:(\d{1,12}):([0-9a-f]{12})", re.IGNORECASE)


class QuestionnaireError(ValueError):
    """A questionnaire definition the advisor edited that cannot be used; the message names the problem."""


@dataclass(frozen=True)
class Question:
    number: int
    kind: str
    text: str


@dataclass(frozen=True)
class Questionnaire:
    language: str
    subject: str
    intro: str
    instructions: str
    closing: str
    questions: tuple[Question, ...]

    def question(self, number: int) -> Question | None:
        return self.questions[number - 1] if 1 <= number <= len(self.questions) else None

    @property
    def labels(self) -> dict[str, str]:
        return LABELS.get(self.language, LABELS["en"])


def parse_definition(text: str, language: str) -> Questionnaire:
    """Read a questionnaire from its TOML file (see resources/questionnaires/en/life-events.toml)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise QuestionnaireError(
            _("The questionnaire file is not valid: {error}").format(error=exc)
        ) from None
    raw = data.get("question")
    if not isinstance(raw, list) or not raw:
        raise QuestionnaireError(_("The questionnaire has no [[question]] entries."))
    questions = []
    for number, entry in enumerate(raw, start=1):
        kind = str(entry.get("kind", "")).strip() if isinstance(entry, dict) else ""
        wording = str(entry.get("text", "")).strip() if isinstance(entry, dict) else ""
        if kind not in KINDS:
            raise QuestionnaireError(
                _("Question {n}: kind '{kind}' is not one of: {kinds}").format(
                    n=number, kind=kind, kinds=", ".join(KINDS)
                )
            )
        if not wording or "\n" in wording:
            raise QuestionnaireError(_("Question {n} needs its wording on one line.").format(n=number))
        questions.append(Question(number, kind, wording))
    subject = str(data.get("subject", "")).strip()
    if not subject:
        raise QuestionnaireError(_("The questionnaire has no subject."))
    return Questionnaire(
        language=str(data.get("language", language)),
        subject=subject,
        intro=str(data.get("intro", "")).strip(),
        instructions=str(data.get("instructions", "")).strip(),
        closing=str(data.get("closing", "")).strip(),
        questions=tuple(questions),
    )


def question_block(q: Questionnaire) -> str:
    """The numbered questions with their answer slots, exactly as the parser expects them back."""
    labels = q.labels
    lines = []
    for question in q.questions:
        lines.append(f"{question.number:>2}. [ ] {question.text}")
        lines.append(f"    {labels['date']}: ")
        lines.append(f"    {labels['notes']}: ")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def template_body(q: Questionnaire) -> str:
    """The body as a mail-merge template: greeting, intro, the (literal) question block, the token, closing.

    The question block is wrapped in ``{% raw %}`` so an advisor's wording can never be read as template code;
    the token comes from the merge field ``questionnaire.token``.
    """
    labels = q.labels
    parts = ["{{ salutation }},", ""]
    if q.intro:
        parts += [q.intro, ""]
    if q.instructions:
        parts += [q.instructions, ""]
    parts += ["{% raw %}" + question_block(q) + "{% endraw %}"]
    parts += [f"{labels['reference']}: {{{{ questionnaire.token }}}}", ""]
    if q.closing:
        parts += [q.closing, ""]
    parts += ["{{ signature }}", ""]
    return "\n".join(parts)


def signature(household_id: int, key: bytes) -> str:
    return hmac.new(key, f"questionnaire:{household_id}".encode(), hashlib.sha256).hexdigest()[:12]


def make_token(household_id: int, key: bytes) -> str:
    return f"ACTDESK-Q:{household_id}:{signature(household_id, key)}"


def find_tokens(text: str) -> list[tuple[int, str]]:
    """Every token in a text, in order, without duplicates (a reply quotes the original, maybe twice)."""
    seen: list[tuple[int, str]] = []
    for m in TOKEN_RE.finditer(text):
        item = (int(m.group(1)), m.group(2).lower())
        if item not in seen:
            seen.append(item)
    return seen


def token_valid(household_id: int, sig: str, key: bytes) -> bool:
    return hmac.compare_digest(signature(household_id, key), sig.lower())
