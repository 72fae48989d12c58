"""The worker's clock for schedules: the real one, or a faster one for tests and demos.

A scaled clock runs ``speed`` times faster than real time from a given real moment: two
workers given the same start and speed read the same time, so a test can watch minute-long
cron slots go by in seconds with real processes, exactly as they would in production.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime


class SystemClock:
    def now(self) -> datetime:
        """Timezone-aware UTC."""
        return datetime.now(UTC)


@dataclass(frozen=True)
class ScaledClock:
    start: datetime  # an aware real moment at which both clocks agree
    speed: float

    def now(self) -> datetime:
        real = datetime.now(UTC)
        return self.start + (real - self.start) * self.speed


def naive_utc(moment: datetime) -> datetime:
    """How times are stored: naive UTC."""
    return moment.astimezone(UTC).replace(tzinfo=None)
