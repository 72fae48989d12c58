"""What Slack sends an app when a person types text: escaped, with links and mentions as markup.

A person types ``score lead ann@acme.com`` and the app receives
``score lead <mailto:ann@acme.com|ann@acme.com>``; ``&``, ``<`` and ``>`` arrive as ``&amp;``,
``&lt;`` and ``&gt;``; a picked mention arrives as ``<@U123>``, a channel as ``<#C123|sales>``, a
URL or a bare domain as ``<http://acme.com|acme.com>`` (https://docs.slack.dev/messaging/formatting-message-text).

In the tests, a mention a person picks from the menu is typed as ``@U123`` (a user id) or
``@crmbot`` (the bot), a channel as ``#name``.
"""

from __future__ import annotations

import re

_TOKEN = re.compile(
    r"(?P<email>[\w.+-]+@[\w-]+(?:\.[\w-]+)+)"
    r"|(?P<url>https?://[^\s<>]+)"
    r"|(?P<domain>\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|org|net|io|co|ai|dev|app|de|fr|uk)\b)"
    r"|(?P<user>@(?:U[A-Z0-9]{2,}|crmbot)\b)"
    r"|(?P<channel>#[a-z0-9_-]+)",
    re.IGNORECASE,
)


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def autolink(typed: str, *, bot_user_id: str, channel_ids: dict[str, str], user_ids: set[str]) -> str:
    """The text Slack delivers for ``typed``; ``channel_ids`` maps channel names to ids."""
    out, last = [], 0
    for match in _TOKEN.finditer(typed):
        out.append(escape(typed[last : match.start()]))
        last = match.end()
        token = match.group()
        if match.group("email"):
            out.append(f"<mailto:{token}|{token}>")
        elif match.group("url"):
            out.append(f"<{token}>")
        elif match.group("domain"):
            out.append(f"<http://{token}|{token}>")
        elif match.group("user"):
            uid = bot_user_id if token.lower() == "@crmbot" else token[1:]
            out.append(f"<@{uid}>" if uid == bot_user_id or uid in user_ids else escape(token))
        else:
            cid = channel_ids.get(token[1:].lower())
            out.append(f"<#{cid}|{token[1:]}>" if cid else escape(token))
    out.append(escape(typed[last:]))
    return "".join(out)
