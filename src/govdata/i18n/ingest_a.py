"""Messages of the ``sql`` connector's request narrowing (cursor, columns, lookups)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "ingest.sql_column_not_found": (
        "源表 {table} 中没有列：{column}",
        "The source table {table} has no column {column}",
    ),
    "ingest.sql_column_not_found.hint": (
        "检查增量游标列、主键列或查询条件中的列名；源表删除或改名了该列时，先更新采集表配置",
        "Check the column named as cursor, key or lookup; if the source dropped or renamed it, update the table's settings first",
    ),
    "ingest.sql_bad_filter": (
        "值“{value}”不能用作列 {column} 的查询条件（类型不符）",
        "The value '{value}' cannot filter column {column} (wrong type)",
    ),
    "ingest.sql_bad_filter.hint": (
        "按该列的类型提供游标或查询值，例如日期写成 2024-01-31，时间写成 2024-01-31T08:00:00",
        "Give the cursor or lookup value in the column's type, e.g. a date as 2024-01-31, a timestamp as 2024-01-31T08:00:00",
    ),
}
