"""Visitor keys without storing who the visitor is.

The key is BLAKE2b-64 keyed with a random salt that changes every local day. The salt lives
in memory only, never on disk: with Redis, instances agree on it over pub/sub (published
messages are not written to the AOF or RDB files), never through a key. Once a day is over
nobody, the operator included, can link a key back to an IP address and user agent. Raw IP
and UA never leave ``visitor_key``.
"""

from __future__ import annotations

import hashlib
import ipaddress
import secrets
import time
from collections.abc import Mapping

SALT_BYTES = 16
KEY_BYTES = 8


def new_salt() -> bytes:
    """A fresh random salt (never derived from a date or a secret, so it cannot be recomputed)."""
    return secrets.token_bytes(SALT_BYTES)


def visitor_key(salt: bytes, ip: str, user_agent: str) -> bytes:
    """The 8-byte visitor key for one day: keyed hash of IP and UA."""
    if len(salt) < SALT_BYTES:
        raise ValueError("salt too short")
    h = hashlib.blake2b(digest_size=KEY_BYTES, key=salt)
    h.update(ip.encode("utf-8", "replace"))
    h.update(b"\x00")
    h.update(user_agent.encode("utf-8", "replace"))
    return h.digest()


def address_key(salt: bytes, ip: str) -> bytes:
    """The 8-byte key of a client address for one day (IPv6: its /64, what one host holds)."""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        network = ip
    else:
        mapped = address.ipv4_mapped if isinstance(address, ipaddress.IPv6Address) else None
        if mapped is not None:
            network = str(mapped)
        elif address.version == 6:
            network = str(ipaddress.ip_network(f"{address}/64", strict=False))
        else:
            network = str(address)
    return visitor_key(salt, network, "\x00address")


class SaltKeeper:
    """Holds one random salt per local day and forgets past days.

    Each salt has a birth time. ``offer`` lets other instances (over Redis pub/sub) propose
    their salt for a day; the oldest salt wins (ties: the smaller bytes), so instances agree
    within one exchange and a newly started instance adopts the running ones' salt instead
    of making every active visitor look new.
    """

    def __init__(self) -> None:
        self._salts: dict[str, bytes] = {}
        self._born: dict[str, float] = {}
        self._today = ""

    def salt(self, day: str) -> bytes:
        """The salt of ``day`` (the current day of a hit); earlier days are forgotten."""
        if day != self._today:
            if day > self._today:
                self.forget_before(day)
            self._today = max(day, self._today)
        salt = self._salts.get(day)
        if salt is None:
            salt = self.prepare(day)
        return salt

    def prepare(self, day: str, now: float | None = None) -> bytes:
        """The salt of ``day``, made now if missing, forgetting nothing (tomorrow's, ahead)."""
        salt = self._salts.get(day)
        if salt is None:
            salt = self._salts[day] = new_salt()
            self._born[day] = time.time() if now is None else now
        return salt

    def born(self, day: str) -> float | None:
        return self._born.get(day)

    def offer(self, day: str, salt: bytes, born: float) -> bool:
        """Adopt ``salt`` for ``day`` if it is older than ours (or we have none); True if so."""
        if len(salt) < SALT_BYTES or (self._salts and day < min(self._salts)):
            return False
        mine = self._salts.get(day)
        if mine is not None and (self._born[day], mine) <= (born, salt):
            return False
        self._salts[day], self._born[day] = salt, born
        return True

    def adopt(self, day: str, salt: bytes) -> None:
        if len(salt) >= SALT_BYTES:
            self._salts[day] = salt
            self._born.setdefault(day, time.time())

    def forget_before(self, day: str) -> None:
        for old in [d for d in self._salts if d < day]:
            del self._salts[old]
            self._born.pop(old, None)

    def days(self) -> list[str]:
        return sorted(self._salts)


def opted_out(headers: Mapping[str, str], respect_dnt: bool = False) -> bool:
    """True when the browser asks not to be tracked: Sec-GPC: 1 (and DNT: 1 if configured)."""
    if headers.get("sec-gpc", "").strip() == "1":
        return True
    return respect_dnt and headers.get("dnt", "").strip() == "1"
