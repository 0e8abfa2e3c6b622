"""The message catalog: key → (zh_CN, en). Error codes and ``<code>.hint`` keys included.

Pillars add their own keys here, grouped by pillar; tests/meta checks that every error code raised
in the code has an entry.
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # --- generic -------------------------------------------------------------------------------
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
    "config.weak_secret.hint": (
        "设置至少32个字符的随机密钥",
        "Set a random secret of at least 32 characters",
    ),
}
MESSAGES.update(
    {
        # --- lake ----------------------------------------------------------------------------------
        "lake.bad_layer": (
            "未知的数据层：{layer}（可选：{known}）",
            "Unknown layer: {layer} (known: {known})",
        ),
        "lake.bad_name": (
            "表名或部门代码不合法：{name}（小写字母开头，仅含小写字母、数字、下划线）",
            "Invalid table or department name: {name} (lower-case letter first, then lower-case letters, digits, _)",
        ),
        "lake.table_not_found": ("数据湖中没有这张表：{table}", "No such lake table: {table}"),
        "lake.schema_required": (
            "写入批次数据时必须给出表结构：{table}",
            "A schema is required to write batches: {table}",
        ),
    }
)
