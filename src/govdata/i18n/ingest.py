"""Messages of the ingest pillar (connectors, runner)."""

MESSAGES: dict[str, tuple[str, str]] = {
    "ingest.connector.sql": ("关系数据库", "Relational database"),
    "ingest.connector.csv": ("CSV/文本文件", "CSV / delimited text file"),
    "ingest.connector.excel": ("Excel 表格", "Excel workbook"),
    "ingest.connector.json": ("JSON 文件", "JSON file"),
    "ingest.bad_config": (
        "{connector} 数据源配置不正确：{detail}",
        "Invalid {connector} source config: {detail}",
    ),
    "ingest.bad_config.hint": (
        "按数据源表单补全或更正配置项",
        "Complete or correct the fields of the source form",
    ),
    "ingest.unknown_connector": (
        "未知的连接器：{name}（可选：{known}）",
        "Unknown connector: {name} (known: {known})",
    ),
    "ingest.unknown_connector.hint": (
        "选择已安装的连接器，或安装提供该连接器的插件",
        "Pick an installed connector or install the plugin that provides it",
    ),
    "ingest.connector_name_taken": (
        "连接器名称冲突：{name} 已被另一个插件注册",
        "Connector name clash: {name} is registered by another plugin",
    ),
    "ingest.connector_name_taken.hint": (
        "卸载其中一个插件或为连接器改名",
        "Uninstall one of the plugins or rename its connector",
    ),
    "ingest.file_not_found": ("找不到文件：{file}", "File not found: {file}"),
    "ingest.file_not_found.hint": (
        "确认文件已上传到平台的文件目录且路径正确",
        "Check the file was uploaded to the platform's file drop and the path is right",
    ),
    "ingest.bad_encoding": (
        "文件编码无法识别：{file} 第 {line} 行（字节偏移 {offset}）不是有效的 {encoding} 字符",
        "Cannot decode {file}: line {line} (byte offset {offset}) is not valid {encoding}",
    ),
    "ingest.bad_encoding.hint": (
        "文件可能已损坏或被截断；请用 UTF-8 重新导出，或在配置中指定正确的编码",
        "The file may be damaged or truncated; export it again as UTF-8 or set the right encoding in the config",
    ),
    "ingest.unknown_encoding": ("不支持的编码名称：{encoding}", "Unknown encoding name: {encoding}"),
    "ingest.unknown_encoding.hint": (
        "使用 utf-8、gb18030、utf-16 等标准编码名，或留空自动识别",
        "Use a standard name such as utf-8, gb18030, utf-16, or leave it empty to detect",
    ),
    "ingest.empty_file": ("文件为空：{file}", "The file is empty: {file}"),
    "ingest.empty_file.hint": ("确认上传的是完整的数据文件", "Check that the full data file was uploaded"),
    "ingest.csv_parse": ("CSV 文件格式错误：{file}：{detail}", "Malformed CSV file {file}: {detail}"),
    "ingest.csv_parse.hint": (
        "检查分隔符、引号和每行的列数；可在配置中指定分隔符",
        "Check delimiters, quotes and the number of columns per line; the delimiter can be set in the config",
    ),
    "ingest.json_syntax": ("JSON 语法错误：{file} 第 {line} 行", "JSON syntax error: {file} line {line}"),
    "ingest.json_syntax.hint": (
        "用 JSON 校验工具修正该行后重新上传",
        "Fix that line with a JSON validator and upload again",
    ),
    "ingest.json_not_array": (
        "JSON 文件顶层必须是对象数组或每行一个对象（JSON Lines）：{file}",
        "The top level of {file} must be an array of objects or one object per line (JSON Lines)",
    ),
    "ingest.json_not_array.hint": (
        "把记录放进一个数组，或每行写一个对象",
        "Put the records in one array, or write one object per line",
    ),
    "ingest.json_not_object": (
        "JSON 记录必须是对象：{file} 第 {index} 条记录（从 0 计）不是对象",
        "Every JSON record must be an object: record {index} (0-based) of {file} is not",
    ),
    "ingest.json_not_object.hint": (
        "去掉数组中的非对象元素，或改为 {{字段: 值}} 形式",
        "Remove the non-object elements or wrap them as {{field: value}}",
    ),
    "ingest.sql_table_not_found": (
        "源数据库中没有表：{table}（模式：{schema}）",
        "No such table in the source database: {table} (schema: {schema})",
    ),
    "ingest.sql_table_not_found.hint": (
        "用“发现表”列出可采集的表，检查表名和模式",
        "List the tables with discover and check the table and schema names",
    ),
    "ingest.sql_value": (
        "源表 {table} 的列 {column} 中有与声明类型不符的值：{detail}",
        "Column {column} of source table {table} holds a value that does not match its declared type: {detail}",
    ),
    "ingest.sql_value.hint": (
        "请数据提供部门更正该列的数据或类型",
        "Ask the providing department to fix that column's values or type",
    ),
    "ingest.source_unavailable": ("无法连接数据源：{source}", "Cannot reach the source: {source}"),
    "ingest.source_unavailable.hint": (
        "检查网络、地址、账号密码和数据库是否在运行；稍后会自动重试",
        "Check the network, address, credentials and that the database is running; the run will be retried",
    ),
    "ingest.excel_unreadable": ("无法读取 Excel 文件：{file}", "Cannot read the Excel file: {file}"),
    "ingest.excel_unreadable.hint": (
        "确认文件是 .xlsx/.xls/.et 格式且未加密、未损坏",
        "Check the file is .xlsx/.xls/.et, not encrypted and not damaged",
    ),
    "ingest.excel_sheet_not_found": (
        "{file} 中没有工作表 {sheet}（现有：{known}）",
        "No sheet {sheet} in {file} (sheets: {known})",
    ),
    "ingest.excel_sheet_not_found.hint": (
        "在配置中填写现有的工作表名称或序号",
        "Set an existing sheet name or index in the config",
    ),
    "ingest.excel_no_header": (
        "未能在 {file} 的工作表 {sheet} 中找到表头",
        "No header row found in sheet {sheet} of {file}",
    ),
    "ingest.excel_no_header.hint": (
        "表头应是前 30 行中第一行至少有两个非空单元格的行；删除表头上方的多余内容",
        "The header must be the first row among the first 30 with at least two filled cells; remove clutter above it",
    ),
    "ingest.reserved_column": (
        "源数据中的列名 {column} 为平台保留字段",
        "Column {column} of the source is a name the platform reserves",
    ),
    "ingest.reserved_column.hint": (
        "在源端为该列改名后重新采集",
        "Rename that column at the source and run again",
    ),
    "ingest.schema_mismatch": (
        "连接器 {connector} 输出的数据结构与声明不一致：{detail}",
        "Connector {connector} produced batches that do not match its declared schema: {detail}",
    ),
    "ingest.schema_mismatch.hint": (
        "这是连接器的缺陷，请联系其维护者",
        "This is a connector defect; contact its maintainer",
    ),
    "ingest.failed": ("采集 {table} 失败：{detail}", "Loading {table} failed: {detail}"),
    "ingest.failed.hint": (
        "查看运行记录中的错误详情，修正数据源后重新运行",
        "Read the error in the run history, fix the source and run again",
    ),
    "ingest.secret_undecryptable": (
        "数据源 {source} 的密码无法解密",
        "The stored secret of source {source} cannot be decrypted",
    ),
    "ingest.secret_undecryptable.hint": (
        "平台密钥可能已更换；请重新填写该数据源的密码",
        "The platform secret key may have changed; enter the source's password again",
    ),
    "ingest.source_not_found": ("数据源不存在：{source}", "No such source: {source}"),
    "ingest.source_not_found.hint": (
        "刷新数据源列表，确认数据源未被删除",
        "Refresh the source list; the source may have been deleted",
    ),
    "ingest.department_not_found": ("部门不存在：{department}", "No such department: {department}"),
    "ingest.department_not_found.hint": (
        "先在平台中登记该部门",
        "Register the department on the platform first",
    ),
}
