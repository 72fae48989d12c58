"""Column typing and encoding for :class:`tools.ml.TabularClassifier` (internal).

The preprocessor is fitted once on the training frame (it never looks at the target) and
turns any frame with the same column names into two representations:

* a sparse *linear design* for the logistic model: numeric-like columns are median-imputed,
  clipped to their 0.1/99.9 % training quantiles and standardized, with a 0/1 missing
  indicator when the column had missing values in training; categorical columns are
  one-hot encoded (kept categories, an ``other`` bucket for infrequent values, a
  ``missing`` bucket), unseen values at predict time map to ``other`` or to all-zeros.
* a dense *tree matrix* for the gradient boosting model: one column per original column,
  raw numeric values with NaN kept (the GBM handles missing values natively) and
  categorical columns as ordinal codes for native categorical support.

Column kinds: numeric, boolean (0/1), datetime (days since 1970-01-01 UTC), timedelta
(days), category (anything else, compared as stripped strings; "" counts as missing).
Columns that are entirely missing in training are dropped.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from pandas.api.types import (
    infer_dtype,
    is_bool_dtype,
    is_datetime64_any_dtype,
    is_numeric_dtype,
    is_timedelta64_dtype,
)
from scipy import sparse

NUMERIC = "numeric"
BOOLEAN = "boolean"
DATETIME = "datetime"
TIMEDELTA = "timedelta"
CATEGORY = "category"
NUMERIC_KINDS = (NUMERIC, BOOLEAN, DATETIME, TIMEDELTA)

# Categorical codes used in the cleaned representation.
MISSING_CODE = -1

_EPOCH = pd.Timestamp("1970-01-01", tz="UTC")
_DAY = pd.Timedelta(days=1)
_TRUE = frozenset({"true", "t", "yes", "y", "1"})
_FALSE = frozenset({"false", "f", "no", "n", "0"})
_CLIP_QUANTILES = (0.001, 0.999)


def infer_kind(s: pd.Series) -> str:
    """Return the column kind used for encoding (see module docstring)."""
    dtype = s.dtype
    if is_bool_dtype(dtype):
        return BOOLEAN
    if is_datetime64_any_dtype(dtype):
        return DATETIME
    if is_timedelta64_dtype(dtype):
        return TIMEDELTA
    if isinstance(dtype, pd.CategoricalDtype):
        return CATEGORY
    if is_numeric_dtype(dtype):
        return NUMERIC
    inferred = infer_dtype(s, skipna=True)
    if inferred == "boolean":
        return BOOLEAN
    if inferred in ("integer", "floating", "mixed-integer-float", "decimal"):
        return NUMERIC
    if inferred in ("datetime", "datetime64", "date"):
        return DATETIME
    if inferred in ("timedelta", "timedelta64"):
        return TIMEDELTA
    return CATEGORY


def _finite(v: np.ndarray) -> np.ndarray:
    v = np.asarray(v, dtype=float)
    bad = ~np.isfinite(v)
    if bad.any():
        v = v.copy()
        v[bad] = np.nan
    return v


def to_float(s: pd.Series) -> np.ndarray:
    """Numeric column -> float array (NaN for missing / unparseable / infinite)."""
    if is_numeric_dtype(s.dtype) or is_bool_dtype(s.dtype):
        return _finite(s.to_numpy(dtype=float, na_value=np.nan))
    v = pd.to_numeric(s, errors="coerce")
    return _finite(pd.Series(v).to_numpy(dtype=float, na_value=np.nan))


def _bool_value(v: object) -> float:
    if v is None or v is pd.NA:
        return math.nan
    if isinstance(v, (bool, np.bool_)):
        return float(v)
    if isinstance(v, (int, float, np.number)):
        f = float(v)
        return f if math.isfinite(f) else math.nan
    if isinstance(v, str):
        t = v.strip().lower()
        if t in _TRUE:
            return 1.0
        if t in _FALSE:
            return 0.0
    return math.nan


def to_bool_float(s: pd.Series) -> np.ndarray:
    """Boolean column -> 0.0/1.0 (NaN for missing); accepts "yes"/"no"/"true"/... strings."""
    if is_bool_dtype(s.dtype) or is_numeric_dtype(s.dtype):
        return _finite(s.to_numpy(dtype=float, na_value=np.nan))
    values = s.to_numpy(dtype=object)
    return np.fromiter((_bool_value(v) for v in values), dtype=float, count=len(values))


def to_days(s: pd.Series, kind: str) -> np.ndarray:
    """Datetime column -> days since 1970-01-01 UTC; timedelta column -> days."""
    try:
        if kind == TIMEDELTA:
            td = pd.to_timedelta(s, errors="coerce")
            return _finite(pd.Series(td / _DAY).to_numpy(dtype=float, na_value=np.nan))
        if is_datetime64_any_dtype(s.dtype):
            dt = pd.to_datetime(s, utc=True)
        else:
            dt = pd.to_datetime(s, errors="coerce", utc=True, format="ISO8601")
        return _finite(pd.Series((dt - _EPOCH) / _DAY).to_numpy(dtype=float, na_value=np.nan))
    except (TypeError, ValueError, OverflowError):
        return np.full(len(s), np.nan)


def _clean_value(u: object) -> str | None:
    if u is None or u is pd.NA or u is pd.NaT:
        return None
    if isinstance(u, (float, np.floating)):
        f = float(u)
        if math.isnan(f):
            return None
        if f.is_integer() and abs(f) < 2**53:
            return str(int(f))
        return str(f)
    t = (u if isinstance(u, str) else str(u)).strip()
    return t or None


def factorize_clean(s: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Categorical column -> (codes into uniques, -1 for missing; cleaned unique strings).

    Cleaning (strip, "" -> missing, 3.0 -> "3") is applied to the distinct values only, so
    it stays cheap on millions of rows. Distinct raw values may clean to the same string.
    """
    if isinstance(s.dtype, pd.CategoricalDtype):
        codes = s.cat.codes.to_numpy()
        uniques = s.cat.categories.to_numpy(dtype=object)
    else:
        codes, uniques = pd.factorize(s, use_na_sentinel=True)
        uniques = np.asarray(uniques, dtype=object)
    clean = np.empty(len(uniques), dtype=object)
    if infer_dtype(uniques, skipna=False) == "string":  # fast path: all str
        clean[:] = [u.strip() or None for u in uniques]
    else:
        clean[:] = [_clean_value(u) for u in uniques]
    return np.asarray(codes, dtype=np.int64), clean


def to_str(s: pd.Series) -> np.ndarray:
    """Categorical column -> object array of cleaned strings, None for missing."""
    codes, clean = factorize_clean(s)
    out = np.full(len(s), None, dtype=object)
    ok = codes >= 0
    out[ok] = clean[codes[ok]]
    return out


@dataclass
class Column:
    """Fitted encoding state of one original column."""

    name: object
    label: str
    kind: str
    has_missing: bool = False
    # numeric-like kinds
    median: float = 0.0
    lo: float = 0.0
    hi: float = 0.0
    mean: float = 0.0
    std: float = 1.0
    # category kind
    categories: list[str] = field(default_factory=list)
    has_other: bool = False
    # reference value in the tree matrix (median / most frequent code, NaN = missing)
    reference: float = math.nan

    def clean(self, s: pd.Series | None, n: int) -> np.ndarray:
        """Raw column (or None when absent) -> float array (numeric kinds) or int codes.

        Category codes: 0..k-1 kept categories, k other/unseen, -1 (MISSING_CODE) missing.
        """
        if self.kind == CATEGORY:
            if s is None:
                return np.full(n, MISSING_CODE, dtype=np.int64)
            raw_codes, clean = factorize_clean(s)
            return np.where(raw_codes < 0, MISSING_CODE, self._unique_codes(clean)[raw_codes])
        if s is None:
            return np.full(n, np.nan)
        if self.kind == NUMERIC:
            return to_float(s)
        if self.kind == BOOLEAN:
            return to_bool_float(s)
        return to_days(s, self.kind)

    def _unique_codes(self, clean: np.ndarray) -> np.ndarray:
        k = len(self.categories)
        idx = pd.Index(self.categories, dtype=object).get_indexer(clean) if len(clean) else np.zeros(0, int)
        codes = np.where(idx < 0, k, idx).astype(np.int64)
        codes[pd.isna(clean)] = MISSING_CODE
        # one trailing slot so that indexing with raw code -1 is valid (masked by the caller)
        return np.append(codes, MISSING_CODE)

    def display(self, s: pd.Series | None, n: int) -> np.ndarray:
        """Values used to name explanation factors (strings/None or floats/NaN)."""
        if self.kind == CATEGORY:
            return np.full(n, None, dtype=object) if s is None else to_str(s)
        return self.clean(s, n)


class Preprocessor:
    """Target-free column encoder; see the module docstring."""

    def __init__(self, max_categories: int, min_frequency: int | float):
        self.max_categories = max_categories
        self.min_frequency = min_frequency

    # ------------------------------------------------------------------ fitting
    def fit(self, X: pd.DataFrame) -> Preprocessor:
        n = len(X)
        if isinstance(self.min_frequency, float) and self.min_frequency < 1:
            min_count = max(1, int(math.ceil(self.min_frequency * n)))
        else:
            min_count = max(1, int(self.min_frequency))
        self.columns: list[Column] = []
        self.dropped: list[object] = []
        for name in X.columns:
            s = X[name]
            kind = infer_kind(s)
            col = Column(name=name, label=str(name), kind=kind)
            if kind == CATEGORY:
                raw_codes, clean = factorize_clean(s)
                raw_counts = np.bincount(raw_codes[raw_codes >= 0], minlength=len(clean))
                counts = pd.Series(raw_counts).groupby(pd.Series(clean, dtype=object)).sum()
                counts = counts[counts > 0]
                if counts.empty:
                    self.dropped.append(name)
                    continue
                items = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
                kept = [str(c) for c, cnt in items if cnt >= min_count][: self.max_categories]
                col.categories = kept
                col.has_other = len(kept) < len(items)
                codes = col.clean(s, n)
                col.has_missing = bool((codes == MISSING_CODE).any())
                mode = int(np.argmax(np.bincount(codes + 1))) - 1
                col.reference = math.nan if mode == MISSING_CODE else float(mode)
            else:
                values = col.clean(s, n)
                finite = values[~np.isnan(values)]
                if finite.size == 0:
                    self.dropped.append(name)
                    continue
                col.has_missing = finite.size < n
                col.median = float(np.median(finite))
                lo, hi = np.quantile(finite, _CLIP_QUANTILES)
                col.lo, col.hi = float(lo), float(hi)
                z = np.clip(np.where(np.isnan(values), col.median, values), col.lo, col.hi)
                col.mean = float(z.mean())
                std = float(z.std())
                col.std = std if std > 1e-12 else 1.0
                col.reference = col.median
            self.columns.append(col)
        self._build_layout()
        return self

    def _build_layout(self) -> None:
        names: list[str] = []
        groups: list[int] = []
        # numeric-like columns first (dense block), then one-hot blocks.
        self._num_idx = [j for j, c in enumerate(self.columns) if c.kind != CATEGORY]
        self._cat_idx = [j for j, c in enumerate(self.columns) if c.kind == CATEGORY]
        for j in self._num_idx:
            c = self.columns[j]
            names.append(c.label)
            groups.append(j)
        for j in self._num_idx:
            c = self.columns[j]
            if c.has_missing:
                names.append(f"{c.label}=missing")
                groups.append(j)
        self._n_dense = len(names)
        self._cat_offset: dict[int, int] = {}
        self._cat_map: dict[int, np.ndarray] = {}
        for j in self._cat_idx:
            c = self.columns[j]
            k = len(c.categories)
            self._cat_offset[j] = len(names)
            names.extend(f"{c.label}={v}" for v in c.categories)
            # lookup: code + 1 -> design column within the block (-1: none); index 0 = missing
            lookup = np.full(k + 2, -1, dtype=np.int64)
            lookup[1 : k + 1] = np.arange(k)
            nxt = k
            if c.has_other:
                names.append(f"{c.label}=other")
                lookup[k + 1] = nxt
                nxt += 1
            if c.has_missing:
                names.append(f"{c.label}=missing")
                lookup[0] = nxt
                nxt += 1
            groups.extend([j] * nxt)
            self._cat_map[j] = lookup
        self.design_names = names
        self.design_groups = np.asarray(groups, dtype=np.int64)

    @property
    def labels(self) -> list[str]:
        return [c.label for c in self.columns]

    @property
    def categorical_mask(self) -> np.ndarray:
        return np.array([c.kind == CATEGORY for c in self.columns], dtype=bool)

    # --------------------------------------------------------------- transform
    def clean(self, X: pd.DataFrame) -> list[np.ndarray]:
        """Per fitted column: floats (numeric kinds) or int codes (category)."""
        n = len(X)
        return [c.clean(X[c.name] if c.name in X.columns else None, n) for c in self.columns]

    def display_values(self, X: pd.DataFrame) -> list[np.ndarray]:
        """Per fitted column, the cleaned values used to name explanation factors."""
        n = len(X)
        return [c.display(X[c.name] if c.name in X.columns else None, n) for c in self.columns]

    def tree_matrix(self, cleaned: list[np.ndarray]) -> np.ndarray:
        n = len(cleaned[0]) if cleaned else 0
        M = np.empty((n, len(self.columns)), dtype=float)
        for j, (c, v) in enumerate(zip(self.columns, cleaned, strict=True)):
            if c.kind == CATEGORY:
                col = v.astype(float)
                col[v == MISSING_CODE] = np.nan
                M[:, j] = col
            else:
                M[:, j] = v
        return M

    def linear_matrix(self, cleaned: list[np.ndarray]) -> sparse.csr_matrix:
        n = len(cleaned[0]) if cleaned else 0
        dense = np.zeros((n, self._n_dense), dtype=float)
        pos = len(self._num_idx)
        for i, j in enumerate(self._num_idx):
            c, v = self.columns[j], cleaned[j]
            miss = np.isnan(v)
            z = np.clip(np.where(miss, c.median, v), c.lo, c.hi)
            dense[:, i] = (z - c.mean) / c.std
            if c.has_missing:
                dense[:, pos] = miss
                pos += 1
        blocks = [sparse.csr_matrix(dense)]
        n_onehot = len(self.design_names) - self._n_dense
        if n_onehot:
            rows, cols = [], []
            for j in self._cat_idx:
                lookup = self._cat_map[j]
                d = lookup[cleaned[j] + 1]
                ok = d >= 0
                rows.append(np.nonzero(ok)[0])
                cols.append(d[ok] + (self._cat_offset[j] - self._n_dense))
            r = np.concatenate(rows)
            k = np.concatenate(cols)
            onehot = sparse.csr_matrix((np.ones(len(r)), (r, k)), shape=(n, n_onehot))
            blocks.append(onehot)
        return sparse.hstack(blocks, format="csr")
