"""Every tunable number of the pipeline feature, read from the settings section "pipeline"."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from actdesk.i18n import N_, _

DEFAULT_STAGES = ["lead", "contacted", "meeting", "proposal", "won", "lost"]
DEFAULT_PROBABILITIES = {
    "lead": 0.1,
    "contacted": 0.2,
    "meeting": 0.4,
    "proposal": 0.6,
    "won": 1.0,
    "lost": 0.0,
}
# Weights of the fit score's weighted sum (docs/pipeline.md); they need not add up to 1.
DEFAULT_FIT_WEIGHTS = {
    "net_worth": 0.25,
    "income": 0.15,
    "age": 0.15,
    "risk_tolerance": 0.15,
    "occupation": 0.10,
    "location": 0.10,
    "source": 0.10,
}
# Minutes of the advisor's time one completed activity of each kind costs (cost to serve).
DEFAULT_MINUTES = {"call": 15, "meeting": 60, "review": 90, "task": 20, "email": 5, "event": 30}


@dataclass
class PipelineConfig:
    """Stages in board order; ``won_stage`` and ``lost_stage`` must be among them (the closed stages)."""

    SECTION: ClassVar[str] = "pipeline"  # its section of the settings file
    stages: list[str] = field(default_factory=lambda: list(DEFAULT_STAGES))
    won_stage: str = "won"
    lost_stage: str = "lost"
    probabilities: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_PROBABILITIES))
    fit_weights: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_FIT_WEIGHTS))
    unknown_similarity: float = 0.5  # an attribute the prospect's record lacks counts as half a match
    profile_low_quantile: float = 0.1  # the A-client range runs from this quantile ...
    profile_high_quantile: float = 0.9  # ... to this one, so one outlier does not stretch it
    age_tolerance_years: float = 15.0  # similarity falls to 0 this far outside the A-client age range
    money_tolerance_decades: float = 1.0  # ... and this many powers of ten outside the money ranges
    neighbours: int = 10  # "clients like you": how many nearest client households to look at
    min_support: float = 0.3  # ... and the share of them that must hold a thing for it to be suggested
    closed_days: int = 365  # the board shows won and lost opportunities closed this recently
    stale_days: int = 30  # an open card this long in one stage is shown as ageing
    activity_minutes: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_MINUTES))
    hourly_cost: float = 150.0  # what an hour of the advisor's (and staff's) time costs, in currency units

    def probability(self, stage: str) -> float:
        """The configured probability of closing from ``stage`` (won 1, lost 0 whatever the settings say)."""
        if stage == self.won_stage:
            return 1.0
        if stage == self.lost_stage:
            return 0.0
        return float(self.probabilities.get(stage, 0.0))

    @property
    def open_stages(self) -> list[str]:
        return [s for s in self.stages if s not in (self.won_stage, self.lost_stage)]

    def is_closed(self, stage: str) -> bool:
        return stage in (self.won_stage, self.lost_stage)


STAGE_LABELS = {
    "lead": N_("Lead"),
    "contacted": N_("Contacted"),
    "meeting": N_("Meeting"),
    "proposal": N_("Proposal"),
    "won": N_("Won"),
    "lost": N_("Lost"),
}
KIND_LABELS = {
    "new_household": N_("New household"),
    "rollover": N_("Rollover"),
    "consolidation": N_("Held-away consolidation"),
    "insurance": N_("Insurance"),
    "planning": N_("Planning"),
}


def stage_label(stage: str) -> str:
    """The translated name of a default stage; a stage the advisor configured is shown as written."""
    return _(STAGE_LABELS[stage]) if stage in STAGE_LABELS else stage


def kind_label(kind: str) -> str:
    return _(KIND_LABELS[kind]) if kind in KIND_LABELS else kind
