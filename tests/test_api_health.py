"""GET /api/health tells a live server from a ready one: 503 while the database cannot be reached."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from datetime import date


def test_health_is_503_when_the_database_is_unreachable(tmp_path):
    from bot.api.app import create_app
    from bot.api.deps import ApiDeps
    from bot.api.server import serve_in_background
    from crmbot.settings import get_settings

    settings = get_settings()
    missing = f"sqlite:///{tmp_path / 'no-such-dir' / 'crm.db'}"
    server = serve_in_background(create_app(ApiDeps(settings, missing, lambda: date(2026, 11, 19))), settings)
    try:
        try:
            urllib.request.urlopen(f"{server.url}/api/health", timeout=10)
            raise AssertionError("health answered 200 without a database")
        except urllib.error.HTTPError as exc:
            assert exc.code == 503
            assert exc.headers["Content-Type"].startswith("application/problem+json")
            assert "not ready" in json.loads(exc.read())["detail"]
        request = urllib.request.Request(f"{server.url}/api/crm/leads/1/score")
        request.add_header("Authorization", "Bearer crm_anything")
        try:
            urllib.request.urlopen(request, timeout=10)
        except urllib.error.HTTPError as exc:  # the key cannot be checked: unavailable, not a traceback
            assert exc.code == 503 and "database cannot be reached" in json.loads(exc.read())["detail"]
    finally:
        server.stop()
