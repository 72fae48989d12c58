"""How a ReportResult looks: JSON for `crmbot ask --json`, a rich table, Slack blocks."""

from __future__ import annotations

import hashlib

from bot.render import SECTION_LIMIT, context, escape, section, to_blocks, to_data, to_text
from tools.reports.formatting import NUMERIC_FORMATS, display
from tools.reports.results import ReportResult

SLACK_TABLE_ROWS = 99  # plus the header row: Slack's limit is 100
SLACK_TABLE_COLUMNS = 20
TEXT_ROWS = 100


def answer_key(result: ReportResult) -> str:
    """A short key for the buttons: the same question and SQL give the same key."""
    return hashlib.sha256(f"{result.question}\x00{result.sql or ''}".encode()).hexdigest()[:16]


@to_data.register
def _(result: ReportResult) -> dict:
    return {
        "question": result.question,
        "interpretation": result.interpretation,
        "sql": result.sql,
        "columns": list(result.columns),
        "rows": [list(row) for row in result.rows],
        "answer": result.answer,
        "chart": result.chart,
        "refused": result.refused,
        "reason": result.reason,
        "choices": list(result.choices),
        "truncated": result.truncated,
        "csv": result.csv,
        "source": result.source,
        "query": result.query,
    }


def _cells(result: ReportResult, short: bool = False) -> list[list[str]]:
    formats = result.formats or ["text"] * len(result.columns)
    return [[display(v, f, short) for v, f in zip(row, formats, strict=False)] for row in result.rows]


@to_text.register
def _(result: ReportResult) -> str:
    if result.refused:
        text = result.reason or result.answer or "I can't answer that."
        if result.choices:
            text += "\n" + "\n".join(f"  {i}. {c}" for i, c in enumerate(result.choices, 1))
        return text
    from rich.console import Console
    from rich.table import Table

    table = Table(show_header=True, header_style="bold")
    formats = result.formats or ["text"] * len(result.columns)
    for name, fmt in zip(result.columns, formats, strict=False):
        table.add_column(name, justify="right" if fmt in NUMERIC_FORMATS else "left")
    for row in _cells(result)[:TEXT_ROWS]:
        table.add_row(*row)
    console = Console(record=True, width=120, file=_NullFile())
    console.print(result.answer, markup=False, highlight=False)
    if result.interpretation:
        console.print(f"Interpretation: {result.interpretation}", markup=False, highlight=False)
    if result.columns and not (len(result.rows) == 1 and len(result.columns) == 1):
        console.print(table)
    if len(result.rows) > TEXT_ROWS:
        console.print(
            f"... {len(result.rows) - TEXT_ROWS:,} more rows"
            + (f" (all in {result.csv})" if result.csv else ""),
            markup=False,
        )
    if result.chart:
        console.print(f"Chart: {result.chart}", markup=False, highlight=False)
    if result.sql:
        console.print(f"SQL: {result.sql}", markup=False, highlight=False)
    return console.export_text().rstrip()


class _NullFile:
    def write(self, _text: str) -> int:
        return 0

    def flush(self) -> None:
        pass


@to_blocks.register
def _(result: ReportResult) -> list[dict]:
    if result.refused:
        blocks = [section(result.reason or result.answer)]
        if result.choices:
            blocks.append(section("\n".join(f"• {c}" for c in result.choices[:20])))
        return blocks
    blocks = [section(f"*{result.answer}*")]
    if result.interpretation:
        blocks.append(context(result.interpretation))
    fits = len(result.rows) <= SLACK_TABLE_ROWS and len(result.columns) <= SLACK_TABLE_COLUMNS
    if result.columns and not (len(result.rows) == 1 and len(result.columns) == 1):
        if fits and result.rows:
            blocks.append(table_block(result))
        else:
            blocks.append(section(_text_table(result)))
            if result.csv:
                blocks.append(context(f"All {len(result.rows):,} rows are in the attached CSV."))
    blocks.append(_buttons(result))
    return blocks


def table_block(result: ReportResult) -> dict:
    """Slack's table block: a header row, then the rows as raw text, numbers right-aligned."""
    formats = result.formats or ["text"] * len(result.columns)
    header = [{"type": "raw_text", "text": str(c)} for c in result.columns]
    rows = [[{"type": "raw_text", "text": cell} for cell in row] for row in _cells(result)[:SLACK_TABLE_ROWS]]
    settings = [
        {"align": "right" if f in NUMERIC_FORMATS else "left", "is_wrapped": f == "text"} for f in formats
    ]
    return {"type": "table", "rows": [header, *rows], "column_settings": settings}


def _text_table(result: ReportResult) -> str:
    """A fallback for results too big for a table block: the first rows, monospaced."""
    lines = [" | ".join(result.columns)]
    for row in _cells(result):
        line = " | ".join(row)
        if sum(len(escape(x)) + 1 for x in lines) + len(escape(line)) > SECTION_LIMIT - 80:
            lines.append(f"… {len(result.rows) - len(lines) + 1:,} more rows")
            break
        lines.append(line)
    return "```" + "\n".join(lines) + "```"


def _buttons(result: ReportResult) -> dict:
    key = answer_key(result)
    return {
        "type": "actions",
        "elements": [
            {
                "type": "button",
                "action_id": "report_show_sql",
                "text": {"type": "plain_text", "text": "Show SQL"},
                "value": key,
            },
            {
                "type": "button",
                "action_id": "report_feedback_right",
                "text": {"type": "plain_text", "text": "Right answer"},
                "style": "primary",
                "value": key,
            },
            {
                "type": "button",
                "action_id": "report_feedback_wrong",
                "text": {"type": "plain_text", "text": "Wrong answer"},
                "value": key,
            },
        ],
    }
