"""An insight alert as Slack Block Kit and as text: the company, the change, why, and two buttons.

Company names and reasons come from the team's data, so everything is escaped for mrkdwn:
a company called "<!channel> & Co" must not ping a channel or break the message.
"""

from __future__ import annotations

from bot.render import clip, section

BAND_EMOJI = {"green": ":large_green_circle:", "yellow": ":large_yellow_circle:", "red": ":red_circle:"}
OPEN_CARD = "alert_open_card"
SNOOZE = "alert_snooze"
BUTTON_TEXT_LIMIT = 75


def escape(text) -> str:
    """Slack's mrkdwn escaping: &, < and > are the only characters with a meaning to undo."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def change_words(kinds: list[str], payload: dict) -> list[str]:
    """The change in words, one phrase per kind, with the figures before and after."""
    before, after = payload["before"], payload["after"]
    words = []
    if "turned_red" in kinds:
        words.append(f"turned red (was {before.get('band') or 'unknown'})")
    if "high_risk" in kinds:
        words.append(
            f"is now at high churn risk ({after['churn_probability']:.0%}, was {before.get('churn_risk') or 'unknown'})"
        )
    if "health_drop" in kinds:
        peak = payload.get("peak_health") or before.get("health_score") or 0.0
        words.append(
            f"lost {peak - after['health_score']:.0f} health points ({peak:.0f} → {after['health_score']:.0f})"
        )
    return words


def alert_text(kinds: list[str], payload: dict) -> str:
    """The notification text (plain, escaped): what happened to which company."""
    return clip(f"{escape(payload['company_name'])} " + " and ".join(change_words(kinds, payload)), 3000)


def alert_blocks(kinds: list[str], payload: dict) -> list[dict]:
    after = payload["after"]
    name = escape(payload["company_name"])
    headline = f"{BAND_EMOJI.get(after['band'], '')} *{name}* " + " and ".join(change_words(kinds, payload))
    facts = (
        f"Health {after['health_score']:.0f}/100 ({after['band']}), churn risk {after['churn_risk']} "
        f"({after['churn_probability']:.0%})"
    )
    if after.get("band_note"):
        facts += f"; {escape(after['band_note'])}"
    if payload.get("owner_name"):
        facts += f"  ·  owner: {escape(payload['owner_name'])}"
    blocks = [section(f":rotating_light: {headline}"), section(facts)]
    reasons = payload.get("reasons") or []
    if reasons:
        blocks.append(section("*Why*\n" + "\n".join(f"• {escape(r)}" for r in reasons[:3])))
    value = str(payload["company_id"])
    blocks.append(
        {
            "type": "actions",
            "block_id": f"alert_{payload['company_id']}",
            "elements": [
                {
                    "type": "button",
                    "action_id": OPEN_CARD,
                    "text": {"type": "plain_text", "text": "Open card"},
                    "value": value,
                    "style": "primary",
                },
                {
                    "type": "button",
                    "action_id": SNOOZE,
                    "text": {"type": "plain_text", "text": "Snooze 7 days"},
                    "value": value,
                },
            ],
        }
    )
    return blocks


def snoozed_blocks(blocks: list[dict], who: str, until_text: str) -> list[dict]:
    """The alert as it was, its buttons replaced by who snoozed it and until when."""
    kept = [b for b in blocks if b.get("type") != "actions"]
    note = f":zzz: Snoozed by {escape(who)} until {until_text}: no alerts about this company until then."
    return kept + [{"type": "context", "elements": [{"type": "mrkdwn", "text": clip(note, 3000)}]}]
