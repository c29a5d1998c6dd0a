"""One home for each vocabulary: life-event kinds and their labels, and the pipeline's stages (issue 24).

Copies drift: three copies of the life-event labels disagreed ("Life event" in one, "Other" in two) and the
pipeline report counted a hard-coded list of open stages although stages are configurable.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

from tests import factories as f

from actdesk import i18n
from actdesk.domain.engagement import questionnaire
from actdesk.domain.enums import (
    ACCOUNT_TYPE_LABELS,
    LIFE_EVENT_LABELS,
    AccountType,
    LifeEventKind,
    life_event_label,
    life_event_title,
)
from actdesk.domain.pipeline.config import PipelineConfig
from actdesk.services.reports.base import ACCOUNT_TYPES as REPORT_ACCOUNT_TYPES
from actdesk.services.reports.base import ReportContext
from actdesk.services.reports.builders import pipeline as pipeline_report
from actdesk.storage.engine import Book
from actdesk.storage.repositories.pipeline import create_opportunity

SRC = Path(__file__).resolve().parents[2] / "src" / "actdesk"


def test_every_kind_has_one_label_and_other_reads_other() -> None:
    assert set(LIFE_EVENT_LABELS) == set(LifeEventKind)
    assert life_event_label("other") == "Other" and life_event_label("new_home") == "New home"
    assert life_event_title("other") == "Life event" and life_event_title("death") == "Death"
    assert life_event_label("not-a-kind") == "not-a-kind"  # an unknown stored code is shown as stored
    i18n.set_language("es")
    assert life_event_label("other") != "Other" and life_event_label("birth") != "Birth"


def test_the_labels_are_written_once() -> None:
    """A second label map would write "New home" again somewhere in the code."""
    homes = [p.relative_to(SRC).as_posix() for p in SRC.rglob("*.py") if 'N_("New home")' in p.read_text()]
    assert homes == ["domain/enums.py"]


def test_the_account_type_labels_are_written_once() -> None:
    """The card and the reports each had their own copy; the meeting view borrowed the card's."""
    homes = [p.relative_to(SRC).as_posix() for p in SRC.rglob("*.py") if 'N_("529 plan")' in p.read_text()]
    assert homes == ["domain/enums.py"]
    assert set(ACCOUNT_TYPE_LABELS) == set(AccountType)
    assert {str(k): v for k, v in ACCOUNT_TYPE_LABELS.items()} == REPORT_ACCOUNT_TYPES


def test_the_cli_and_the_questionnaire_take_the_kinds_from_the_enum() -> None:
    from actdesk.cli import cmd_engagement

    kinds = tuple(k.value for k in LifeEventKind)
    assert kinds == cmd_engagement.KINDS and kinds == questionnaire.KINDS


def test_the_pipeline_report_counts_the_configured_open_stages(book: Book) -> None:
    config = PipelineConfig(
        stages=["lead", "discovery", "proposal", "signed", "dropped"],
        won_stage="signed",
        lost_stage="dropped",
        probabilities={"lead": 0.1, "discovery": 0.3, "proposal": 0.6},
    )
    now = datetime(2026, 6, 1, tzinfo=UTC)
    with book.session() as s:
        hid = f.household(s, "Ortiz household", status="prospect", since=None)
        for stage in ("lead", "discovery", "discovery", "signed"):
            create_opportunity(s, hid, "rollover", now, config, stage=stage, expected_revenue=Decimal("1000"))
    report = pipeline_report.build(ReportContext(book, date(2026, 6, 30), pipeline=config))
    funnel = next(sec for sec in report.sections if sec.key == "funnel")
    assert funnel.table is not None
    rows = {row[0]: row[1] for row in funnel.table.rows}
    assert rows == {"Lead": 1, "discovery": 2, "Proposal": 0}  # "discovery" was not in the copied list
