"""Visitor keys without storing who the visitor is.

The key is BLAKE2b-64 keyed with a random salt that changes every local day. The salt lives
in memory (or, with Redis, in a key that expires), so once a day is over nobody, the operator
included, can link a key back to an IP address and user agent. Raw IP and UA never leave
``visitor_key``.
"""

from __future__ import annotations

import hashlib
import ipaddress
import secrets
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

    ``adopt`` lets a shared store (Redis) impose the salt every instance uses, so that several
    instances compute the same key for the same visitor.
    """

    def __init__(self) -> None:
        self._salts: dict[str, bytes] = {}

    def salt(self, day: str) -> bytes:
        salt = self._salts.get(day)
        if salt is None:
            self.forget_before(day)
            salt = self._salts[day] = new_salt()
        return salt

    def adopt(self, day: str, salt: bytes) -> None:
        if len(salt) >= SALT_BYTES:
            self._salts[day] = salt

    def forget_before(self, day: str) -> None:
        for old in [d for d in self._salts if d < day]:
            del self._salts[old]

    def days(self) -> list[str]:
        return sorted(self._salts)


def opted_out(headers: Mapping[str, str], respect_dnt: bool = False) -> bool:
    """True when the browser asks not to be tracked: Sec-GPC: 1 (and DNT: 1 if configured)."""
    if headers.get("sec-gpc", "").strip() == "1":
        return True
    return respect_dnt and headers.get("dnt", "").strip() == "1"
