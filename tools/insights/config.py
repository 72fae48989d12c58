"""The knobs of the insights job: health weights, band and risk cut-offs, caps, thresholds.

Defaults are documented below. Settings override them (``health_green_min``,
``health_yellow_min``, ``churn_medium_min``, ``churn_high_min``), and a health model file
(``CRMBOT_HEALTH_MODEL_FILE``, YAML) overrides those; the file is validated when it is read,
and a mistake in it stops the job with a message that says what to fix:

    weights: {engagement: 40, payment: 40, support: 20}   # percent, adding up to 100
    bands: {green_min: 70, yellow_min: 45}                  # health at or above each cut-off
    caps: {component_floor: 30, serious_overdue_days: 60}
    alerts: {health_drop: 15}
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator


@dataclass(frozen=True)
class InsightConfig:
    # Health = weighted mean of the three components (percent; they add up to 100).
    weight_engagement: float = 40.0
    weight_payment: float = 40.0
    weight_support: float = 20.0
    health_green_min: float = 70.0
    health_yellow_min: float = 45.0
    # Band caps: a component below this floor caps the band at yellow...
    component_floor: float = 30.0
    # ...and a balance this many days past due caps it at red ("seriously overdue").
    serious_overdue_days: int = 60
    # Churn risk levels from the probability of churning within the horizon.
    churn_medium_min: float = 0.15
    churn_high_min: float = 0.35
    churn_horizon_days: int = 180
    # Alerts: a drop of at least this many health points.
    alert_health_drop: float = 15.0
    # Training needs at least this much history, else the rule-based estimate is used.
    min_churned_companies: int = 30
    min_snapshots: int = 200
    # Where the health model came from: "defaults", "settings" or the file's path.
    source: str = "defaults"

    @property
    def weights(self) -> dict[str, float]:
        """The component weights as fractions of 1."""
        total = self.weight_engagement + self.weight_payment + self.weight_support
        return {
            "engagement": self.weight_engagement / total,
            "payment": self.weight_payment / total,
            "support": self.weight_support / total,
        }

    def health_model(self) -> dict:
        """What a card and an explanation show: weights (percent), bands and caps in use."""
        return {
            "weights": {
                "engagement": self.weight_engagement,
                "payment": self.weight_payment,
                "support": self.weight_support,
            },
            "bands": {"green_min": self.health_green_min, "yellow_min": self.health_yellow_min},
            "caps": {
                "component_floor": self.component_floor,
                "serious_overdue_days": self.serious_overdue_days,
            },
            "source": self.source,
        }

    @classmethod
    def from_settings(cls, settings=None) -> InsightConfig:
        if settings is None:
            from crmbot.settings import get_settings

            settings = get_settings()
        names = ("health_green_min", "health_yellow_min", "churn_medium_min", "churn_high_min")
        values = {n: float(getattr(settings, n)) for n in names if getattr(settings, n, None) is not None}
        config = cls(**values)
        if any(values.get(n) != getattr(cls, n) for n in values):
            config = replace(config, source="settings")
        path = getattr(settings, "health_model_file", None)
        return with_health_model_file(config, path) if path else config


class HealthModelError(ValueError):
    """The health model file cannot be used; the message says what to change."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _Weights(_Strict):
    engagement: float = Field(40.0, ge=0, le=100)
    payment: float = Field(40.0, ge=0, le=100)
    support: float = Field(20.0, ge=0, le=100)

    @model_validator(mode="after")
    def _add_up_to_100(self):
        total = self.engagement + self.payment + self.support
        if abs(total - 100.0) > 1e-6:
            raise ValueError(f"the weights must add up to 100 (they add up to {total:g})")
        return self


class _Bands(_Strict):
    green_min: float = Field(70.0, gt=0, le=100)
    yellow_min: float = Field(45.0, gt=0, le=100)

    @model_validator(mode="after")
    def _ordered(self):
        if not self.yellow_min < self.green_min:
            raise ValueError(f"yellow_min ({self.yellow_min:g}) must be below green_min ({self.green_min:g})")
        return self


class _Caps(_Strict):
    component_floor: float = Field(30.0, ge=0, le=100)
    serious_overdue_days: int = Field(60, ge=1, le=3650)


class _Alerts(_Strict):
    health_drop: float = Field(15.0, gt=0, le=100)


class HealthModelFile(_Strict):
    """The health model file's schema: every section optional, unknown keys refused."""

    weights: _Weights | None = None
    bands: _Bands | None = None
    caps: _Caps | None = None
    alerts: _Alerts | None = None


def load_health_model(path: str | Path) -> HealthModelFile:
    """Read and validate a health model file, or raise HealthModelError saying what is wrong."""
    import yaml

    path = Path(path)
    where = f"The health model file {path}"
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise HealthModelError(f"{where} does not exist (CRMBOT_HEALTH_MODEL_FILE).") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise HealthModelError(f"{where} cannot be read: {exc}.") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" at line {mark.line + 1}" if mark is not None else ""
        raise HealthModelError(f"{where} is not valid YAML{line}.") from exc
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise HealthModelError(f"{where} must be a mapping with weights, bands, caps or alerts.")
    try:
        return HealthModelFile.model_validate(raw)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            place = ".".join(str(p) for p in err["loc"])
            message = err["msg"].removeprefix("Value error, ")
            if err["type"] == "extra_forbidden":
                message = "unknown setting (allowed: weights, bands, caps, alerts and their documented keys)"
            problems.append(f"{place}: {message}" if place else message)
        raise HealthModelError(
            f"{where} is not valid: " + "; ".join(problems) + ". Nothing was changed."
        ) from exc


def with_health_model_file(config: InsightConfig, path: str | Path) -> InsightConfig:
    """``config`` with what the file sets (sections it leaves out keep their values)."""
    model = load_health_model(path)
    values: dict = {"source": str(path)}
    if model.weights:
        values |= {
            "weight_engagement": model.weights.engagement,
            "weight_payment": model.weights.payment,
            "weight_support": model.weights.support,
        }
    if model.bands:
        values |= {"health_green_min": model.bands.green_min, "health_yellow_min": model.bands.yellow_min}
    if model.caps:
        values |= {
            "component_floor": model.caps.component_floor,
            "serious_overdue_days": model.caps.serious_overdue_days,
        }
    if model.alerts:
        values["alert_health_drop"] = model.alerts.health_drop
    return replace(config, **values)
