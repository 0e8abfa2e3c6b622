"""Messages of the open-data portal."""

MESSAGES: dict[str, tuple[str, str]] = {
    "opendata.not_open": ("没有这个开放数据集：{code}", "No such open dataset: {code}"),
}
