"""Fit scores and "clients like you" on books where the right answer is known (see books.py)."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from tests.pipeline.books import AS_OF, a_segment_book, annuity_book

from actdesk.cli import main
from actdesk.domain.pipeline.config import PipelineConfig
from actdesk.domain.pipeline.fit import fit_score
from actdesk.domain.pipeline.profile import build_profile, quantile
from actdesk.domain.pipeline.similar import nearest, suggestions
from actdesk.domain.pipeline.traits import HouseholdTraits
from actdesk.services.pipeline import household_suggestions, prospecting

CFG = PipelineConfig()


def test_quantile_interpolates_like_numpy() -> None:
    assert quantile([52, 58], 0.1) == pytest.approx(52.6)
    assert quantile([1, 2, 3, 4], 0.5) == 2.5


def test_profile_is_drawn_from_the_a_segment(book) -> None:
    with book.session() as s:
        a_segment_book(s)
    result = prospecting(book, AS_OF, CFG)
    p = result.profile
    assert p.households == 2
    assert p.numeric["age"].low == pytest.approx(52.6) and p.numeric["age"].high == pytest.approx(57.4)
    assert p.numeric["net_worth"].median == 3_500_000
    assert p.categorical["occupation"].shares[0].value == "Physician"
    assert p.categorical["risk_tolerance"].shares[0].count == 2
    assert p.categorical["source"].shares[0].value == "Referral"
    assert any(
        "Net worth: typically $3.5M, most between $2.3M and $4.7M" in line for line in result.profile_lines
    )


def test_a_prospect_like_the_a_clients_outscores_one_unlike_them(book) -> None:
    with book.session() as s:
        ids = a_segment_book(s)
    result = prospecting(book, AS_OF, CFG)
    scores = {p.traits.household_id: p.fit for p in result.prospects}
    like, unlike, blank = scores[ids["like"]], scores[ids["unlike"]], scores[ids["blank"]]
    assert [p.traits.household_id for p in result.prospects] == [ids["like"], ids["blank"], ids["unlike"]]
    assert like.score == 100  # inside every range, and shares every category (case-insensitively)
    texts = [r.text for r in like.reasons]
    assert "Net worth $3M is within the A-client range $2.3M–$4.7M" in texts
    assert "Age 55 is within the A-client range 53–57" in texts
    assert "Occupation physician: shared by 2 of 2 A clients" in texts
    # unlike: only income scores, 1 - log10(315,000 / 50,000) = 0.2007 of its 15 points
    assert unlike.score == 3
    assert "Age 28 is 25 years below the A-client range 53–57" in [r.text for r in unlike.reasons]
    assert "Risk tolerance conservative: no A client shares it (most common: growth)" in [
        r.text for r in unlike.reasons
    ]
    # nothing known: every attribute counts half
    assert blank.score == 50
    assert all(r.text.endswith("counts as half a match") for r in blank.reasons)
    assert sum(r.points for r in like.reasons) == pytest.approx(100)


def test_fit_weights_are_configurable() -> None:
    a = HouseholdTraits(
        1, "A", "client", date(1970, 1, 1), Decimal(300000), Decimal(2000000), "X", "Y", "growth"
    )
    profile = build_profile([a], AS_OF, CFG)
    prospect = HouseholdTraits(2, "P", "prospect", date(1970, 1, 1), None, None, None, None, "conservative")
    only_age = PipelineConfig(fit_weights={"age": 1.0})
    assert fit_score(prospect, profile, AS_OF, only_age).score == 100
    only_risk = PipelineConfig(fit_weights={"risk_tolerance": 1.0})
    assert fit_score(prospect, profile, AS_OF, only_risk).score == 0


def test_prospects_cli_json_is_sorted_by_fit_with_reasons(book, db_path, capsys) -> None:
    with book.session() as s:
        ids = a_segment_book(s)
    assert main(["--db", str(db_path), "prospects", "--as-of", "2026-10-31", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["household_id"] for r in rows] == [ids["like"], ids["blank"], ids["unlike"]]
    assert rows[0]["fit_score"] == 100 and 0 <= rows[-1]["fit_score"] <= 100
    assert rows[0]["reasons"][0].startswith("Net worth $3M")
    assert rows[0]["age"] == 55 and rows[0]["open_opportunities"] == 1


def test_neighbours_hold_an_annuity_it_does_not(book) -> None:
    with book.session() as s:
        ids = annuity_book(s)
    cfg = PipelineConfig(neighbours=3)
    found = household_suggestions(book, ids["target"], AS_OF, cfg)
    assert [(x.holding, x.support, x.neighbours) for x in found] == [("annuity", 3, 3)]
    assert found[0].opportunity_kind == "insurance"
    assert found[0].typical_amount == Decimal("160000.00")  # median of 150,000 / 160,000 / 170,000
    assert (
        found[0].text == "3 of the 3 most similar households hold a annuity; this one does not"
        or "annuity" in found[0].text
    )
    assert household_suggestions(book, ids["holder"], AS_OF, cfg) == []  # it already holds one


def test_nearest_uses_standardised_features() -> None:
    def t(i: int, birth: date, worth: int, risk: str) -> HouseholdTraits:
        return HouseholdTraits(i, str(i), "client", birth, Decimal(100000), Decimal(worth), None, None, risk)

    target = t(1, date(1960, 1, 1), 1_000_000, "moderate")
    near = t(2, date(1961, 1, 1), 1_100_000, "moderate")
    far = t(3, date(1995, 1, 1), 30_000, "aggressive")
    assert [h for h, _d in nearest(target, [target, far, near], AS_OF, 2)] == [2, 3]
    holdings = {2: {"annuity": 0}, 3: {"529": 0}}
    got = suggestions(target, [near, far], holdings, AS_OF, PipelineConfig(neighbours=1))
    assert [s.holding for s in got] == ["annuity"]


def test_suggestions_cli_and_one_click_opportunity(book, db_path, capsys) -> None:
    with book.session() as s:
        ids = annuity_book(s)
    from actdesk.settings import load_settings

    settings = load_settings()
    settings.set_section(PipelineConfig(neighbours=3))
    settings.save()
    db = ["--db", str(db_path)]
    assert main([*db, "suggestions", str(ids["target"]), "--as-of", "2026-10-31", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["holding"] for r in rows] == ["annuity"] and rows[0]["support"] == 3
    assert main([*db, "opportunity", "create", str(ids["target"]), "--suggestion", "annuity", "--json"]) == 0
    created = json.loads(capsys.readouterr().out)
    assert created["kind"] == "insurance" and created["stage"] == "lead"
    assert created["expected_aum"] == 160000.0 and created["probability"] == 0.1
    assert main([*db, "opportunity", "create", str(ids["target"]), "--suggestion", "529"]) == 2
    assert "not among this household's growth ideas" in capsys.readouterr().err
    assert main([*db, "suggestions", "9999"]) == 2  # an unknown id is a refusal of input
    assert "household 9999 does not exist" in capsys.readouterr().err
