"""Messages of ingest time travel."""

MESSAGES: dict[str, tuple[str, str]] = {
    "ingest.as_of_one": (
        "请给出时间点或版本号，二者选一",
        "Give either a point in time or a version, not both",
    ),
    "ingest.as_of_one.hint": (
        "例如 ?as_of=2026-11-01T00:00:00 或 ?version=3",
        "e.g. ?as_of=2026-11-01T00:00:00 or ?version=3",
    ),
    "ingest.as_of_limit": ("每次最多返回{max}行：{limit}", "At most {max} rows per request: {limit}"),
    "ingest.as_of_limit.hint": ("减小 limit，或按版本分批查看", "Lower the limit"),
    "ingest.no_such_version": ("表{table}没有版本{version}", "Table {table} has no version {version}"),
    "ingest.no_such_version.hint": (
        "先查看该表的版本列表",
        "List the table's versions first",
    ),
}
