"""Mail-merge templates in a sandbox: a template can never run code, a field value never injects HTML or headers.

A template is a subject, a plain-text body and an optional HTML body. Files use the plain form
``Subject: ...`` / blank line / body, with an optional sibling ``.html`` file for the HTML part.
Rendering is strict: an unknown merge field is an error naming the field, never a silently empty gap.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import StrictUndefined, Template, TemplateError, TemplateSyntaxError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from actdesk.i18n import _
from actdesk.paths import resource
from actdesk.services.mail.sandbox import LimitedSandbox, render_limited

STARTER_TEMPLATES = (
    "birthday",
    "review_reminder",
    "client_anniversary",
    "event_invitation",
    "event_reminder",
    "newsletter",
    "referral_request",
)
_HEADER_BREAKS = re.compile(r"[\r\n\x00\u2028\u2029\x85]+")


class TemplateProblem(Exception):
    """A template that cannot be rendered; the message names the field or line for the advisor."""


@dataclass(frozen=True)
class MailTemplate:
    name: str
    subject: str
    body_text: str
    body_html: str | None = None
    language: str = "en"
    marketing: bool = True


@dataclass(frozen=True)
class RenderedMail:
    subject: str
    text: str
    html: str | None


def header_safe(value: str) -> str:
    """One line: CR, LF and other line breaks become spaces, so a value can never start a new header."""
    return " ".join(_HEADER_BREAKS.sub(" ", value).split())


def parse_template_text(
    text: str, name: str, *, html: str | None = None, language: str = "en"
) -> MailTemplate:
    """Read the ``Subject: ...`` / blank line / body form.

    An optional ``Kind: service`` line may follow the subject: service mail (review reminders, questionnaires)
    carries no unsubscribe line; everything else is treated as marketing.
    """
    text = text.lstrip("\ufeff").replace("\r\n", "\n")
    head, _sep, body = text.partition("\n\n")
    lines = head.split("\n")
    if not lines[0].lower().startswith("subject:"):
        raise TemplateProblem(
            _(
                "The template {name} must start with a line 'Subject: ...', then a blank line, then the body."
            ).format(name=name)
        )
    subject = lines[0].split(":", 1)[1].strip()
    if not subject:
        raise TemplateProblem(_("The template {name} has an empty subject line.").format(name=name))
    marketing = True
    for extra in lines[1:]:
        key, _colon, value = extra.partition(":")
        if key.strip().lower() == "kind" and value.strip().lower() in ("service", "marketing"):
            marketing = value.strip().lower() == "marketing"
        else:
            raise TemplateProblem(
                _("The template {name}: after the subject line comes a blank line, then the body.").format(
                    name=name
                )
            )
    return MailTemplate(name, subject, body, html, language, marketing)


def load_template_file(path: Path, language: str = "en") -> MailTemplate:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise TemplateProblem(_("The template file {path} is not UTF-8 text.").format(path=path)) from None
    except OSError as exc:
        raise TemplateProblem(
            _("The template file {path} could not be read: {error}").format(
                path=path, error=exc.strerror or exc
            )
        ) from None
    html_path = path.with_suffix(".html")
    html = html_path.read_text(encoding="utf-8") if html_path.exists() and html_path != path else None
    return parse_template_text(text, path.stem, html=html, language=language)


def starter_template(name: str, language: str = "en") -> MailTemplate:
    """A template shipped in resources/templates/email/<lang>/ (falls back to English)."""
    for lang in (language, "en"):
        folder = resource("templates", "email", lang)
        txt = folder / f"{name}.txt"
        if txt.is_file():
            html_node = folder / f"{name}.html"
            html = html_node.read_text(encoding="utf-8") if html_node.is_file() else None
            return parse_template_text(txt.read_text(encoding="utf-8"), name, html=html, language=lang)
    raise TemplateProblem(_("There is no template named {name}.").format(name=name))


class _Environments:
    def __init__(self) -> None:
        opts: dict[str, Any] = {"undefined": StrictUndefined, "keep_trailing_newline": True}
        self.text = LimitedSandbox(autoescape=False, **opts)
        self.html = LimitedSandbox(autoescape=True, **opts)


_ENV = _Environments()


@lru_cache(maxsize=256)
def _compiled(html: bool, source: str) -> Template:
    """Compiled once per text: a campaign renders the same template thousands of times."""
    return (_ENV.html if html else _ENV.text).from_string(source)


def _render(env: SandboxedEnvironment, source: str, context: dict[str, Any], part: str, name: str) -> str:
    try:
        return render_limited(_compiled(env is _ENV.html, source), context)
    except UndefinedError as exc:
        raise TemplateProblem(
            _("{name} ({part}): unknown merge field: {detail}. Available: {fields}").format(
                name=name, part=part, detail=exc.message, fields=", ".join(sorted(field_names(context)))
            )
        ) from exc
    except TemplateSyntaxError as exc:
        raise TemplateProblem(
            _("{name} ({part}), line {line}: {error}").format(
                name=name, part=part, line=exc.lineno, error=exc.message
            )
        ) from exc
    except SecurityError as exc:
        raise TemplateProblem(
            _("{name} ({part}): not allowed in a template: {error}").format(name=name, part=part, error=exc)
        ) from exc
    except TemplateError as exc:
        raise TemplateProblem(_("{name} ({part}): {error}").format(name=name, part=part, error=exc)) from exc


def field_names(context: dict[str, Any]) -> list[str]:
    names: list[str] = []
    for key, value in context.items():
        if isinstance(value, dict):
            names.extend(f"{key}.{sub}" for sub in value)
        else:
            names.append(key)
    return names


def check_template(template: MailTemplate, context: dict[str, Any]) -> None:
    """Render once against a sample so a typo is reported before anything is queued."""
    render(template, context)


def render(template: MailTemplate, context: dict[str, Any]) -> RenderedMail:
    subject = header_safe(_render(_ENV.text, template.subject, context, _("subject"), template.name))
    text = _render(_ENV.text, template.body_text, context, _("text"), template.name)
    html = (
        _render(_ENV.html, template.body_html, context, "HTML", template.name) if template.body_html else None
    )
    return RenderedMail(subject, text, html)
