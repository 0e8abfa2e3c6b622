"""Messages of the Parquet, HTTP API, stream and push connectors and of file intake."""

MESSAGES: dict[str, tuple[str, str]] = {
    "ingest.connector.parquet": ("Parquet 文件", "Parquet file"),
    "ingest.connector.http_api": ("HTTP 接口", "HTTP JSON API"),
    "ingest.connector.nats": ("NATS 消息流", "NATS JetStream stream"),
    "ingest.connector.push": ("推送接口", "Push API"),
    # Parquet
    "ingest.parquet_invalid": (
        "不是有效的 Parquet 文件：{file}（{detail}）",
        "Not a valid Parquet file: {file} ({detail})",
    ),
    "ingest.parquet_invalid.hint": (
        "确认文件完整且为 Parquet 格式；目录中不要混放其他文件",
        "Check the file is complete Parquet; keep other files out of the directory",
    ),
    "ingest.parquet_column": (
        "Parquet 数据中没有列：{column}（现有：{known}）",
        "No column {column} in the Parquet data (has: {known})",
    ),
    "ingest.parquet_column.hint": (
        "更正游标列或键列的名称",
        "Correct the name of the cursor or key column",
    ),
    # HTTP APIs
    "ingest.http_auth": (
        "接口拒绝了认证：{url} 返回 HTTP {status}",
        "The API refused the credentials: {url} answered HTTP {status}",
    ),
    "ingest.http_auth.hint": (
        "向提供部门确认令牌或密码是否有效、是否已过期，并在数据源中更新",
        "Ask the providing department whether the token or password is valid and current, then update the source",
    ),
    "ingest.http_status": (
        "接口请求失败：{url} 第 {page} 页返回 HTTP {status}",
        "API request failed: {url} page {page} answered HTTP {status}",
    ),
    "ingest.http_status.hint": (
        "检查接口地址、固定参数和分页参数是否正确",
        "Check the URL, the fixed parameters and the paging parameters",
    ),
    "ingest.http_bad_json": (
        "接口返回的不是有效 JSON：{url} 第 {page} 页",
        "The API did not answer valid JSON: {url} page {page}",
    ),
    "ingest.http_bad_json.hint": (
        "请提供部门检查接口输出；本次归集未写入任何数据",
        "Ask the providing department to check the API's output; nothing was written",
    ),
    "ingest.http_unavailable": (
        "接口暂时不可用：{url} 第 {page} 页（{detail}），已重试仍失败",
        "The API is unavailable: {url} page {page} ({detail}) still failed after retries",
    ),
    "ingest.http_unavailable.hint": (
        "本次归集未写入任何数据，稍后会自动重试；持续失败请联系提供部门",
        "Nothing was written and the run will be retried; if it keeps failing contact the providing department",
    ),
    "ingest.http_no_records": (
        "接口响应中找不到记录数组：{url} 第 {page} 页，路径 {path}",
        "No records array in the API response: {url} page {page}, path {path}",
    ),
    "ingest.http_no_records.hint": (
        "在数据源配置中更正记录路径（如 data.items）",
        "Correct the records path in the source config (e.g. data.items)",
    ),
    "ingest.http_not_object": (
        "接口记录必须是对象：{url} 第 {page} 页第 {index} 条（从 0 计）不是",
        "API records must be objects: record {index} (0-based) of page {page} of {url} is not",
    ),
    "ingest.http_not_object.hint": (
        "检查记录路径是否指向对象数组",
        "Check that the records path points at an array of objects",
    ),
    "ingest.http_foreign_link": (
        "接口的下一页链接指向其他主机：{link}（数据源：{url}）",
        "The API's next link points at another host: {link} (source: {url})",
    ),
    "ingest.http_foreign_link.hint": (
        "为安全起见不会把凭据发往其他主机；请提供部门修正分页链接",
        "Credentials are never sent to another host; ask the providing department to fix its paging links",
    ),
    "ingest.http_too_many_pages": (
        "接口分页超过上限 {pages} 页：{url}",
        "The API returned more than {pages} pages: {url}",
    ),
    "ingest.http_too_many_pages.hint": (
        "检查分页方式是否配置正确，或提高最大页数",
        "Check the pagination settings, or raise the page limit",
    ),
    "ingest.http_no_since": (
        "增量归集需要接口的增量参数：{url}",
        "An incremental load needs the API's since parameter: {url}",
    ),
    "ingest.http_no_since.hint": (
        "在数据源配置中填写增量参数名（since_param），或改为全量归集",
        "Set since_param in the source config, or load in full",
    ),
    # Streams
    "ingest.stream_unavailable": (
        "消息服务器不可用：{server}（{detail}）",
        "The message server is unavailable: {server} ({detail})",
    ),
    "ingest.stream_unavailable.hint": (
        "确认 NATS 服务器地址和网络连通；消息不会丢失，恢复后继续归集",
        "Check the NATS server address and network; no message is lost, loading resumes when it is back",
    ),
    "ingest.stream_not_found": ("消息流不存在：{stream}", "No such JetStream stream: {stream}"),
    "ingest.stream_not_found.hint": (
        "在 NATS 中创建该流，或更正数据源中的流名称",
        "Create the stream in NATS, or correct the stream name in the source",
    ),
    "ingest.stream_bad_message": (
        "消息不是 JSON 对象：主题 {subject}，流序号 {seq}",
        "A message is not a JSON object: subject {subject}, stream sequence {seq}",
    ),
    "ingest.stream_bad_message.hint": (
        "请发送方修正消息格式；该消息及其后的消息未归集",
        "Ask the publisher to fix the message; it and the messages after it were not loaded",
    ),
    # File intake
    "ingest.bad_filename": ("文件名不可用：{filename}", "Unusable file name: {filename}"),
    "ingest.bad_filename.hint": (
        "文件名不能包含路径分隔符、..、控制字符或以点开头；请改名后重新上传",
        "File names may not contain path separators, .., control characters or start with a dot; rename and retry",
    ),
    "ingest.file_too_large": (
        "文件过大：{file} 超过 {limit_mb} MB 上限",
        "File too large: {file} is over the {limit_mb} MB limit",
    ),
    "ingest.file_too_large.hint": (
        "拆分文件后分批上传，或改用数据库或接口方式归集",
        "Split the file and upload the parts, or connect the database or API instead",
    ),
    "ingest.drop_folder_missing": ("监控目录不存在：{path}", "The drop folder does not exist: {path}"),
    "ingest.drop_folder_missing.hint": (
        "创建该目录或更正数据源中的目录路径",
        "Create the folder or correct its path in the source",
    ),
    "ingest.fetch_bad_url": ("不支持的下载地址：{url}", "Unsupported download URL: {url}"),
    "ingest.fetch_bad_url.hint": ("使用 http:// 或 https:// 地址", "Use an http:// or https:// URL"),
    "ingest.fetch_status": (
        "下载失败：{url} 返回 HTTP {status}",
        "Download failed: {url} answered HTTP {status}",
    ),
    "ingest.fetch_status.hint": (
        "检查地址是否正确、是否需要认证",
        "Check the URL and whether it needs credentials",
    ),
    "ingest.fetch_unavailable": (
        "下载地址暂时不可用：{url}（{detail}）",
        "The download URL is unavailable: {url} ({detail})",
    ),
    "ingest.fetch_unavailable.hint": (
        "稍后重试；持续失败请联系文件提供方",
        "Try again later; if it keeps failing contact the provider of the file",
    ),
    # Push API
    "ingest.push_only": (
        "推送数据源没有可拉取的数据：数据由部门系统通过推送接口提交",
        "A push source has nothing to pull: department systems submit data through the push API",
    ),
    "ingest.push_only.hint": (
        "不要为推送数据源安排定时归集；数据由 POST /api/v1/ingest/push/{{表编号}} 写入",
        "Do not schedule push sources; data arrives via POST /api/v1/ingest/push/{{table id}}",
    ),
    "ingest.push_table_not_found": ("推送目标表不存在：{table}", "No such push target table: {table}"),
    "ingest.push_table_not_found.hint": (
        "使用平台登记的数据源表编号",
        "Use the source table id registered on the platform",
    ),
    "ingest.push_not_push_source": (
        "数据源 {source} 的类型是 {connector}，不接受推送",
        "Source {source} is of type {connector} and does not accept pushes",
    ),
    "ingest.push_not_push_source.hint": (
        "为推送登记一个“推送接口”类型的数据源",
        "Register a source of type push for pushed data",
    ),
    "ingest.push_key_required": (
        "推送请求必须带 Idempotency-Key 请求头（不超过 {limit} 个字符）",
        "A push needs an Idempotency-Key header (at most {limit} characters)",
    ),
    "ingest.push_key_required.hint": (
        "为每个批次生成唯一的键（如 UUID），重试时使用同一个键",
        "Give every batch a unique key (e.g. a UUID) and reuse it when retrying",
    ),
    "ingest.push_key_reused": (
        "Idempotency-Key {key} 已用于内容不同的另一个批次",
        "Idempotency-Key {key} was already used for a different batch",
    ),
    "ingest.push_key_reused.hint": (
        "新批次请使用新的键；只有重试同一批次时才复用键",
        "Use a new key for a new batch; reuse a key only to retry the same batch",
    ),
    "ingest.push_too_large": (
        "推送内容超过 {limit_mb} MB 上限",
        "The pushed body is over the {limit_mb} MB limit",
    ),
    "ingest.push_too_large.hint": (
        "把数据拆成多个较小的批次分别推送",
        "Split the data into smaller batches and push each",
    ),
    "ingest.push_unsupported_type": (
        "不支持的推送内容类型：{content_type}",
        "Unsupported content type for a push: {content_type}",
    ),
    "ingest.push_unsupported_type.hint": (
        "使用 application/json 或 text/csv",
        "Send application/json or text/csv",
    ),
    "ingest.push_bad_json": (
        "推送的 JSON 语法错误：第 {line} 行第 {column} 列",
        "JSON syntax error in the push: line {line}, column {column}",
    ),
    "ingest.push_bad_json.hint": ("修正该处后重新推送", "Fix it and push again"),
    "ingest.push_not_array": (
        '推送的 JSON 必须是对象数组，或 {{"records": [...]}}',
        'The pushed JSON must be an array of objects or {{"records": [...]}}',
    ),
    "ingest.push_not_array.hint": ("把记录放进数组后重新推送", "Put the records in an array and push again"),
    "ingest.push_not_object": (
        "推送的第 {index} 条记录（从 0 计）不是 JSON 对象",
        "Record {index} (0-based) of the push is not a JSON object",
    ),
    "ingest.push_not_object.hint": ("每条记录写成 {{字段: 值}}", "Write every record as {{field: value}}"),
    "ingest.push_empty": ("推送内容中没有记录", "The push contains no records"),
    "ingest.push_empty.hint": ("至少推送一条记录", "Push at least one record"),
    "ingest.push_bad_encoding": (
        "推送内容的编码无法识别：第 {line} 行（字节偏移 {offset}）",
        "Cannot decode the push: line {line} (byte offset {offset})",
    ),
    "ingest.push_bad_encoding.hint": (
        "用 UTF-8 编码，或在 Content-Type 中声明 charset",
        "Encode as UTF-8, or declare the charset in Content-Type",
    ),
    "ingest.push_csv": (
        "推送的 CSV 第 {line} 行格式错误：{detail}",
        "Malformed CSV in the push at line {line}: {detail}",
    ),
    "ingest.push_csv.hint": (
        "检查该行的列数与表头是否一致、引号是否成对",
        "Check that the line has as many columns as the header and that quotes pair up",
    ),
    "ingest.push_missing_key": (
        "第 {index} 条记录（从 0 计）缺少主键字段 {column}",
        "Record {index} (0-based) lacks the key field {column}",
    ),
    "ingest.push_missing_key.hint": (
        "每条记录都要带上表的主键字段",
        "Every record must carry the table's key fields",
    ),
    "ingest.push_new_columns": (
        "推送带来了新字段：{columns}，而该表的结构变化策略为拒绝",
        "The push brings new fields {columns} and the table's drift policy is reject",
    ),
    "ingest.push_new_columns.hint": (
        "由数据专员确认新字段后放宽策略，或按原字段推送",
        "Have the data officer accept the new fields and relax the policy, or push the known fields only",
    ),
}
