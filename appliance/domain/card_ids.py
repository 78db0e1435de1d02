"""Card identifiers (ST4, KI2): a card's UID is only ever kept as a keyed hash.

An NFC UID is 4, 7 or 10 bytes. A plain SHA-256 of 4-7 bytes is brute-forced
in minutes on a laptop, so a stolen database (or a synced copy in the cloud)
would give away every UID and let anyone clone the cards. HMAC-SHA256 with
a key that lives only in the box's data folder turns the stored value into
something useless without that key.
"""
import hashlib
import hmac
import re

UID_LENGTHS = range(4, 11)  # ISO/IEC 14443: single (4), double (7) or triple (10) size UIDs
MIN_KEY_BYTES = 16
HASH_PATTERN = re.compile(r"^[0-9a-f]{64}$")


def card_uid_hash(uid: bytes, key: bytes) -> str:
    """The HMAC-SHA256 of a card UID under the box's card key, as 64 lowercase hex digits."""
    if len(uid) not in UID_LENGTHS:
        raise ValueError(f"a card UID has 4 to 10 bytes, not {len(uid)}")
    if len(key) < MIN_KEY_BYTES:
        raise ValueError(f"the card key must have at least {MIN_KEY_BYTES} bytes")
    return hmac.new(key, uid, hashlib.sha256).hexdigest()


def uid_from_hex(text: str) -> bytes:
    """A UID as readers print it ("04:A2:1B:7C", "04a21b7c") back to bytes; ValueError if it is not one."""
    digits = re.sub(r"[\s:-]", "", text)
    if not re.fullmatch(r"(?:[0-9a-fA-F]{2})+", digits):
        raise ValueError("a card UID is written as hexadecimal byte pairs")
    uid = bytes.fromhex(digits)
    if len(uid) not in UID_LENGTHS:
        raise ValueError(f"a card UID has 4 to 10 bytes, not {len(uid)}")
    return uid


def is_uid_hash(value: str) -> bool:
    """True if ``value`` looks like a stored card hash (never a UID in clear)."""
    return isinstance(value, str) and bool(HASH_PATTERN.match(value))
