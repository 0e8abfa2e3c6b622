"""Messages of the lake package."""

MESSAGES: dict[str, tuple[str, str]] = {
    "lake.bad_layer": ("未知的数据层：{layer}（可选：{known}）", "Unknown layer: {layer} (known: {known})"),
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
