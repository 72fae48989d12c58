"""The insights panel: one customer's health gauge, churn badge, lifetime value and next actions
as a small HTML document, drawn on the server with no scripts, for the CRM's company page.

The same facts as the Slack card (bot/render/insights.py), from the same typed result. Jinja2
escapes every value (company names are user data).
"""

from __future__ import annotations

import math
from functools import lru_cache

from bot.render.insights import COMPONENT_FACTS, RISK_WORD
from tools.insights.results import CompanyInsight

BAND_COLOUR = {"green": "#1a7f37", "yellow": "#b58100", "red": "#cf222e"}
RISK_COLOUR = {"low": "#1a7f37", "medium": "#b58100", "high": "#cf222e"}
TOP_ACTIONS = 3
GAUGE_RADIUS = 50


@lru_cache(maxsize=1)
def _template():
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(
        loader=PackageLoader("bot.api", "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env.get_template("panel.html")


def _gauge(score: float) -> dict:
    """A half-circle gauge: the arc's length and the dash that fills ``score`` percent of it."""
    length = math.pi * GAUGE_RADIUS
    filled = max(0.0, min(100.0, score)) / 100 * length
    return {"length": round(length, 2), "filled": round(filled, 2), "radius": GAUGE_RADIUS}


def render_panel(card: CompanyInsight) -> str:
    how = "BG/NBD + Gamma-Gamma" if card.ltv_method == "bgnbd" else "last 12 months' revenue"
    return _template().render(
        card=card,
        gauge=_gauge(card.health_score),
        band_colour=BAND_COLOUR.get(card.band, "#57606a"),
        risk_word=RISK_WORD.get(card.churn_risk, card.churn_risk),
        risk_colour=RISK_COLOUR.get(card.churn_risk, "#57606a"),
        components=[
            (c.name.capitalize(), c.score, COMPONENT_FACTS[c.name](c.facts)) for c in card.components
        ],
        actions=card.recommendations[:TOP_ACTIONS],
        ltv_how=how,
    )
