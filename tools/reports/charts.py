"""Charts chosen by the shape of a result, drawn with matplotlib (Agg) to PNG.

A time series -> a line; categories with one measure -> bars (horizontal when the labels
are long); a single figure or a list of records -> no chart. Files are named by a hash of
their content, so the same answer draws once. matplotlib is imported only when drawing.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from pathlib import Path

from tools.reports.formatting import NUMERIC_FORMATS, display
from tools.reports.results import ReportResult

MAX_BARS = 30
LONG_LABEL = 10


def chart_kind(result: ReportResult) -> str | None:
    """line, bar, barh or None, from the columns' formats and the number of rows."""
    if result.refused or not result.rows or len(result.columns) != 2 or len(result.formats) != 2:
        return None
    label_fmt, value_fmt = result.formats
    if value_fmt not in NUMERIC_FORMATS or (result.query or {}).get("list_records"):
        return None
    if label_fmt == "period":
        return "line" if len(result.rows) >= 2 else "bar"
    if label_fmt != "text" or len(result.rows) < 2 or len(result.rows) > MAX_BARS:
        return None
    longest = max(len(str(r[0])) for r in result.rows)
    return "barh" if longest > LONG_LABEL or len(result.rows) > 8 else "bar"


def render(result: ReportResult, folder: str | Path) -> str | None:
    """Draw the chart for ``result`` under ``folder``; returns the PNG path (None when no chart fits)."""
    kind = chart_kind(result)
    if kind is None:
        return None
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    title = _title(result)
    payload = json.dumps([kind, title, result.columns, result.formats, result.rows], default=str)
    path = folder / f"chart-{hashlib.sha256(payload.encode()).hexdigest()[:16]}.png"
    if not path.exists():
        _draw(result, kind, title, path)
    return str(path)


def _title(result: ReportResult) -> str:
    query = result.query or {}
    from tools.reports import semantic

    metric = semantic.model().metrics_by_name.get(query.get("metric", ""))
    name = metric.label if metric else result.columns[-1]
    groups = [
        g.split(":", 1)[1] if g.startswith("time:") else g.replace("_", " ")
        for g in query.get("group_by", [])
    ]
    title = name[:1].upper() + name[1:]
    if groups:
        title += " by " + " and ".join(groups)
    period = query.get("period")
    if period:
        title += f", {period['label']}"
        if period.get("start") and period.get("end"):
            title += f" ({period['start']} to {period['end']})"
    for f in query.get("filters", []):
        title += f" · {f['dimension'].replace('_', ' ')} {'≠' if f.get('negate') else '='} {', '.join(f['values'])}"
    return title


def _draw(result: ReportResult, kind: str, title: str, path: Path) -> None:
    # The object-oriented API with the Agg canvas: no pyplot, no global figure state, and a
    # third less to import on the `crmbot ask` path.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter

    grain = next(
        (g.split(":", 1)[1] for g in (result.query or {}).get("group_by", []) if g.startswith("time:")), None
    )
    labels = [
        _period_label(r[0], grain) if kind == "line" or grain else str(r[0]) if r[0] is not None else "(none)"
        for r in result.rows
    ]
    values = [float(r[1]) if r[1] is not None else 0.0 for r in result.rows]
    value_fmt = result.formats[1]
    axis_label = result.columns[1].replace("_", " ")
    if value_fmt == "rate":
        axis_label += " (%)"
    ticks = FuncFormatter(lambda v, _pos: display(v, value_fmt, short=True))

    fig = Figure(figsize=(8, 4.5), dpi=120)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    color = "#2E6FBA"
    if kind == "line":
        ax.plot(labels, values, marker="o", color=color, linewidth=2)
        ax.yaxis.set_major_formatter(ticks)
        ax.set_xlabel(result.columns[0])
        ax.set_ylabel(axis_label)
        step = max(1, len(labels) // 12)
        ax.set_xticks(range(0, len(labels), step))
        ax.set_xticklabels(labels[::step], rotation=45, ha="right", fontsize=8)
        ax.set_ylim(bottom=min(0, min(values)))
    elif kind == "bar":
        bars = ax.bar(labels, values, color=color)
        ax.yaxis.set_major_formatter(ticks)
        ax.set_xlabel(result.columns[0].replace("_", " "))
        ax.set_ylabel(axis_label)
        ax.bar_label(bars, labels=[display(v, value_fmt, short=True) for v in values], fontsize=8, padding=2)
        for tick in ax.get_xticklabels():
            tick.set(
                rotation=30 if len(labels) > 5 else 0,
                ha="right" if len(labels) > 5 else "center",
                fontsize=9,
            )
    else:
        order = list(range(len(labels)))[::-1]  # first row at the top
        bars = ax.barh([labels[i] for i in order], [values[i] for i in order], color=color)
        ax.xaxis.set_major_formatter(ticks)
        ax.set_xlabel(axis_label)
        ax.bar_label(
            bars, labels=[display(values[i], value_fmt, short=True) for i in order], fontsize=8, padding=2
        )
        ax.tick_params(axis="y", labelsize=8 if len(labels) > 12 else 9)
        ax.margins(x=0.12)
    ax.set_title(_wrap(title), fontsize=11, loc="left")
    ax.grid(axis="y" if kind != "barh" else "x", alpha=0.3)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    # a temporary name of this process and thread: two workers drawing the same chart never share it
    tmp = path.with_name(f"{path.stem}.{os.getpid()}.{threading.get_ident()}.tmp.png")
    fig.savefig(tmp)
    tmp.replace(path)


def _wrap(title: str, width: int = 80) -> str:
    if len(title) <= width:
        return title
    cut = title.rfind(" ", 0, width)
    return title[:cut] + "\n" + title[cut + 1 :]


def _period_label(value, grain: str | None) -> str:
    """2026-07-01 reads as "Jul 2026" by month, "Q3 2026" by quarter, "2026" by year."""
    text = str(value)
    if len(text) < 10 or grain in (None, "day", "week"):
        return text
    year, month = text[:4], int(text[5:7])
    if grain == "year":
        return year
    if grain == "quarter":
        return f"Q{(month - 1) // 3 + 1} {year}"
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    return f"{months[month - 1]} {year}"
