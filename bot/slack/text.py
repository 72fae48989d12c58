"""What a person typed, from what Slack delivers.

Slack auto-links text: ``score lead ann@acme.com`` arrives as
``score lead <mailto:ann@acme.com|ann@acme.com>``, a picked person as ``<@U123>``, a channel as
``<#C123|sales>``, a URL or bare domain as ``<http://acme.com|acme.com>``, and ``&``, ``<``, ``>``
as entities. The router reads plain words, so the Slack layer turns each back into what was
typed: a link into its label (else its target), a channel into ``#name``, a mentioned person into
their CRM name (``name_of``), and the bot's own mention into nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable

# <target> or <target|label>; targets: @U.. / @W.. (people), #C.. (channels), !special, links
_MARKUP = re.compile(r"<([^<>|]*)(?:\|([^<>]*))?>")


def plain_text(
    text: str, *, bot_user_id: str | None = None, name_of: Callable[[str], str | None] | None = None
) -> str:
    """``text`` as the person typed it, one space between words."""

    def replace(match: re.Match) -> str:
        target, label = match.group(1), match.group(2)
        if target.startswith("@"):
            user_id = target[1:]
            if user_id == bot_user_id:
                return " "
            name = name_of(user_id) if name_of else None
            return name or (f"@{label}" if label else f"@{user_id}")
        if target.startswith("#"):
            return f"#{label}" if label else target
        if target.startswith("!"):
            special = target[1:].split("^", 1)[0]
            return label or f"@{special}"
        if label:
            return label
        return target.removeprefix("mailto:").removeprefix("tel:")

    text = _MARKUP.sub(replace, text or "")
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return re.sub(r"\s+", " ", text).strip()
