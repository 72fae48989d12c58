"""Reusable tabular ML for crmbot (lead scoring, churn prediction).

``TabularClassifier`` is a calibrated binary classifier for raw pandas DataFrames;
``tools.ml.metrics`` holds the evaluation helpers printed by ``crmbot leads train``.
"""

from .metrics import (
    brier_score,
    calibration_table,
    expected_calibration_error,
    format_calibration_table,
    log_loss,
    roc_auc,
)
from .tabular import TabularClassifier

__all__ = [
    "TabularClassifier",
    "brier_score",
    "calibration_table",
    "expected_calibration_error",
    "format_calibration_table",
    "log_loss",
    "roc_auc",
]
