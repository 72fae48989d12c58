"""Charts are chosen by the result's shape and written as PNG files named by their content."""

from __future__ import annotations

from tools.reports.charts import chart_kind, render
from tools.reports.results import ReportResult


def _result(columns, formats, rows, **query):
    return ReportResult(
        question="q",
        columns=columns,
        formats=formats,
        rows=rows,
        query={"metric": "revenue", "group_by": [], **query},
    )


def test_shapes_pick_the_chart():
    series = _result(["month", "revenue"], ["period", "money"], [["2026-01-01", 10.0], ["2026-02-01", 12.0]])
    assert chart_kind(series) == "line"
    short = _result(["region", "revenue"], ["text", "money"], [["NA", 1.0], ["EMEA", 2.0]])
    assert chart_kind(short) == "bar"
    long = _result(
        ["customer", "revenue"], ["text", "money"], [["A very long company name", 1.0], ["B", 2.0]]
    )
    assert chart_kind(long) == "barh"
    assert chart_kind(_result(["revenue"], ["money"], [[5.0]])) is None
    records = _result(["deal", "amount"], ["text", "money"], [["a", 1.0], ["b", 2.0]], list_records=True)
    assert chart_kind(records) is None


def test_render_writes_a_png_once(tmp_path):
    result = _result(
        ["month", "revenue"],
        ["period", "money"],
        [["2026-01-01", 1_200_000.0], ["2026-02-01", 900_000.0], ["2026-03-01", 1_500_000.0]],
        group_by=["time:month"],
    )
    path = render(result, tmp_path / "charts")
    assert path and path.endswith(".png")
    with open(path, "rb") as handle:
        assert handle.read(8) == b"\x89PNG\r\n\x1a\n"
    assert render(result, tmp_path / "charts") == path
