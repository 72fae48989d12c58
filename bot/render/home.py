"""The App Home tab of one person."""

from __future__ import annotations

from bot.render import section, to_blocks, to_text
from tools.home import HomeSummary

ASK_EXAMPLES = (
    "• bookings by rep this quarter\n• how is <company> doing\n• my accounts at risk\n"
    "• top 10 leads this week\n• pending approvals\n• /crm sql SELECT ..."
)


def _money(value) -> str:
    return f"${value:,.2f}"


@to_blocks.register
def _(home: HomeSummary) -> list[dict]:
    blocks: list[dict] = [
        {"type": "header", "text": {"type": "plain_text", "text": f"Hi {home.actor_name or 'there'}"}},
        section(f"*My pipeline*: {home.open_deals} open deals, {_money(home.open_pipeline)}"),
    ]
    if home.closing_this_month:
        lines = [
            f"• {name}: {_money(amount)} (close {when})" for name, amount, when in home.closing_this_month
        ]
        blocks.append(section("*Expected to close by month end*\n" + "\n".join(lines)))
    risk = [
        f"• {name}" + (f" ({p:.0%} churn probability)" if p is not None else "") for name, p in home.at_risk
    ]
    blocks.append(section("*My accounts at risk*\n" + ("\n".join(risk) if risk else "None right now.")))
    title = "*Waiting for my approval*" if home.can_approve else "*My invoices waiting for approval*"
    pend = [
        f"• {number} · {company or '-'} · {_money(total)}"
        for number, company, total in home.pending_approvals
    ]
    blocks.append(section(title + "\n" + ("\n".join(pend) if pend else "Nothing pending.")))
    blocks.append({"type": "divider"})
    blocks.append(section("*What to ask me* (mention me, DM me, or use /crm)\n" + ASK_EXAMPLES))
    return blocks


@to_text.register
def _(home: HomeSummary) -> str:
    return (
        f"{home.open_deals} open deals ({_money(home.open_pipeline)}), {len(home.at_risk)} accounts at risk"
    )
