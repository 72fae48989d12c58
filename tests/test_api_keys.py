"""`crmbot api-key create | list | revoke`, and how keys are kept (hashed) and checked."""

from __future__ import annotations

import hashlib
import subprocess
from datetime import datetime

import pytest
from sqlalchemy import text

from tests.api_server import base_environment, crmbot_command


def run_cli(*args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([*crmbot_command(), *args], env=env, capture_output=True, text=True, timeout=60)


@pytest.fixture
def db(demo_db_copy, tmp_path):
    from db.engine import get_engine

    engine = get_engine(demo_db_copy)
    yield demo_db_copy, engine, base_environment(tmp_path / "data")
    engine.dispose()


def test_create_prints_the_key_last_and_stores_only_its_hash(db):
    db_url, engine, env = db
    with engine.connect() as conn:
        manager = conn.execute(text("SELECT id, email FROM users WHERE role = 'manager' LIMIT 1")).first()
    made = run_cli(
        "api-key", "create", "--as", manager.email.upper(), "--name", "CRM web app", "--db", db_url, env=env
    )
    assert made.returncode == 0, made.stderr
    key = made.stdout.strip().splitlines()[-1]
    assert key.startswith("crm_") and len(key) > 40
    with engine.connect() as conn:
        row = conn.execute(text("SELECT * FROM crmbot_api_keys")).one()
    assert row.user_id == manager.id and row.name == "CRM web app" and row.revoked_at is None
    assert row.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key not in " ".join(str(v) for v in row)  # the key itself is nowhere in the table
    listed = run_cli("api-key", "list", "--db", db_url, env=env)
    assert listed.returncode == 0 and manager.email in listed.stdout and row.prefix in listed.stdout
    assert key not in listed.stdout and "live" in listed.stdout

    revoked = run_cli("api-key", "revoke", str(row.id), "--db", db_url, env=env)
    assert revoked.returncode == 0 and "Revoked API key" in revoked.stdout
    assert "revoked" in run_cli("api-key", "list", "--db", db_url, env=env).stdout
    again = run_cli("api-key", "revoke", str(row.id), "--db", db_url, env=env)
    assert again.returncode == 1 and "already revoked" in again.stderr


def test_bad_requests_change_nothing(db):
    db_url, engine, env = db
    unknown = run_cli("api-key", "create", "--as", "nobody@example.com", "--db", db_url, env=env)
    assert unknown.returncode == 2 and "No CRM user has the email nobody@example.com" in unknown.stderr
    missing = run_cli("api-key", "revoke", "4242", "--db", db_url, env=env)
    assert missing.returncode == 1 and "no API key 4242" in missing.stderr
    with engine.begin() as conn:
        conn.execute(text("UPDATE users SET active = 0 WHERE role = 'rep'"))
        rep = conn.execute(text("SELECT email FROM users WHERE role = 'rep' LIMIT 1")).scalar()
    inactive = run_cli("api-key", "create", "--as", rep, "--db", db_url, env=env)
    assert inactive.returncode == 2 and "not an active CRM user" in inactive.stderr
    with engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM crmbot_api_keys")).scalar() == 0
    assert "No API keys yet" in run_cli("api-key", "list", "--db", db_url, env=env).stdout


def test_a_key_acts_as_its_user_until_revoked_or_the_user_leaves(db):
    from bot.api.keys import create_key, holder_of, revoke_key

    _, engine, _ = db
    with engine.connect() as conn:
        user = conn.execute(
            text("SELECT id, name, email, role FROM users WHERE role = 'rep' LIMIT 1")
        ).first()
    info, key = create_key(engine, user.email, None, datetime(2026, 11, 19, 9, 0))
    holder = holder_of(engine, key)
    assert holder.actor.user_id == user.id and holder.actor.role == "rep" and holder.actor.source == "api"
    assert holder_of(engine, key + "x") is None and holder_of(engine, "not-a-key") is None
    with engine.begin() as conn:
        conn.execute(text("UPDATE users SET active = 0 WHERE id = :i"), {"i": user.id})
    assert holder_of(engine, key) is None
    with engine.begin() as conn:
        conn.execute(text("UPDATE users SET active = 1 WHERE id = :i"), {"i": user.id})
    assert holder_of(engine, key) is not None
    revoke_key(engine, info.id, datetime(2026, 11, 19, 10, 0))
    assert holder_of(engine, key) is None


def test_the_keys_table_comes_with_db_upgrade_on_postgresql(pg_url):
    from bot.api.keys import create_key, holder_of
    from db.demo import generate
    from db.engine import get_engine

    engine = get_engine(pg_url)
    generate(engine, seed=3, today=datetime(2026, 11, 19).date(), companies=50)
    with engine.connect() as conn:
        email = conn.execute(text("SELECT email FROM users WHERE role = 'admin' LIMIT 1")).scalar()
    _, key = create_key(engine, email, "pg", datetime(2026, 11, 19, 9, 0))
    assert holder_of(engine, key).actor.role == "admin"
    engine.dispose()
