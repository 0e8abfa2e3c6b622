"""The message catalog: key → (zh_CN, en). Error codes and ``<code>.hint`` keys included.

Each pillar keeps its keys in ``govdata/i18n/<pillar>.py`` as a ``MESSAGES`` dict; this module
merges them. tests/meta checks that every error code raised in the code has an entry.
"""

from __future__ import annotations

import importlib
import pkgutil

MESSAGES: dict[str, tuple[str, str]] = {
    "error.unknown": (
        "系统内部错误，请联系平台管理员并提供请求编号",
        "Internal error; give the request id to the platform administrator",
    ),
    "error.validation": ("请求参数不正确：{detail}", "Invalid request: {detail}"),
    "error.not_found": ("未找到：{what}", "Not found: {what}"),
    "config.weak_secret": (
        "非演示环境不能使用默认或过短的密钥：{field}",
        "Outside the demo a default or short secret is refused: {field}",
    ),
    "cli.internal": ("内部错误（{kind}）", "Internal error ({kind})"),
    "cli.internal.hint": ("加 --debug 重新运行以查看详细信息", "Run again with --debug to see the traceback"),
    "config.weak_secret.hint": (
        "设置至少32个字符的随机密钥",
        "Set a random secret of at least 32 characters",
    ),
}


def _merge() -> None:
    package = importlib.import_module("govdata.i18n")
    for info in pkgutil.iter_modules(package.__path__):
        if info.name != "messages":
            module = importlib.import_module(f"govdata.i18n.{info.name}")
            MESSAGES.update(getattr(module, "MESSAGES", {}))


_merge()
