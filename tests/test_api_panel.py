"""The insights panel: HTML from the real server, escaped and script-free, rendered by headless Chromium.

Set CRMBOT_PANEL_SCREENSHOT=docs/insights-panel.png to keep the screenshot (the README shows it).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from tests.api_server import TODAY, base_environment, make_key, start_server

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
ODD_NAME = 'Ågård & Sons <Corp> "Nordic"'


@pytest.fixture(scope="module")
def panel(demo_db_path, tmp_path_factory):
    """(HTML, headers, the card it shows) for the customer most at risk, renamed to need escaping."""
    from db.engine import get_engine
    from tools.insights.job import refresh
    from tools.insights.service import company_insight_by_id

    folder = tmp_path_factory.mktemp("panel")
    shutil.copy(demo_db_path, folder / "demo.db")
    db_url = f"sqlite:///{folder / 'demo.db'}"
    engine = get_engine(db_url)
    refresh(engine, date.fromisoformat(TODAY), models_dir=folder / "models")
    with engine.begin() as conn:
        company_id = conn.execute(
            text(
                "SELECT ci.company_id FROM customer_insights ci JOIN crmbot_insight_details d "
                "ON d.company_id = ci.company_id WHERE ci.churn_risk = 'high' "
                "ORDER BY ci.churn_probability DESC LIMIT 1"
            )
        ).scalar()
        conn.execute(text("UPDATE companies SET name = :n WHERE id = :i"), {"n": ODD_NAME, "i": company_id})
        conn.execute(
            text(
                "UPDATE crmbot_insight_details SET details = json_set(details, '$.company_name', :n) WHERE company_id = :i"
            ),
            {"n": ODD_NAME, "i": company_id},
        )
        email = conn.execute(text("SELECT email FROM users WHERE role = 'rep' LIMIT 1")).scalar()
    card = company_insight_by_id(engine, date.fromisoformat(TODAY), company_id)
    engine.dispose()
    env = base_environment(folder / "data")
    key = make_key(db_url, email, env)
    server = start_server(db_url, env, folder / "serve.log")
    try:
        response = server.get(f"/api/crm/companies/{company_id}/insights/panel", key=key)
        unauthenticated = server.get(f"/api/crm/companies/{company_id}/insights/panel")
    finally:
        server.stop()
    assert unauthenticated.status == 401
    assert response.status == 200, response.body
    return response.body.decode(), response.headers, card, folder


def test_the_panel_is_escaped_html_without_scripts(panel):
    html, headers, card, _ = panel
    assert headers["content-type"].startswith("text/html")
    assert "script-src" not in headers["content-security-policy"]
    assert headers["content-security-policy"].startswith("default-src 'none'")
    assert "<script" not in html.lower() and "javascript:" not in html.lower() and " on" + "load=" not in html
    assert "Ågård &amp; Sons &lt;Corp&gt; &#34;Nordic&#34;" in html and "<Corp>" not in html
    assert f">{card.health_score:.0f}<" in html
    assert f"{card.churn_risk.capitalize()} churn risk" in html
    assert f"${card.ltv:,.0f}" in html and f"${card.predicted_ltv_12m:,.0f}" in html
    for action in card.recommendations[:3]:
        assert action.action.replace("&", "&amp;") in html
    for reason in card.reasons:
        assert reason.text.replace("&", "&amp;").replace("<", "&lt;") in html


@pytest.mark.skipif(CHROMIUM is None, reason="needs chromium (Debian: apt-get install -y chromium)")
def test_the_panel_renders_in_headless_chromium(panel):
    from PIL import Image

    html, _, card, folder = panel
    page = folder / "panel.html"
    page.write_text(html)
    shot = folder / "panel.png"
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run"]
    flags += ["--disable-dev-shm-usage", f"--user-data-dir={folder / 'chromium-profile'}"]
    dom = subprocess.run(
        [CHROMIUM, *flags, "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120
    )
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert "Ågård &amp; Sons &lt;Corp&gt;" in dom.stdout and "churn risk" in dom.stdout
    done = subprocess.run(
        [CHROMIUM, *flags, "--window-size=600,640", f"--screenshot={shot}", page.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0 and shot.exists(), done.stderr[-2000:]
    image = Image.open(shot).convert("RGB")
    assert image.size == (600, 640)
    colours = image.getcolors(maxcolors=1 << 20)
    assert colours is not None and len(colours) > 50  # text, gauge and badge were drawn, not a blank page
    from bot.api.panel import BAND_COLOUR, RISK_COLOUR

    def pixels_near(hex_colour: str) -> int:
        target = tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
        return sum(n for n, rgb in colours if all(abs(a - b) <= 12 for a, b in zip(rgb, target, strict=True)))

    assert pixels_near(BAND_COLOUR[card.band]) > 200  # the gauge's arc in the band's colour
    assert pixels_near(RISK_COLOUR[card.churn_risk]) > 200  # the churn badge
    keep = os.environ.get("CRMBOT_PANEL_SCREENSHOT")
    if keep:
        Path(keep).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, keep)
