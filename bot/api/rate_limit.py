"""Requests per API key, counted by the `limits` library (a moving window).

With the default ``memory://`` storage each worker process counts on its own, so N workers
allow up to N times the rate; a ``redis://`` storage URI makes them share one count.
"""

from __future__ import annotations

import math
import time

from limits import parse, storage, strategies


class KeyRateLimit:
    def __init__(self, rate: str, storage_uri: str) -> None:
        try:
            self.item = parse(rate)
        except ValueError as exc:
            raise ValueError(
                f"CRMBOT_API_RATE_LIMIT '{rate}' is not a rate; write it like 120/minute or 10/second."
            ) from exc
        self.limiter = strategies.MovingWindowRateLimiter(storage.storage_from_string(storage_uri))
        self.rate = rate

    def wait_s(self, key_id: int) -> int | None:
        """None when this request is allowed (and counted), else the seconds until the next one is."""
        if self.limiter.hit(self.item, "api-key", str(key_id)):
            return None
        stats = self.limiter.get_window_stats(self.item, "api-key", str(key_id))
        return max(1, math.ceil(stats.reset_time - time.time()))
