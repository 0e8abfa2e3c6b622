"""Messages of the demo package (the synthetic city generator)."""

MESSAGES: dict[str, tuple[str, str]] = {
    "demo.unknown_scale": (
        "未知的示例规模：{scale}（可选：{known}）",
        "Unknown demo scale: {scale} (known: {known})",
    ),
    "demo.unknown_scale.hint": ("请使用 small、medium 或 large", "Use small, medium or large"),
    "demo.unknown_source": (
        "未知的示例数据源类型：{source}（可选：{known}）",
        "Unknown demo source kind: {source} (known: {known})",
    ),
    "demo.unknown_source.hint": ("请从可选类型中选择", "Pick one of the known kinds"),
    "demo.bad_namespace": (
        "命名空间不合法：{namespace}（仅限小写字母、数字、下划线，最长24个字符）",
        "Invalid namespace: {namespace} (lower-case letters, digits and _ only, at most 24 characters)",
    ),
    "demo.bad_namespace.hint": (
        "换一个只含小写字母和数字的名称",
        "Choose a name of lower-case letters and digits",
    ),
    "demo.bad_identifier": ("标识符不合法：{name}", "Invalid identifier: {name}"),
    "demo.bad_identifier.hint": (
        "表名和库名须以小写字母开头，仅含小写字母、数字、下划线",
        "Table and database names start with a lower-case letter and hold only a-z, 0-9 and _",
    ),
    "demo.service_unreachable": ("无法连接数据库服务：{url}", "Cannot reach the database server: {url}"),
    "demo.service_unreachable.hint": (
        "请确认该数据库服务已启动、地址和账号正确，或不选择该数据源类型",
        "Check that the server is running and the URL and account are right, or leave that source kind out",
    ),
    "demo.progress.people": ("生成人口及各部门业务数据", "Generating people and department records"),
    "demo.progress.jt_llsj": ("生成交通流量监测数据", "Generating traffic sensor readings"),
    "demo.progress.kq_jcsj": ("生成空气质量监测数据", "Generating air-quality readings"),
}
