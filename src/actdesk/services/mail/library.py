"""Templates the advisor can pick: saved (edited) ones in the book first, then the starter templates shipped.

Saving a template under a starter's name overrides the starter for this book, which is how an edited
questionnaire or birthday note replaces the default without touching the shipped files.
"""

from __future__ import annotations

from actdesk.i18n import _
from actdesk.services.mail.templates import STARTER_TEMPLATES, MailTemplate, TemplateProblem, starter_template
from actdesk.storage.engine import Book
from actdesk.storage.repositories import mail as repo


def template_names(book: Book, language: str) -> list[str]:
    with book.reader() as s:
        saved = [name for name, lang in repo.template_names(s) if lang == language]
    return sorted(set(saved) | set(STARTER_TEMPLATES))


def load_template(book: Book, name: str, language: str) -> MailTemplate:
    with book.reader() as s:
        stored = repo.get_template(s, name, language)
    if stored is not None:
        return MailTemplate(
            stored.name, stored.subject, stored.body_text, stored.body_html, stored.language, stored.marketing
        )
    if name in STARTER_TEMPLATES:
        return starter_template(name, language)
    raise TemplateProblem(_("There is no template named {name}.").format(name=name))


def save_template(book: Book, template: MailTemplate) -> None:
    with book.session() as s:
        repo.save_template(
            s,
            repo.StoredTemplate(
                template.name,
                template.language,
                template.subject,
                template.body_text,
                template.body_html,
                template.marketing,
            ),
        )
