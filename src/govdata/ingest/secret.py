"""Encryption of source secrets (database passwords, API tokens) at rest in the metadata store.

Fernet (AES-128-CBC + HMAC-SHA256) with a key derived from the platform ``secret_key``; the two
functions are the only place that knows how, so the scheme can move to SM4 later.
Raises ``InvalidInput("ingest.secret_undecryptable")`` when a token does not decrypt with the key.
"""

from __future__ import annotations

import base64
import hashlib

from govdata.errors import InvalidInput

_CONTEXT = b"govdata.ingest.source-secret.v1"


def _fernet(key: str) -> object:
    from cryptography.fernet import Fernet

    derived = hashlib.pbkdf2_hmac("sha256", key.encode("utf-8"), _CONTEXT, 10_000)
    return Fernet(base64.urlsafe_b64encode(derived))


def encrypt_secret(plain: str, key: str) -> str:
    """``plain`` encrypted under ``key`` as URL-safe text."""
    return _fernet(key).encrypt(plain.encode("utf-8")).decode("ascii")  # type: ignore[attr-defined, no-any-return]


def decrypt_secret(token: str, key: str, source: str = "") -> str:
    """The plain secret of ``token``; ``source`` only names the owner in the error."""
    from cryptography.fernet import InvalidToken

    try:
        return _fernet(key).decrypt(token.encode("ascii")).decode("utf-8")  # type: ignore[attr-defined, no-any-return]
    except (InvalidToken, ValueError) as exc:
        raise InvalidInput("ingest.secret_undecryptable", source=source) from exc
