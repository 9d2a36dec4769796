"""Token buckets: per visitor (default 4 hits/s, burst 10, as GoatCounter does) and, for new
visitors, per client address (see ``CounterService``).

Keyed by hashed keys, so a limiter never holds an IP address. At most ``max_keys`` buckets
are held; beyond that the least recently used is dropped (it was the idlest: a flood of new
keys costs memory up to the cap, never more).
"""

from __future__ import annotations

from collections import OrderedDict


class RateLimiter:
    """``allow(key, now)`` spends one token; idle buckets are dropped once full again."""

    def __init__(self, rate: float = 4.0, burst: int = 10, max_keys: int = 100_000) -> None:
        if rate <= 0 or burst < 1 or max_keys < 1:
            raise ValueError("rate must be > 0, burst >= 1 and max_keys >= 1")
        self.rate = rate
        self.burst = float(burst)
        self.max_keys = max_keys
        self._buckets: OrderedDict[bytes, tuple[float, float]] = OrderedDict()

    def allow(self, key: bytes, now: float) -> bool:
        self._expire(now)
        tokens, stamp = self._buckets.get(key, (self.burst, now))
        tokens = min(self.burst, tokens + (now - stamp) * self.rate)
        allowed = tokens >= 1.0
        if allowed:
            tokens -= 1.0
        self._buckets[key] = (tokens, now)
        self._buckets.move_to_end(key)
        while len(self._buckets) > self.max_keys:
            self._buckets.popitem(last=False)
        return allowed

    def retry_after(self) -> float:
        return 1.0 / self.rate

    def __len__(self) -> int:
        return len(self._buckets)

    def _expire(self, now: float) -> None:
        # A bucket idle long enough to be full again carries no information.
        full_after = self.burst / self.rate
        while self._buckets:
            key, (_tokens, stamp) = next(iter(self._buckets.items()))
            if now - stamp <= full_after:
                break
            del self._buckets[key]
