"""The LLM report engine: a question -> SQL written by a model -> the guard -> read-only execution.

Used when an OpenAI-compatible endpoint is configured (OPENAI_BASE_URL and OPENAI_MODEL) for
questions the offline engine cannot express. The model sees the schema (generated from
db.models), the metric glossary, the time-word rules, today's date and the nearest verified
examples; it must answer with one SELECT. Its SQL is only ever parsed and checked by the guard,
then run read-only with a row limit and a timeout: never executed as code. On a guard or
database error it gets exactly one repair round with the error, then the bot refuses politely.
The whole answer, model calls and queries together, fits in the question's time budget
(CRMBOT_LLM_TIME_BUDGET_S, shared with the router's call when there was one); a reply longer
than CRMBOT_LLM_MAX_REPLY_CHARS is not used.

langchain and openai are imported inside functions: they are heavy and optional at run time.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date
from importlib import resources
from string import Template

from sqlalchemy import Engine

from tools.llm_client import LlmBudget, ModelTimeout, ReplyTooLong, call_within, chat_model, too_long_text
from tools.reports.results import ReportResult

log = logging.getLogger(__name__)

EXAMPLES_IN_PROMPT = 3
REFUSAL_SHOWN_CHARS = 500  # a model's reason for declining, as the user sees it
_SQL_BLOCK = re.compile(r"```(?:sql|postgresql|sqlite)?\s*\n?(.*?)```", re.IGNORECASE | re.DOTALL)
_REFUSAL = re.compile(r"^\s*REFUSE\s*:\s*(.+)", re.IGNORECASE | re.DOTALL)

DIALECT_NOTES = {
    "sqlite": (
        "SQLite notes: dates and timestamps are ISO text ('YYYY-MM-DD' / 'YYYY-MM-DD HH:MM:SS'). Use date(x),\n"
        "strftime('%Y-%m-01', x) for months, julianday(b) - julianday(a) for day differences; there is\n"
        "no date_trunc, no ::casts and no INTERVAL."
    ),
    "postgres": (
        "PostgreSQL notes: use date_trunc('month', x), CAST(x AS DATE), to_char(x, 'YYYY-MM-DD') for period\n"
        "labels, EXTRACT(EPOCH FROM b - a) / 3600 for hours, and CAST(b AS DATE) - CAST(a AS DATE) for days."
    ),
}


@dataclass
class ModelReply:
    """What the model said, parsed: SQL to check, or a refusal with its reason."""

    sql: str | None
    refusal: str | None
    raw: str


def answer(
    question: str,
    *,
    engine: Engine,
    today: date,
    settings=None,
    budget: LlmBudget | None = None,
    scope=None,
) -> ReportResult:
    """Answer ``question`` with model-written, guarded, read-only SQL; refusals, not exceptions.

    ``budget`` is the question's time on the model (a new one from settings when not given);
    ``scope`` the asker's data scope, applied to the model's SQL as to a person's (guard_scope).
    """
    from crmbot.settings import get_settings
    from tools.reports.execute import QueryError, dialect_of, fetch_bounded
    from tools.reports.guard import GuardError, check

    settings = settings or get_settings()
    result = ReportResult(question=question, source="llm")
    if not settings.llm_enabled:
        return _refuse(result, "The language model is not configured (set OPENAI_BASE_URL and OPENAI_MODEL).")
    budget = budget or LlmBudget(settings.llm_time_budget_s)
    dialect = dialect_of(engine)
    from tools.reports.guard_scope import scope_rewriter

    rewrite = scope_rewriter(scope, engine.dialect)
    row_limit = settings.report_row_limit
    examples = _retrieve_examples(question, engine)
    messages = build_messages(question, dialect=dialect, today=today, row_limit=row_limit, examples=examples)
    reply_text, error = "", None
    for attempt in range(2):  # the first try and one repair round
        if attempt:
            messages += _repair_messages(reply_text, error)
        try:
            reply_text = _ask(settings, budget, messages)
        except ModelTimeout:
            return _refuse(result, budget.out_of_time_text())
        except ReplyTooLong:
            return _refuse(result, too_long_text(settings.llm_max_reply_chars))
        except _model_errors() as exc:
            log.warning("the language model call failed: %s", type(exc).__name__)
            return _refuse(result, "The language model did not answer; please try again later.")
        reply = parse_reply(reply_text)
        if reply.refusal:
            return _refuse(result, reply.refusal)
        if not reply.sql:
            error = "the reply had no SQL query in a ```sql block"
            continue
        if budget.spent:
            return _refuse(result, budget.out_of_time_text())
        try:
            result.sql = check(reply.sql, dialect, row_limit=row_limit, rewrite=rewrite)
            fetched = fetch_bounded(
                engine,
                reply.sql,
                row_limit=row_limit,
                timeout_s=min(settings.statement_timeout_s, budget.remaining()),
                rewrite=rewrite,
            )
        except (GuardError, QueryError) as exc:
            error = str(exc)
            result.sql = None
            continue
        result.columns, result.rows, result.truncated = fetched.columns, fetched.rows, fetched.truncated
        result.interpretation = (
            "SQL written by the language model from your question, checked by the SQL guard"
        )
        result.answer = summarize(result, fetched.cut)
        if rewrite is not None and scope is not None and not scope.is_all:
            from tools.reports.scoped import scope_words

            result.interpretation += f", reading {scope_words(scope)}"
            result.answer += f" Counting {scope_words(scope)}."
        return result
    return _refuse(result, f"I could not write a safe query for that. The last problem was: {error}")


def build_messages(
    question: str, *, dialect: str, today: date, row_limit: int, examples: list[dict]
) -> list[tuple[str, str]]:
    """The conversation as (role, text) pairs: the system prompt, then the question with examples."""
    system = _template("reports_system.txt").safe_substitute(
        dialect=dialect,
        dialect_notes=DIALECT_NOTES.get(dialect, ""),
        today=today.isoformat(),
        row_limit=row_limit,
        schema=schema_text(),
        glossary=_prompt_file("reports_glossary.txt").strip(),
    )
    shots = "\n".join(
        _template("reports_example.txt").safe_substitute(question=e["question"], sql=e["sql"].strip())
        for e in examples
        if e.get("sql")
    )
    user = _template("reports_question.txt").safe_substitute(examples=shots, question=question.strip())
    return [("system", system), ("user", user.lstrip())]


def parse_reply(text: str) -> ModelReply:
    """Take the SQL out of a ```sql block (or the bare reply), or recognise a REFUSE: line."""
    text = text or ""
    refusal = _REFUSAL.match(text)
    if refusal:
        reason = refusal.group(1).strip().splitlines()[0]
        return ModelReply(sql=None, refusal=_clipped(reason, REFUSAL_SHOWN_CHARS), raw=text)
    block = _SQL_BLOCK.search(text)
    sql = block.group(1) if block else text
    sql = sql.strip()
    if not re.match(r"(?is)^\s*(with|select|\()", sql) and not block:
        return ModelReply(sql=None, refusal=None, raw=text)
    return ModelReply(sql=sql or None, refusal=None, raw=text)


def schema_text() -> str:
    """The tables as people write them in SQL (a team's physical names): columns with types,
    foreign keys and vocabularies, one compact line per table."""
    from db.models import Base
    from db.vocab import BY_COLUMN
    from tools.reports import semantic

    tables = semantic.model().sql_tables
    physical = {contract: t.name for contract, t in tables.items()}
    lines = []
    for contract, table in tables.items():
        parts = []
        for column in table.columns:
            text = f"{column.name} {column.type.compile().lower()}"
            source = column.key
            for fk in Base.metadata.tables[contract].c[source].foreign_keys:
                target_table, target_column = fk.target_fullname.split(".")
                target = tables.get(target_table)
                name = target.c[target_column].name if target is not None else target_column
                text += f" -> {physical.get(target_table, target_table)}.{name}"
            values = BY_COLUMN.get(f"{contract}.{source}")
            if values:
                text += " [" + ", ".join(values) + "]"
            parts.append(text)
        lines.append(f"{table.name}({', '.join(parts)})")
    return "\n".join(lines)


def summarize(result: ReportResult, cut: str | None = "rows") -> str:
    """One sentence with the key figure: the single value, or the size and the top row."""
    if not result.rows:
        return "No rows match."
    if len(result.rows) == 1 and len(result.columns) == 1 and not result.truncated:
        return f"{result.columns[0].replace('_', ' ')}: {result.rows[0][0]}."
    top = ", ".join(f"{c} {v}" for c, v in zip(result.columns, result.rows[0], strict=False))
    more = ""
    if result.truncated:
        more = " (cut at the size limit of one answer)" if cut == "bytes" else " (cut at the row limit)"
    return f"{len(result.rows):,} rows{more}; the first is {top}."


# --------------------------------------------------------------------------- internals


def _clipped(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _refuse(result: ReportResult, reason: str) -> ReportResult:
    result.refused = True
    result.reason = reason
    result.answer = reason
    result.columns, result.rows = [], []
    return result


def _retrieve_examples(question: str, engine: Engine) -> list[dict]:
    """The nearest verified examples; none when the store is empty or unusable (never fatal)."""
    from tools.reports.examples import similar

    try:
        return similar(question, k=EXAMPLES_IN_PROMPT, engine=engine)
    except Exception:  # noqa: BLE001 - retrieval only improves the prompt; answer without it
        log.warning("verified examples could not be retrieved", exc_info=True)
        return []


def _repair_messages(previous_reply: str, error: str | None) -> list[tuple[str, str]]:
    text = _template("reports_repair.txt").safe_substitute(error=error or "unknown problem")
    return [("assistant", previous_reply), ("user", text)]


def _ask(settings, budget: LlmBudget, messages: list[tuple[str, str]]) -> str:
    """The model's text within what is left of the budget; ReplyTooLong past the reply cap."""
    chat = chat_model(settings, timeout_s=budget.remaining())
    text = call_within(budget, lambda: _invoke(chat, messages))
    if len(text) > settings.llm_max_reply_chars:
        raise ReplyTooLong(f"{len(text):,} characters")
    return text


def _invoke(chat, messages: list[tuple[str, str]]) -> str:
    from langchain_core.messages import AIMessage, HumanMessage, SystemMessage

    kinds = {"system": SystemMessage, "user": HumanMessage, "assistant": AIMessage}
    reply = chat.invoke([kinds[role](content=text) for role, text in messages])
    content = reply.content
    if isinstance(content, list):  # content parts
        content = "".join(p.get("text", "") if isinstance(p, dict) else str(p) for p in content)
    return str(content)


def _model_errors() -> tuple[type[BaseException], ...]:
    import openai

    return (openai.OpenAIError,)


def _prompt_file(name: str) -> str:
    return resources.files("prompts").joinpath(name).read_text(encoding="utf-8")


def _template(name: str) -> Template:
    return Template(_prompt_file(name))
