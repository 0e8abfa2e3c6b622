"""Bilingual text: error messages, hints and portal strings (zh_CN default, en).

The catalog is ``messages.MESSAGES``: key → (Chinese, English). Error codes are keys too;
``<code>.hint`` keys carry what to do next.
"""

from __future__ import annotations

from typing import Any

from govdata.i18n.messages import MESSAGES

LANGS = ("zh", "en")


def text(key: str, lang: str = "zh", /, **params: Any) -> str:
    """The string for ``key`` in ``lang``, formatted with ``params``; the key itself if unknown."""
    pair = MESSAGES.get(key)
    if pair is None:
        return key
    template = pair[1] if lang == "en" else pair[0]
    try:
        return template.format(**params)
    except (KeyError, IndexError):
        return template


def error_text(code: str, lang: str = "zh", /, **params: Any) -> str:
    if code not in MESSAGES:
        return text("error.unknown", lang) + f" ({code})"
    return text(code, lang, **params)


def error_hint(code: str, lang: str = "zh", /) -> str:
    key = f"{code}.hint"
    return text(key, lang) if key in MESSAGES else ""
