"""Rendering of insight cards, at-risk lists and refresh summaries: terminal text, Block Kit, JSON."""

from __future__ import annotations

from dataclasses import asdict

from bot.render import context, mrkdwn, section, to_blocks, to_data, to_text
from tools.insights.results import AtRiskList, CompanyInsight, HealthModel, RefreshSummary

BAND_EMOJI = {"green": ":large_green_circle:", "yellow": ":large_yellow_circle:", "red": ":red_circle:"}
RISK_WORD = {"low": "Low", "medium": "Medium", "high": "High"}


def _count(value, word: str) -> str:
    n = round(float(value or 0))
    if n == 1:
        return f"1 {word}"
    return f"{n} {word[:-1]}ies" if word.endswith("y") else f"{n} {word}s"


COMPONENT_FACTS = {
    "engagement": lambda f: (
        f"last touch {f.get('days_since_activity', 0):.0f} days ago, {_count(f.get('activities_90'), 'activity')} "
        f"in 90 days (typical {f.get('typical_activities_90', 0):.0f}), {_count(f.get('contacts_90'), 'contact')}"
    ),
    "payment": lambda f: (
        f"{f.get('invoices_on_time_365', 0):.0f}/{f.get('invoices_due_365', 0):.0f} invoices on time, "
        f"{f.get('weighted_days_late', 0):.0f} days late on average, ${f.get('overdue_amount', 0):,.0f} overdue"
    ),
    "support": lambda f: (
        f"{_count(f.get('tickets_180'), 'ticket')} in 6 months, {f.get('urgent_high_90', 0):.0f} urgent/high in 90 days, "
        f"{f.get('open_over_week', 0):.0f} open over a week"
        + (f", CSAT {f['csat']:.1f}" if f.get("csat") is not None else "")
    ),
}


def _weight(card: CompanyInsight, name: str) -> str:
    """ " (40%)": the component's weight in the health score when the card was computed."""
    weight = card.weights.get(name)
    return f" ({weight:g}%)" if weight is not None else ""


def _money(value: float) -> str:
    return f"${value:,.0f}"


def _churn_line(card: CompanyInsight) -> str:
    line = f"Churn risk: {RISK_WORD[card.churn_risk]} ({card.churn_probability:.0%} within 6 months)"
    if card.predicted_churn_date:
        line += f", could churn around {card.predicted_churn_date.isoformat()}"
    if card.churn_method == "rules":
        line += " [rule-based estimate: not enough history to train a model]"
    return line


def _ltv_line(card: CompanyInsight) -> str:
    how = "BG/NBD + Gamma-Gamma" if card.ltv_method == "bgnbd" else "last 12 months' revenue"
    line = f"Lifetime value: {_money(card.ltv)} to date, {_money(card.predicted_ltv_12m)} expected in 12 months ({how})"
    if card.open_balance is not None:
        line += (
            f"\nOwes today: {_money(card.open_balance)} on {_count(card.open_invoices, 'unpaid invoice')}"
            if card.open_balance
            else "\nOwes nothing today."
        )
    return line


def _footer(card: CompanyInsight) -> str:
    if card.computed_now:
        return f"Computed just now for {card.computed_at}; run `crmbot insights refresh` to store insights."
    return f"Computed {card.computed_at}."


@to_text.register
def _(card: CompanyInsight) -> str:
    lines = [
        f"{card.company_name}" + (f" (owner: {card.owner_name})" if card.owner_name else ""),
        f"Health: {card.health_score:.0f}/100, {card.band.upper()}"
        + (f" ({card.band_note})" if card.band_note else ""),
    ]
    for comp in card.components:
        lines.append(
            f"  {comp.name.capitalize() + _weight(card, comp.name):<17}{comp.score:5.0f}  "
            f"{COMPONENT_FACTS[comp.name](comp.facts)}"
        )
    lines.append(_churn_line(card))
    lines.extend(f"  - {r.text}" for r in card.reasons)
    lines.append(_ltv_line(card))
    if card.recommendations:
        lines.append("Next actions:")
        lines.extend(f"  {i}. {r.action} ({r.reason})" for i, r in enumerate(card.recommendations, 1))
    lines.append(_footer(card))
    return "\n".join(lines)


@to_blocks.register
def _(card: CompanyInsight) -> list[dict]:
    header = f"{card.company_name}: health {card.health_score:.0f}/100"
    blocks: list[dict] = [
        {"type": "header", "text": {"type": "plain_text", "text": header[:150]}},
        section(
            f"{BAND_EMOJI.get(card.band, '')} *{card.band.capitalize()}*"
            + (f" ({card.band_note})" if card.band_note else "")
            + (f"  ·  owner: {card.owner_name}" if card.owner_name else "")
        ),
        {
            "type": "section",
            "fields": [
                mrkdwn(
                    f"*{c.name.capitalize()}*{_weight(card, c.name)} {c.score:.0f}\n{COMPONENT_FACTS[c.name](c.facts)}",
                    2000,
                )
                for c in card.components
            ],
        },
        section(f"*{_churn_line(card)}*\n" + "\n".join(f"• {r.text}" for r in card.reasons)),
        section(_ltv_line(card)),
    ]
    if card.recommendations:
        blocks.append(
            section(
                "*Next actions*\n"
                + "\n".join(f"{i}. *{r.action}*: {r.reason}" for i, r in enumerate(card.recommendations, 1))
            )
        )
    blocks.append(context(_footer(card)))
    return blocks


@to_data.register
def _(card: CompanyInsight) -> dict:
    data = asdict(card)
    data["predicted_churn_date"] = (
        card.predicted_churn_date.isoformat() if card.predicted_churn_date else None
    )
    data["answer"] = (
        f"{card.company_name}: health {card.health_score:.0f} ({card.band}), churn risk {card.churn_risk}"
        + (f", owner {card.owner_name}" if card.owner_name else "")
    )
    # the same one-row table shape as a report, so every JSON answer reads the same way
    scores = {c.name: c.score for c in card.components}
    data["columns"] = [
        "company",
        "health_score",
        "engagement_score",
        "payment_score",
        "support_score",
        "band",
        "churn_risk",
        "churn_probability",
        "predicted_churn_date",
        "ltv",
        "predicted_ltv_12m",
        "owner",
        "outstanding",
    ]
    data["rows"] = [
        [
            card.company_name,
            card.health_score,
            scores.get("engagement"),
            scores.get("payment"),
            scores.get("support"),
            card.band,
            card.churn_risk,
            card.churn_probability,
            data["predicted_churn_date"],
            round(card.ltv, 2),
            round(card.predicted_ltv_12m, 2),
            card.owner_name,
            card.open_balance,
        ]
    ]
    data["refused"] = False
    return data


def _account_line(i: int, a) -> str:
    line = f"{i}. {a.company_name}: {RISK_WORD[a.churn_risk].lower()} risk {a.churn_probability:.0%}, health {a.health_score:.0f} ({a.band})"
    if a.owner_name:
        line += f", owner {a.owner_name}"
    if a.top_reason:
        line += f" - {a.top_reason}"
    return line


def _empty_list_text(result: AtRiskList) -> str:
    return f"No account at medium or high churn risk among {result.total_customers} customers in this scope."


@to_text.register
def _(result: AtRiskList) -> str:
    lines = [f"{result.title} ({len(result.accounts)} shown)"]
    lines += [_account_line(i, a) for i, a in enumerate(result.accounts, 1)] or [_empty_list_text(result)]
    if result.note:
        lines.append(result.note)
    elif result.computed_at:
        lines.append(f"Insights computed {result.computed_at}.")
    return "\n".join(lines)


@to_blocks.register
def _(result: AtRiskList) -> list[dict]:
    blocks: list[dict] = [{"type": "header", "text": {"type": "plain_text", "text": result.title[:150]}}]
    if not result.accounts:
        blocks.append(section(_empty_list_text(result)))
    for i, a in enumerate(result.accounts[:40], 1):
        blocks.append(section(_account_line(i, a).replace(f"{a.company_name}:", f"*{a.company_name}*:", 1)))
    note = result.note or (f"Insights computed {result.computed_at}." if result.computed_at else None)
    if note:
        blocks.append(context(note))
    return blocks[:50]


@to_data.register
def _(result: AtRiskList) -> dict:
    data = asdict(result)
    data["answer"] = f"{result.title}: {len(result.accounts)} accounts"
    data["refused"] = False
    data["columns"] = [
        "company",
        "churn_risk",
        "churn_probability",
        "health_score",
        "band",
        "owner",
        "top_reason",
    ]
    data["rows"] = [
        [
            a.company_name,
            a.churn_risk,
            round(a.churn_probability, 4),
            round(a.health_score, 1),
            a.band,
            a.owner_name,
            a.top_reason,
        ]
        for a in result.accounts
    ]
    return data


@to_text.register
def _(summary: RefreshSummary) -> str:
    auc = ""
    if summary.model_auc is not None or summary.rules_auc is not None:
        fmt = lambda v: "n/a" if v is None else f"{v:.3f}"  # noqa: E731
        auc = f" (holdout AUC: model {fmt(summary.model_auc)}, rules {fmt(summary.rules_auc)})"
    lines = [
        f"Insights refreshed for {summary.companies:,} customers as of {summary.as_of} in {summary.seconds:.1f} s.",
        "Bands: " + ", ".join(f"{k} {v:,}" for k, v in summary.bands.items()),
        "Churn risk: "
        + ", ".join(f"{k} {v:,}" for k, v in summary.risks.items())
        + f" - {summary.churn_method}{auc}",
    ]
    lines += [f"Note: {n}" for n in summary.notes]
    if summary.alerts:
        lines.append(f"Alerts ({len(summary.alerts)}):")
        lines += [f"  - {a.text}" for a in summary.alerts[:20]]
    return "\n".join(lines)


@to_data.register
def _(summary: RefreshSummary) -> dict:
    data = asdict(summary)
    data["as_of"] = summary.as_of.isoformat()
    return data


def _health_model_lines(model: HealthModel) -> list[str]:
    w = model.weights
    where = {"defaults": "the defaults", "settings": "this bot's settings"}.get(
        model.source, f"the health model file {model.source}"
    )
    parts = {
        name: ", ".join(f"{part.replace('_', ' ')} {share:g}%" for part, share in shares.items())
        for name, shares in model.parts.items()
    }
    return [
        f"The health score (0-100) is a weighted mean of three components: engagement {w['engagement']:g}%, "
        f"payment {w['payment']:g}%, support {w['support']:g}% (weights from {where}).",
        f"- Engagement: {parts.get('engagement', '')} (emails, calls and meetings, compared with companies of the same size).",
        f"- Payment: {parts.get('payment', '')} (invoices due in the last year and what is overdue now).",
        f"- Support: {parts.get('support', '')} (tickets in the last 6 months).",
        f"Bands: green at {model.green_min:g} and above, yellow at {model.yellow_min:g} and above, red below.",
        f"Caps: a component below {model.component_floor:g} keeps the band at yellow at best; a balance "
        f"{model.serious_overdue_days} or more days past due makes it red whatever the score.",
    ]


@to_text.register
def _(model: HealthModel) -> str:
    return "\n".join(_health_model_lines(model))


@to_blocks.register
def _(model: HealthModel) -> list[dict]:
    lines = _health_model_lines(model)
    return [section(lines[0]), section("\n".join(lines[1:4])), section("\n".join(lines[4:]))]


@to_data.register
def _(model: HealthModel) -> dict:
    data = asdict(model)
    data["answer"] = _health_model_lines(model)[0]
    data["refused"] = False
    data["columns"] = ["component", "weight_percent"]
    data["rows"] = [[name, weight] for name, weight in model.weights.items()]
    return data
