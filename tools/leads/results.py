"""Typed results of the leads tools (light: imports nothing heavy, safe for skills and render)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

FIT_SCORE_LABEL = "fit score"


@dataclass
class Reason:
    """One factor behind a score, in words, with the direction it pushes ("+" or "-")."""

    phrase: str
    direction: str  # "+" or "-"
    weight: float = 0.0  # log-odds contribution (model) or points (fit score)

    def __str__(self) -> str:
        return f"{self.phrase}: {self.direction}"


@dataclass
class LeadCard:
    """A lead with its score, probability, reasons and owner: the answer to "lead 123"."""

    lead_id: int
    name: str
    email: str | None
    company: str | None
    title: str | None
    source: str | None
    status: str
    created_at: datetime | None
    owner: str | None
    score: int | None
    probability: float | None  # None for a fit score: it is points, not a probability
    reasons: list[Reason] = field(default_factory=list)
    model_version: str | None = None  # None: the cold-start fit score
    scored_at: datetime | None = None
    stored: bool = True  # False when scored on the fly for this answer
    note: str | None = None  # e.g. "it scores 77 now, not 82"
    employees: int | None = None  # the lead's company size, one of what the score reads
    industry: str | None = None  # the lead's industry, another
    country: str | None = None

    @property
    def scored_by(self) -> str:
        return f"model {self.model_version}" if self.model_version else FIT_SCORE_LABEL


@dataclass
class LeadList:
    """A ranked list of leads ("top 10 leads this week", "my best leads")."""

    title: str
    leads: list[LeadCard]
    model_version: str | None = None
    note: str | None = None  # e.g. the cold-start explanation, or why the list is empty

    @property
    def scored_by(self) -> str:
        return f"model {self.model_version}" if self.model_version else FIT_SCORE_LABEL


@dataclass
class CalibrationBin:
    lower: float
    upper: float
    count: int
    mean_predicted: float
    observed_rate: float


@dataclass
class TrainReport:
    """What `crmbot leads train` did: the holdout figures, the ceiling on demo data, the model."""

    trained: bool  # False in cold start (too little data): ``message`` says what is needed
    message: str
    as_of: date
    n_closed: int
    n_converted: int
    version: str | None = None
    path: str | None = None
    model_name: str | None = None
    n_train: int = 0
    n_test: int = 0
    split_at: datetime | None = None
    auc: float | None = None
    brier: float | None = None
    ece: float | None = None
    calibration: list[CalibrationBin] = field(default_factory=list)
    ceiling_auc: float | None = None  # AUC of the demo's true probabilities on the same holdout
    ceiling_brier: float | None = None
    top_features: list[tuple[str, float]] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def auc_ratio(self) -> float | None:
        if self.auc is None or not self.ceiling_auc:
            return None
        return self.auc / self.ceiling_auc


@dataclass
class ScoreRun:
    """What `crmbot leads score` wrote."""

    scored: int
    model_version: str | None  # None: the cold-start fit score
    as_of: date
    seconds: float
    message: str = ""
    trained_first: bool = False

    @property
    def scored_by(self) -> str:
        return f"model {self.model_version}" if self.model_version else FIT_SCORE_LABEL


@dataclass
class LeadExplanation:
    """Why a lead scores what it does, in words, with the lead's card (its row): the answer to "why is it
    scored like that?"."""

    card: LeadCard
    text: str
