"""Plain schedule phrases ("every monday 9am", "weekdays at 8:30", "monthly") into cron expressions.

The phrase reading is ours: the few forms people type in Slack, each mapped to one five-field
expression (no library reads these reliably; the maintained ones read cron, not English). The
expression is then validated and computed by croniter like any other (tools/proactive/cron.py).
"""

from __future__ import annotations

import re

from tools.proactive.cron import ScheduleError, check_cron

DAYS = {
    "monday": "MON",
    "tuesday": "TUE",
    "wednesday": "WED",
    "thursday": "THU",
    "friday": "FRI",
    "saturday": "SAT",
    "sunday": "SUN",
}
SHORT_DAYS = {d[:3]: v for d, v in DAYS.items()} | {"tues": "TUE", "thur": "THU", "thurs": "THU"}
DEFAULT_TIME = (9, 0)
EXAMPLES = (
    '"every monday 9am", "every weekday at 8:30", "every day at 7pm", "weekly", "monthly on the 15th", '
    '"every hour", "every 15 minutes", or a cron expression like "0 9 * * MON"'
)

_TIME = re.compile(r"(?:\bat\s+)?\b(?P<time>noon|midnight|\d{1,2}(?::\d{2})?\s*(?:am|pm)|\d{1,2}:\d{2})\b")
_DAY_NAME = r"(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day)?s?|(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)s?"
_MONTH_DAY = re.compile(r"\bon\s+the\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?\b")


def _time(text: str) -> tuple[tuple[int, int], str]:
    """The time of day in ``text`` (default 9:00) and the text without it."""
    found = _TIME.search(text)
    if not found:
        return DEFAULT_TIME, text
    raw = found.group("time").replace(" ", "")
    if raw == "noon":
        hour, minute = 12, 0
    elif raw == "midnight":
        hour, minute = 0, 0
    else:
        suffix = raw[-2:] if raw[-2:] in ("am", "pm") else ""
        clock = raw[: -len(suffix)] if suffix else raw
        hour_text, _, minute_text = clock.partition(":")
        hour, minute = int(hour_text), int(minute_text or 0)
        if suffix and not 1 <= hour <= 12:
            raise ScheduleError(f"'{found.group('time')}' is not a time of day; try 9am or 17:30.")
        if suffix == "pm" and hour != 12:
            hour += 12
        if suffix == "am" and hour == 12:
            hour = 0
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        raise ScheduleError(f"'{found.group('time')}' is not a time of day; try 9am or 17:30.")
    return (hour, minute), (text[: found.start()] + text[found.end() :]).strip()


def _day_code(word: str) -> str:
    word = word.rstrip("s") if word not in ("tues", "thurs") else word
    if word in DAYS:
        return DAYS[word]
    if word.endswith("day") and word[:-3] in SHORT_DAYS:
        return SHORT_DAYS[word[:-3]]
    return SHORT_DAYS[word]


def to_cron(phrase: str) -> str:
    """The cron expression a schedule phrase means, or a ScheduleError with examples."""
    original = (phrase or "").strip().strip("\"'")
    if original.lower().startswith("cron "):
        return check_cron(original[5:].strip(" \"'"))
    fields = original.split()
    if len(fields) == 5 and re.fullmatch(r"[\d*/,\-]+", fields[0]):
        return check_cron(original)
    text = re.sub(r"\s+", " ", original.lower()).strip(" .")
    if not text:
        raise ScheduleError(f"Say when: {EXAMPLES}.")
    text = text.removeprefix("every ").strip() if text.startswith("every ") else text
    if text in ("minute", "1 minute"):
        return "* * * * *"
    minutes = re.fullmatch(r"(\d{1,2}) minutes", text)
    if minutes:
        n = int(minutes.group(1))
        if not 1 <= n <= 59:
            raise ScheduleError("Every N minutes needs N between 1 and 59.")
        return f"*/{n} * * * *"
    if text in ("hour", "hourly"):
        return "0 * * * *"
    (hour, minute), rest = _time(text)
    rest = rest.strip(" ,")
    if rest in ("day", "daily", "day of the week", ""):
        return f"{minute} {hour} * * *"
    if rest in ("weekday", "weekdays", "working day", "business day", "workday"):
        return f"{minute} {hour} * * MON-FRI"
    if rest in ("week", "weekly"):
        return f"{minute} {hour} * * MON"
    month = re.fullmatch(r"(?:month|monthly)(?:\s+(?P<on>on\s+the\s+\d{1,2}(?:st|nd|rd|th)?))?", rest)
    if month:
        day = int(_MONTH_DAY.search(rest).group("day")) if month.group("on") else 1
        if not 1 <= day <= 28:
            raise ScheduleError("A monthly schedule runs on a day from 1 to 28 (every month has those).")
        return f"{minute} {hour} {day} * *"
    days = re.fullmatch(rf"(?:on\s+)?(?P<days>(?:{_DAY_NAME})(?:\s*(?:,|and|&)\s*(?:{_DAY_NAME}))*)", rest)
    if days:
        codes = [_day_code(w) for w in re.split(r"\s*(?:,|and|&)\s*", days.group("days")) if w]
        return check_cron(f"{minute} {hour} * * {','.join(dict.fromkeys(codes))}")
    raise ScheduleError(f"I don't understand '{phrase}' as a schedule. Try {EXAMPLES}.")
