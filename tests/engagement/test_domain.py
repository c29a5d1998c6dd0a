"""The pure parts: the questionnaire's layout and token, the reply parser, dates, referral scoring."""

from __future__ import annotations

from datetime import date

import pytest

from actdesk.domain.engagement.dates import read_date
from actdesk.domain.engagement.html_text import html_to_text
from actdesk.domain.engagement.questionnaire import (
    QuestionnaireError,
    find_tokens,
    make_token,
    parse_definition,
    question_block,
    token_valid,
)
from actdesk.domain.engagement.referrals import (
    ReferralRecord,
    ReferrerSignals,
    by_source_and_month,
    conversion_rate,
    most_likely_to_refer,
    referral_outcome,
)
from actdesk.domain.engagement.reply import parse_reply
from actdesk.paths import resource

EN = parse_definition(resource("questionnaires", "en", "life-events.toml").read_text(), "en")
ES = parse_definition(resource("questionnaires", "es", "life-events.toml").read_text(), "es")


def test_shipped_questionnaires_ask_the_same_questions_in_the_same_order() -> None:
    assert [q.kind for q in EN.questions] == [q.kind for q in ES.questions]
    assert len(EN.questions) == 11 and EN.questions[-1].kind == "other"


def test_a_broken_definition_is_refused_with_the_reason() -> None:
    with pytest.raises(QuestionnaireError, match="kind 'wedding'"):
        parse_definition('subject = "x"\n[[question]]\nkind = "wedding"\ntext = "A wedding"\n', "en")
    with pytest.raises(QuestionnaireError, match="no \\[\\[question\\]\\]"):
        parse_definition('subject = "x"\n', "en")


def test_tokens_are_signed_per_book() -> None:
    token = make_token(42, b"book-one")
    [(hid, sig)] = find_tokens(f"> Reference: {token}\n> Reference: {token}")
    assert hid == 42 and token_valid(42, sig, b"book-one")
    assert not token_valid(42, sig, b"book-two") and not token_valid(43, sig, b"book-one")


def test_inline_answers_in_the_quoted_original() -> None:
    block = question_block(EN).replace(
        " 6. [ ] A graduation\n    Date: ", " 6. [X] A graduation\n    Date: 2026-06-01"
    )
    text = "Here you go\n\n" + "\n".join("> " + line for line in block.split("\n"))
    r = parse_reply(text, [EN, ES])
    assert [(a.kind, a.date) for a in r.answers] == [("graduation", date(2026, 6, 1))]
    assert not r.issues and len(r.unanswered) == 10 and r.free_text == "Here you go"


def test_top_posted_short_answers_and_explicit_no() -> None:
    text = "2) yes, 14/03/2026 small wedding\n5. no\n\n" + "\n".join(
        "> " + line for line in question_block(EN).split("\n")
    )
    r = parse_reply(text, [EN])
    assert [(a.kind, a.date, a.notes) for a in r.answers] == [
        ("marriage", date(2026, 3, 14), "small wedding")
    ]
    assert 5 in r.unanswered and not r.issues


def test_contradictions_are_reported_not_resolved() -> None:
    block = question_block(EN)
    text = "1. x 2026-01-01\n1. no\n3. x 2026-01-05\n\n" + block.replace(
        " 3. [ ] A divorce or separation\n    Date: ", " 3. [x] A divorce or separation\n    Date: 2026-02-05"
    )
    r = parse_reply(text, [EN])
    assert r.answers == ()
    assert sorted((i.code, i.number) for i in r.issues) == [("conflict", 1), ("conflict", 3)]


def test_a_marked_question_without_a_date_is_reported() -> None:
    r = parse_reply(question_block(EN).replace(" 4. [ ]", " 4. [x]"), [EN])
    assert r.answers == () and [(i.code, i.number) for i in r.issues] == [("no_date", 4)]


def test_a_message_that_is_not_a_reply_says_so() -> None:
    r = parse_reply("Thanks, see you Tuesday.\n1. Bring the statements", [EN])
    assert r.answers == () and [i.code for i in r.issues] == ["no_answers", "garbled"]


def test_spanish_is_recognised_by_its_questions() -> None:
    r = parse_reply(
        question_block(ES).replace(" 1. [ ]", " 1. [x]").replace("Fecha: ", "Fecha: 3 de marzo de 2026", 1),
        [EN, ES],
    )
    assert r.language == "es" and [(a.kind, a.date) for a in r.answers] == [("birth", date(2026, 3, 3))]


def test_html_keeps_lines_and_quotes() -> None:
    text = html_to_text(
        "<div>Hi<br>1. [x] Date: 2026-01-02</div><blockquote><p>2. [ ] A marriage</p></blockquote>"
    )
    lines = [line for line in text.split("\n") if line.strip(" >")]
    assert lines == ["Hi", "1. [x] Date: 2026-01-02", "> 2. [ ] A marriage"]


@pytest.mark.parametrize(
    ("text", "language", "value", "problem"),
    [
        ("2026-05-14", "en", date(2026, 5, 14), None),
        ("14/05/2026", "en", date(2026, 5, 14), None),
        ("05/14/2026", "en", date(2026, 5, 14), None),
        ("05/06/2026", "en", None, "ambiguous"),
        ("05/06/2026", "es", date(2026, 6, 5), None),
        ("14 de junio de 2026", "es", date(2026, 6, 14), None),
        ("31/02/2026", "es", None, "invalid"),
        ("next spring", "en", None, "unreadable"),
        ("", "en", None, "missing"),
    ],
)
def test_dates(text: str, language: str, value: date | None, problem: str | None) -> None:
    reading = read_date(text, language)
    assert (reading.value, reading.problem) == (value, problem)


def test_month_only_is_the_first_and_flagged() -> None:
    reading = read_date("June 2026")
    assert reading.value == date(2026, 6, 1) and reading.approximate


def test_referral_outcomes() -> None:
    today = date(2026, 3, 1)
    assert referral_outcome("client", date(2025, 1, 1), None, today) == "client"
    assert referral_outcome("former_client", date(2020, 1, 1), "not_converted", today) == "client"
    assert referral_outcome("prospect", None, None, today) == "prospect"
    assert referral_outcome("prospect", None, "not_converted", today) == "not_converted"
    records = [
        ReferralRecord(1, "client", 10, date(2026, 1, 5), "client"),
        ReferralRecord(1, "client", 11, date(2026, 1, 20), "prospect"),
        ReferralRecord(2, "center_of_influence", 12, date(2026, 2, 1), "client"),
    ]
    assert conversion_rate(records) == pytest.approx(2 / 3)
    assert conversion_rate([]) is None
    assert by_source_and_month(records) == {("center_of_influence", "2026-02"): 1, ("client", "2026-01"): 2}


def test_most_likely_to_refer_scores_and_explains() -> None:
    today = date(2026, 3, 1)
    base = dict(client_since=date(2016, 1, 1), contact_id=1)
    signals = [
        ReferrerSignals(
            1, "Able", "A", reviews_12m=2, won_12m=1, aum_growth_12m=0.08, referrals_made=1, **base
        ),  # type: ignore[arg-type]
        ReferrerSignals(2, "Baker", "B", reviews_12m=1, **base),  # type: ignore[arg-type]
        ReferrerSignals(3, "Cole", "C", reviews_12m=3, **base),  # type: ignore[arg-type]
        ReferrerSignals(4, "Dunn", "A", open_risk_alerts=1, **base),  # type: ignore[arg-type]
        ReferrerSignals(5, "Eyre", "A", last_asked=date(2026, 1, 1), **base),  # type: ignore[arg-type]
        ReferrerSignals(6, "Ford", "B", has_email=False, **base),  # type: ignore[arg-type]
    ]
    ranked = most_likely_to_refer(signals, today)
    assert [(r.name, r.score) for r in ranked] == [
        ("Able", 30 + 20 + 10 + 10 + 10 + 15),
        ("Baker", 20 + 10 + 10),
    ]
    assert ranked[0].reasons == (
        "segment A",
        "2 review(s) in the last year",
        "1 opportunity(ies) won this year",
        "assets up 8% in a year",
        "client for 10 years",
        "has referred 1 before",
    )
