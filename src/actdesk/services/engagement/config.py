"""The engagement feature's settings (section "engagement") and where its files live."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from actdesk.paths import data_dir
from actdesk.settings import Settings

SECTION = "engagement"


@dataclass
class EngagementSettings:
    SECTION: ClassVar[str] = SECTION  # its section of the settings file

    questionnaire_enabled: bool = True
    # Sent this many days before each scheduled review (semi-annual reviews: two questionnaires a year).
    questionnaire_days_before: int = 21
    followup_due_days: int = 7  # the suggested follow-up call is due this many days after the event is filed
    brochures_folder: str = ""  # empty: <data dir>/brochures
    questionnaires_folder: str = ""  # empty: <data dir>/questionnaires (an edited copy overrides the default)
    referral_top: int = 10
    referral_ask_again_days: int = 180


def load_engagement_settings(settings: Settings) -> EngagementSettings:
    return settings.section(EngagementSettings)


def brochures_dir(cfg: EngagementSettings) -> Path:
    return Path(cfg.brochures_folder) if cfg.brochures_folder else data_dir() / "brochures"


def questionnaires_dir(cfg: EngagementSettings) -> Path:
    return Path(cfg.questionnaires_folder) if cfg.questionnaires_folder else data_dir() / "questionnaires"
