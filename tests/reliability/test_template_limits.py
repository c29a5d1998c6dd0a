"""Hostile mail templates are refused quickly and cleanly ("not allowed in a template"), never hang the app,
exhaust its memory or end in an internal error; ordinary templates still render."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from actdesk.cli import main
from actdesk.services.mail.templates import MailTemplate, TemplateProblem, render

HOSTILE = [
    "{% for a in range(99999) %}{% for b in range(99999) %}x{% endfor %}{% endfor %}",
    "{{ lipsum(n=3000000) }}",
    "{{ 9**(9**9) }}",
    "{{ 'a'*10**9 }}",
    "{{ 'x'|center(2000000000) }}",
    "{{ 'x'.center(2000000000) }}",
    "{{ 'x'.ljust(10**9) }}",
    "{{ range(10**9)|list }}",
    "{% macro f(n) %}{{ f(n) }}{% endmacro %}{{ f(1) }}",
    "{% include 'other.txt' %}",
    "{% import 'other.txt' as other %}",
    "{% from 'other.txt' import x %}",
    "{% extends 'base.txt' %}",
    "{% for a in 'x'*1000 %}{% for b in 'x'*1000 %}{% for c in 'x'*1000 %}{% endfor %}{% endfor %}{% endfor %}",
    "{{ ('x'*1000)|replace('x', 'x'*1000)|replace('x', 'x'*1000) }}",
    "{{ (['x'*100000]*1000)|join('') }}",
    "{{ '%2000000000s'|format('x') }}",
    "{{ 'x'|indent(2000000000) }}",
    "{{ '{:2000000000}'.format('x') }}",
    "{{ '%2000000000s' % 'x' }}",
]


@pytest.mark.parametrize("body", HOSTILE)
def test_hostile_template_is_refused_quickly(body: str) -> None:
    started = time.perf_counter()
    with pytest.raises(TemplateProblem, match="not allowed in a template"):
        render(MailTemplate(name="t", subject="Hi", body_text=body, body_html=None), {})
    assert time.perf_counter() - started < 10  # the budget is 2 s; the machine may be busy


def test_ordinary_templates_still_render() -> None:
    body = (
        "Dear {{ contact.first_name }},\n{% for i in range(3) %}{{ i }}{% endfor %} {{ 2**10 }} "
        "{{ ['a', 'b']|join(', ') }} {{ 'a-b'|replace('-', '+') }} {{ 'x'|center(9) }}|{{ lipsum(1, html=False)|length > 0 }}"
        "{% macro hello(n) %}hi {{ n }}{% endmacro %} {{ hello(2) }}"
    )
    mail = render(MailTemplate(name="t", subject="Hi {{ contact.first_name }}", body_text=body, body_html=None),
                  {"contact": {"first_name": "Ann"}})  # fmt: skip
    assert mail.subject == "Hi Ann"
    assert "Dear Ann,\n012 1024 a, b a+b     x    |True hi 2" in mail.text


@pytest.mark.parametrize("body", [HOSTILE[0], HOSTILE[3], HOSTILE[8], HOSTILE[9]])
def test_mail_preview_refuses_in_one_line_exit_2(
    body: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], make_book: object
) -> None:
    db = tmp_path / "book.db"
    assert main(["--db", str(db), "demo", "--households", "3", "--seed", "1"]) == 0
    template = tmp_path / "t.txt"
    template.write_text(f"Subject: Hello\n\n{body}\n", encoding="utf-8")
    capsys.readouterr()
    code = main(["--db", str(db), "mail", "preview", "--template", str(template), "--contact", "1"])
    err = capsys.readouterr().err
    assert code == 2 and len(err.strip().splitlines()) == 1 and "not allowed in a template" in err
    assert "Traceback" not in err and "internal error" not in err
