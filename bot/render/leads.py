"""How lead cards, ranked lists, training reports and scoring runs look in text, Slack and JSON."""

from __future__ import annotations

from dataclasses import asdict

from bot.render import context, mrkdwn, section, to_blocks, to_data, to_text
from tools.leads.results import LeadCard, LeadExplanation, LeadList, Reason, ScoreRun, TrainReport

MAX_LIST_SECTIONS = 40  # Block Kit allows 50 blocks a message; keep room for header and notes


def _percent(p: float | None) -> str:
    return "n/a" if p is None else f"{p:.0%}"


def _score_line(card: LeadCard) -> str:
    if card.probability is None:
        return f"Fit score {card.score}/99 (points for fit, not a probability)"
    return f"Score {card.score}/99 · {_percent(card.probability)} likely to convert · {card.scored_by}"


def reasons_text(reasons: list[Reason]) -> str:
    """A lead's reasons as a sentence's list ("partner source: +, director-level title: +")."""
    return ", ".join(str(r) for r in reasons) or "no single factor stands out"


def _who(card: LeadCard) -> str:
    role = card.title or "no title"
    company = f" at {card.company}" if card.company else ""
    return f"{role}{company}"


@to_text.register
def _(card: LeadCard) -> str:
    lines = [
        f"Lead {card.lead_id} · {card.name} — {_who(card)}" + (f" <{card.email}>" if card.email else ""),
        _score_line(card),
        f"Why: {reasons_text(card.reasons)}",
        f"Owner: {card.owner or 'unassigned'} · source {card.source or 'unknown'} · status {card.status}"
        + (f" · created {card.created_at:%Y-%m-%d}" if card.created_at else "")
        + (f" · {card.employees:,} employees" if card.employees is not None else ""),
    ]
    if not card.stored:
        lines.append("(scored just now for this answer; not stored)")
    if card.note:
        lines.append(card.note)
    return "\n".join(lines)


@to_blocks.register
def _(card: LeadCard) -> list[dict]:
    fields = [
        ("Score", f"{card.score}/99" + (" (fit score)" if card.probability is None else "")),
        ("Probability", _percent(card.probability)),
        ("Owner", card.owner or "unassigned"),
        ("Company", card.company or "—"),
        ("Title", card.title or "—"),
        ("Source / status", f"{card.source or 'unknown'} / {card.status}"),
        ("Company size", f"{card.employees:,} employees" if card.employees is not None else "—"),
    ]
    blocks = [
        section(f"*{card.name}* (lead {card.lead_id})" + (f" · {card.email}" if card.email else "")),
        {"type": "section", "fields": [mrkdwn(f"*{k}*\n{v}", 2000) for k, v in fields]},
        section("*Why:* " + reasons_text(card.reasons)),
        context(f"Scored by {card.scored_by}"),
    ]
    if card.note:
        blocks.append(section(card.note))
    return blocks


CARD_COLUMNS = [
    "lead",
    "company",
    "status",
    "score",
    "conversion_probability",
    "owner",
    "source",
    "title",
    "employees",
    "industry",
    "country",
]


@to_data.register
def _(card: LeadCard) -> dict:
    data = asdict(card)
    data["reasons"] = [str(r) for r in card.reasons]
    data["scored_by"] = card.scored_by
    data["answer"] = to_text(card)
    # the card as one row, like a report's (the envelope's columns and rows)
    data["columns"] = CARD_COLUMNS
    data["rows"] = [_card_row(card)]
    return data


def _card_row(card: LeadCard) -> list:
    """A lead as one row of CARD_COLUMNS."""
    return [
        card.name,
        card.company,
        card.status,
        card.score,
        card.probability,
        card.owner,
        card.source,
        card.title,
        card.employees,
        card.industry,
        card.country,
    ]


@to_text.register
def _(why: LeadExplanation) -> str:
    return why.text


@to_blocks.register
def _(why: LeadExplanation) -> list[dict]:
    return [section(why.text), context(f"Lead {why.card.lead_id} · scored by {why.card.scored_by}")]


@to_data.register
def _(why: LeadExplanation) -> dict:
    card = why.card
    return {
        "answer": why.text,
        "lead_id": card.lead_id,
        "reasons": [str(r) for r in card.reasons],
        "columns": CARD_COLUMNS,  # the lead explained, as one row
        "rows": [_card_row(card)],
    }


def _table_rows(result: LeadList) -> list[list[str]]:
    return [
        [
            str(rank),
            str(card.score),
            _percent(card.probability) if card.probability is not None else "fit",
            card.name,
            card.company or "",
            card.title or "",
            card.owner or "",
            reasons_text(card.reasons[:2]),
        ]
        for rank, card in enumerate(result.leads, 1)
    ]


LIST_COLUMNS = ["#", "score", "prob", "lead", "company", "title", "owner", "top reasons"]


TEXT_WIDTHS = {"lead": 20, "company": 18, "title": 20, "owner": 14}


@to_text.register
def _(result: LeadList) -> str:
    """A ranked table, one lead a row, with its top reasons on the line below."""
    if not result.leads:
        return f"{result.title}: {result.note or 'no leads.'}"
    rows = _table_rows(result)
    caps = [3, 5, 4, TEXT_WIDTHS["lead"], TEXT_WIDTHS["company"], TEXT_WIDTHS["title"], TEXT_WIDTHS["owner"]]
    widths = [min(cap, max(len(r[i]) for r in [LIST_COLUMNS, *rows])) for i, cap in enumerate(caps)]

    def line(cells: list[str]) -> str:
        return "  ".join(c[:w].ljust(w) for c, w in zip(cells, widths, strict=False)).rstrip()

    lines = [f"{result.title} · scored by {result.scored_by}", line(LIST_COLUMNS)]
    for row in rows:
        lines.append(line(row))
        lines.append(" " * (widths[0] + 2) + row[-1])
    if result.note:
        lines.append(result.note)
    return "\n".join(lines)


@to_blocks.register
def _(result: LeadList) -> list[dict]:
    blocks = [section(f"*{result.title}* · scored by {result.scored_by}")]
    if not result.leads:
        return [*blocks, section(result.note or "No leads.")]
    for rank, card in enumerate(result.leads[:MAX_LIST_SECTIONS], 1):
        p = f" ({_percent(card.probability)})" if card.probability is not None else " (fit)"
        blocks.append(
            section(
                f"*{rank}. {card.name}* — {_who(card)} · *{card.score}*{p} · owner {card.owner or 'unassigned'}"
                f" · lead {card.lead_id}\n_{reasons_text(card.reasons)}_"
            )
        )
    if result.note:
        blocks.append(context(result.note))
    return blocks


@to_data.register
def _(result: LeadList) -> dict:
    return {
        "answer": to_text(result),
        "title": result.title,
        "scored_by": result.scored_by,
        "note": result.note,
        "columns": LIST_COLUMNS,
        "rows": _table_rows(result),
        "leads": [to_data(card) for card in result.leads],
    }


@to_text.register
def _(report: TrainReport) -> str:
    if not report.trained:
        return report.message
    lines = [
        report.message,
        f"Model: {report.model_name} · {report.n_closed:,} closed leads ({report.n_converted:,} converted)",
        f"Time holdout: trained on {report.n_train:,} leads created before {report.split_at:%Y-%m-%d}, "
        f"tested on the newest {report.n_test:,}",
        f"AUC {report.auc:.3f} · Brier {report.brier:.4f} · ECE (10 bins) {report.ece:.4f}",
    ]
    if report.ceiling_auc is not None:
        lines.append(
            f"Ceiling (demo true probabilities, same holdout): AUC {report.ceiling_auc:.3f} · "
            f"Brier {report.ceiling_brier:.4f} · model/ceiling AUC ratio {report.auc_ratio:.3f}"
        )
    lines.append("Calibration (holdout):")
    lines.append(f"{'bin':>11}  {'leads':>7}  {'predicted':>9}  {'observed':>8}")
    for b in report.calibration:
        lines.append(
            f"{b.lower:.1f}-{b.upper:.1f}".rjust(11)
            + f"  {b.count:>7d}  {b.mean_predicted:>9.3f}  {b.observed_rate:>8.3f}"
        )
    if report.top_features:
        lines.append(
            "Most influential features: " + ", ".join(f"{n} {w:.0%}" for n, w in report.top_features[:6])
        )
    lines.append(f"({report.seconds:.1f} s)")
    return "\n".join(lines)


@to_data.register
def _(report: TrainReport) -> dict:
    data = asdict(report)
    data["auc_ratio"] = report.auc_ratio
    data["answer"] = to_text(report)
    return data


@to_text.register
def _(run: ScoreRun) -> str:
    lines = [run.message] if run.message else []
    lines.append(
        f"Scored {run.scored:,} open leads with {run.scored_by} as of {run.as_of} in {run.seconds:.1f} s."
    )
    return "\n".join(lines)
