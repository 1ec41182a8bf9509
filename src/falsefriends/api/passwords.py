"""Password hashing with scrypt (standard library, memory-hard) and random tokens stored as SHA-256.

Format: `scrypt$<log2 n>$<r>$<p>$<salt b64>$<hash b64>`, so the cost can be raised later and old hashes still
verify.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

LOG2_N = 15
R = 8
P = 1
DKLEN = 32
MIN_PASSWORD = 10
MAX_PASSWORD = 1024


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def hash_password(password: str) -> str:
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise ValueError(f"a password must have {MIN_PASSWORD} to {MAX_PASSWORD} characters")
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=2**LOG2_N, r=R, p=P, dklen=DKLEN,
                            maxmem=128 * 2**LOG2_N * R * 2)
    return f"scrypt${LOG2_N}${R}${P}${_b64(salt)}${_b64(digest)}"


def verify_password(password: str, stored: str | None) -> bool:
    """True when `password` matches; False for anything malformed (never raises on input)."""
    if not stored or len(password) > MAX_PASSWORD:
        return False
    try:
        scheme, log2_n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        n_exp, r_val, p_val = int(log2_n), int(r), int(p)
        expected = base64.b64decode(digest)
        actual = hashlib.scrypt(password.encode("utf-8"), salt=base64.b64decode(salt), n=2**n_exp, r=r_val,
                                p=p_val, dklen=len(expected), maxmem=128 * 2**n_exp * r_val * 2)
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


def new_token(prefix: str = "ff_") -> str:
    """A 256-bit random token; the prefix makes it recognisable to secret scanners."""
    return prefix + secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
