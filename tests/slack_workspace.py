"""The state of a mock Slack workspace: people, channels and who is in them, messages and threads,
ephemeral notes, open views, trigger ids and response URLs, and the app's manifest.

Rules kept here are Slack's: the bot posts only where it is a member (``not_in_channel`` in a
public channel, ``channel_not_found`` in a private channel or a DM it is not in); an ephemeral
note in a thread shows only when that thread exists; a trigger id works once, within 3 seconds;
a response URL works 5 times within 30 minutes.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field
from pathlib import Path

MANIFEST = Path(__file__).resolve().parents[1] / "manifest.yaml"
BOT_USER_ID = "UBOT"
BOT_ID = "BBOT"
TEAM_ID = "T0MOCK"
APP_ID = "A0MOCK"
LEGACY_VERIFICATION_TOKEN = "legacy-verification-token-Zq9"
TRIGGER_TTL_S = 3.0
RESPONSE_URL_USES = 5
RESPONSE_URL_TTL_S = 30 * 60


@dataclass
class Channel:
    id: str
    name: str
    kind: str  # public, private, im, mpim
    members: set[str] = field(default_factory=set)


@dataclass
class Message:
    channel: str
    ts: str
    text: str
    blocks: list = field(default_factory=list)
    user: str | None = None  # the poster; BOT_USER_ID for the app
    thread_ts: str | None = None
    reply_count: int = 0
    files: list = field(default_factory=list)

    @property
    def by_bot(self) -> bool:
        return self.user == BOT_USER_ID

    def as_payload(self) -> dict:
        """The message as Slack shows it in an interaction payload."""
        data = {"type": "message", "user": self.user, "ts": self.ts, "text": self.text, "blocks": self.blocks}
        if self.by_bot:
            data.update(bot_id=BOT_ID, app_id=APP_ID)
        if self.thread_ts:
            data["thread_ts"] = self.thread_ts
        elif self.reply_count:  # a parent: Slack adds its own ts as thread_ts once it has replies
            data.update(thread_ts=self.ts, reply_count=self.reply_count)
        return data


@dataclass
class Ephemeral:
    channel: str
    user: str
    text: str
    blocks: list
    thread_ts: str | None
    visible: bool  # False: posted into a thread that does not exist, so nobody sees it


@dataclass
class Trigger:
    id: str
    user: str
    issued_at: float
    used: bool = False


@dataclass
class ResponseUrl:
    id: str
    channel: str
    user: str
    issued_at: float
    message_ts: str | None = None  # the message an interaction came from
    uses: int = 0


@dataclass
class OpenView:
    id: str
    user: str
    view: dict
    hash: str


def load_manifest(path: Path = MANIFEST) -> dict:
    import yaml

    return yaml.safe_load(path.read_text())


class Workspace:
    """People, channels, messages and the short-lived ids Slack hands out."""

    def __init__(self, users: dict[str, dict], channels: list[Channel] | None, manifest: dict) -> None:
        self.users = users
        self.manifest = manifest
        oauth = (manifest.get("oauth_config") or {}).get("scopes") or {}
        self.scopes: set[str] = set(oauth.get("bot") or [])
        events = (manifest.get("settings") or {}).get("event_subscriptions") or {}
        self.bot_events: set[str] = set(events.get("bot_events") or [])
        features = manifest.get("features") or {}
        self.commands = {c["command"]: c for c in features.get("slash_commands") or []}
        self.channels: dict[str, Channel] = {}
        for channel in channels if channels is not None else default_channels(list(users)):
            self.channels[channel.id] = channel
        self.messages: dict[tuple[str, str], Message] = {}
        self.ephemerals: list[Ephemeral] = []
        self.triggers: dict[str, Trigger] = {}
        self.response_urls: dict[str, ResponseUrl] = {}
        self.views: dict[str, OpenView] = {}
        self.homes: dict[str, dict] = {}
        self._seq = itertools.count(1)
        self.trigger_ttl_s = TRIGGER_TTL_S

    # ------------------------------------------------------------------ ids

    def next_ts(self) -> str:
        return f"1700000000.{next(self._seq):06d}"

    def next_id(self, prefix: str) -> str:
        return f"{prefix}{next(self._seq):08d}"

    # ------------------------------------------------------------------ channels

    def dm_with_bot(self, user: str) -> Channel | None:
        """The app's DM with ``user`` (Slack opens it when the app posts to a user id)."""
        if user not in self.users:
            return None
        cid = f"D{user}"
        if cid not in self.channels:
            self.channels[cid] = Channel(cid, user, "im", {user, BOT_USER_ID})
        return self.channels[cid]

    def resolve(self, channel_id: str | None) -> Channel | None:
        if not channel_id:
            return None
        if channel_id.startswith(("U", "W")):
            return self.dm_with_bot(channel_id)
        return self.channels.get(channel_id)

    def postable(self, channel_id: str | None) -> tuple[Channel | None, str | None]:
        """(channel, None) where the bot may post; else (None, Slack's error)."""
        channel = self.resolve(channel_id)
        if channel is None:
            return None, "channel_not_found"
        if BOT_USER_ID in channel.members:
            return channel, None
        if channel.kind == "public":
            return (channel, None) if "chat:write.public" in self.scopes else (None, "not_in_channel")
        return None, "channel_not_found"  # a private channel or a DM the bot is not in is invisible

    def channel_ids_by_name(self) -> dict[str, str]:
        return {c.name.lower(): c.id for c in self.channels.values() if c.kind in ("public", "private")}

    # ------------------------------------------------------------------ messages and threads

    def add_message(self, message: Message) -> Message:
        self.messages[(message.channel, message.ts)] = message
        if message.thread_ts:
            parent = self.messages.get((message.channel, message.thread_ts))
            if parent is not None:
                parent.reply_count += 1
        return message

    def thread_exists(self, channel: str, thread_ts: str) -> bool:
        parent = self.messages.get((channel, thread_ts))
        return parent is not None and (parent.reply_count > 0 or parent.thread_ts is not None)

    def thread(self, channel: str, thread_ts: str) -> list[Message]:
        return sorted(
            (m for m in self.messages.values() if m.channel == channel and m.thread_ts == thread_ts),
            key=lambda m: m.ts,
        )

    # ------------------------------------------------------------------ triggers and response URLs

    def issue_trigger(self, user: str) -> str:
        trigger = Trigger(f"{next(self._seq)}.{TEAM_ID}.{self.next_id('t')}", user, time.monotonic())
        self.triggers[trigger.id] = trigger
        return trigger.id

    def exchange_trigger(self, trigger_id: str | None) -> tuple[Trigger | None, str | None]:
        trigger = self.triggers.get(trigger_id or "")
        if trigger is None:
            return None, "invalid_trigger_id"
        if trigger.used:
            return None, "exchanged_trigger_id"
        if time.monotonic() - trigger.issued_at > self.trigger_ttl_s:
            return None, "expired_trigger_id"
        trigger.used = True
        return trigger, None

    def issue_response_url(self, channel: str, user: str, message_ts: str | None = None) -> ResponseUrl:
        url = ResponseUrl(self.next_id("R"), channel, user, time.monotonic(), message_ts)
        self.response_urls[url.id] = url
        return url


def default_channels(user_ids: list[str]) -> list[Channel]:
    """#sales, #finance and #bench with the bot in them; #general without it; a private channel
    without it; a DM between two people; and each person's DM with the bot."""
    people = set(user_ids)
    pair = set(user_ids[:2]) or {"U0PERSON1", "U0PERSON2"}
    channels = [
        Channel("C0SALES", "sales", "public", people | {BOT_USER_ID}),
        Channel("C0FIN", "finance", "public", people | {BOT_USER_ID}),
        Channel("C0BENCH", "bench", "public", people | {BOT_USER_ID}),
        Channel("C0NOBOT", "general", "public", set(people)),
        Channel("G0PRIVATE", "deals-private", "private", set(people)),
        Channel("D0PEOPLE", "people-dm", "im", pair),
    ]
    channels += [Channel(f"D{uid}", uid, "im", {uid, BOT_USER_ID}) for uid in user_ids]
    return channels
