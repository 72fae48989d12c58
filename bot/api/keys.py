"""API keys: made once and shown once, stored as a SHA-256 hash, each acting as one CRM user.

A key is 32 random bytes, so a plain SHA-256 is the right hash (a slow password hash buys
nothing against a secret with 256 bits of entropy, and would cost every request). The lookup
is by hash, through the unique index; the first characters are kept as a ``prefix`` so a
person can tell their keys apart in `crmbot api-key list` without the key being usable.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, func, insert, select, update

from db.api_keys import api_keys
from db.models import User
from tools.actor import Actor

KEY_PREFIX = "crm_"
SHOWN_PREFIX_CHARS = 12  # "crm_" and 8 random characters
TOUCH_EVERY_S = 60.0  # last_used_at is written at most this often per key and process


class ApiKeyError(ValueError):
    """A request about keys that cannot be done, with a message a person can act on."""


@dataclass(frozen=True)
class KeyInfo:
    id: int
    name: str
    prefix: str
    email: str | None
    role: str | None
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


@dataclass(frozen=True)
class KeyHolder:
    """The key that signed a request and the CRM user it acts as."""

    key_id: int
    actor: Actor


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def new_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


def create_key(engine: Engine, email: str, name: str | None, now: datetime) -> tuple[KeyInfo, str]:
    """A new key for the active CRM user with ``email``; (its row, the key itself: shown once)."""
    email = (email or "").strip()
    with engine.begin() as conn:
        user = conn.execute(
            select(User.id, User.name, User.email, User.role, User.active).where(
                func.lower(User.email) == email.lower()
            )
        ).first()
        if user is None:
            raise ApiKeyError(f"No CRM user has the email {email}. Keys act as a CRM user: check the email.")
        if not user.active:
            raise ApiKeyError(f"{user.name} ({user.email}) is not an active CRM user; no key was made.")
        key = new_key()
        label = (name or "").strip()[:100] or f"key for {user.email}"[:100]
        key_id = conn.execute(
            insert(api_keys)
            .values(
                user_id=user.id,
                name=label,
                prefix=key[:SHOWN_PREFIX_CHARS],
                key_hash=hash_key(key),
                created_at=now,
            )
            .returning(api_keys.c.id)
        ).scalar_one()
    info = KeyInfo(key_id, label, key[:SHOWN_PREFIX_CHARS], user.email, user.role, now, None, None)
    return info, key


def list_keys(engine: Engine) -> list[KeyInfo]:
    query = (
        select(api_keys, User.email, User.role)
        .outerjoin(User, User.id == api_keys.c.user_id)
        .order_by(api_keys.c.id)
    )
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    return [
        KeyInfo(r.id, r.name, r.prefix, r.email, r.role, r.created_at, r.last_used_at, r.revoked_at)
        for r in rows
    ]


def revoke_key(engine: Engine, key_id: int, now: datetime) -> KeyInfo:
    """Revoke key ``key_id`` (from then on every request with it gets 401)."""
    with engine.begin() as conn:
        changed = conn.execute(
            update(api_keys)
            .where(api_keys.c.id == key_id, api_keys.c.revoked_at.is_(None))
            .values(revoked_at=now)
        ).rowcount
    found = next((k for k in list_keys(engine) if k.id == key_id), None)
    if found is None:
        raise ApiKeyError(f"There is no API key {key_id}. See `crmbot api-key list`.")
    if not changed:
        raise ApiKeyError(f"API key {key_id} was already revoked at {found.revoked_at:%Y-%m-%d %H:%M}.")
    return found


def holder_of(engine: Engine, key: str) -> KeyHolder | None:
    """The key's holder when ``key`` is a live key of an active CRM user, else None."""
    if not key.startswith(KEY_PREFIX) or len(key) > 200:
        return None
    with engine.connect() as conn:
        row = conn.execute(
            select(
                api_keys.c.id.label("key_id"),
                api_keys.c.prefix,
                User.id,
                User.name,
                User.role,
                User.email,
                User.team,
            )
            .join(User, User.id == api_keys.c.user_id)
            .where(
                api_keys.c.key_hash == hash_key(key),
                api_keys.c.revoked_at.is_(None),
                User.active.is_(True),
            )
        ).first()
    if row is None:
        return None
    actor = Actor.of_user(row, "api", f"api:{row.prefix}")
    return KeyHolder(row.key_id, actor)


_last_touch: dict[int, float] = {}
_touch_lock = threading.Lock()


def touch(engine: Engine, key_id: int, now: datetime) -> None:
    """Record that the key was used, at most once a minute per process (not a write per request)."""
    moment = time.monotonic()
    with _touch_lock:
        if moment - _last_touch.get(key_id, -TOUCH_EVERY_S) < TOUCH_EVERY_S:
            return
        _last_touch[key_id] = moment
    with engine.begin() as conn:
        conn.execute(update(api_keys).where(api_keys.c.id == key_id).values(last_used_at=now))
