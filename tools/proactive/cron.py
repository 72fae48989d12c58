"""Standard five-field cron expressions, in a person's time zone (croniter does the arithmetic).

croniter (maintained, under pallets-eco) computes the next time in a given zone, daylight
saving changes included; cron-descriptor puts an expression into words for lists.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


class ScheduleError(ValueError):
    """A schedule that cannot be made, with what to do instead."""


def check_cron(expr: str) -> str:
    """The expression, normalized (single spaces), or a ScheduleError saying what is wrong."""
    from croniter import croniter

    fields = (expr or "").split()
    if len(fields) != 5:
        raise ScheduleError(
            f"'{expr}' is not a standard cron expression: it needs 5 fields (minute hour day month weekday), "
            'e.g. "0 9 * * MON" for Mondays at 9:00.'
        )
    normalized = " ".join(fields)
    if not croniter.is_valid(normalized):
        raise ScheduleError(
            f"'{expr}' is not a valid cron expression (minute 0-59, hour 0-23, day 1-31, month 1-12, "
            'weekday 0-6 or MON-SUN), e.g. "0 9 * * MON".'
        )
    return normalized


def check_timezone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ScheduleError(
            f"'{name}' is not a time zone I know; use a name like Europe/Paris or UTC."
        ) from exc
    return name


def next_after(expr: str, timezone: str, after: datetime) -> datetime:
    """The first cron time strictly after ``after`` (aware), as an aware UTC datetime."""
    from croniter import croniter

    local = after.astimezone(ZoneInfo(timezone))
    return croniter(expr, local).get_next(datetime).astimezone(UTC)


def describe(expr: str) -> str:
    """The expression in words ("At 09:00 AM, only on Monday")."""
    from cron_descriptor import Options, get_description

    options = Options()
    options.use_24hour_time_format = True
    try:
        return get_description(expr, options)
    except Exception:  # noqa: BLE001 - a description is a nicety; the expression itself was validated
        return expr
