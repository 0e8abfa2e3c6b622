"""Messages of file intake wired to sources (engineer E1): upload, watched folder, URL fetch."""

MESSAGES: dict[str, tuple[str, str]] = {
    "ingest.intake_not_file": (
        "数据源 {source} 使用 {connector} 连接器，不能上传或监控文件",
        "Source {source} uses the {connector} connector: files cannot be uploaded or watched for it",
    ),
    "ingest.intake_not_file.hint": (
        "只有 CSV、Excel、JSON、Parquet 文件数据源支持上传、监控目录和 URL 下载",
        "Only CSV, Excel, JSON and Parquet file sources take uploads, drop folders and URLs",
    ),
    "ingest.intake_bad_settings": (
        "文件接收设置无效：{detail}",
        "Invalid file intake settings: {detail}",
    ),
    "ingest.intake_bad_settings.hint": (
        "监控目录与 URL 二选一；文件名模式如 *.csv，不含路径；等待秒数不能为负",
        "Choose either a drop folder or a URL; the pattern is a file name pattern like *.csv; the wait is not negative",
    ),
    "ingest.upload_no_file": ("没有收到上传的文件", "No file was uploaded"),
    "ingest.upload_no_file.hint": (
        "选择要上传的文件后再提交",
        "Choose the file to upload, then submit",
    ),
    # portal
    "portal.ingest.upload": ("上传文件", "Upload a file"),
    "portal.ingest.upload_file": ("文件", "File"),
    "portal.ingest.upload_submit": ("上传并归集", "Upload and load"),
    "portal.ingest.upload_help": (
        "文件数据源（CSV、Excel、JSON、Parquet）：上传后立即归集该数据源的表；上限 {limit_mb} MB",
        "File sources (CSV, Excel, JSON, Parquet): the upload is loaded into the source's tables at once; "
        "limit {limit_mb} MB",
    ),
    "portal.ingest.uploaded": (
        "已上传 {file}，开始归集",
        "Uploaded {file}; loading started",
    ),
    "portal.ingest.uploaded_unchanged": (
        "已上传 {file}：内容与上次相同，无需重新归集",
        "Uploaded {file}: same content as before, nothing to load",
    ),
    "portal.ingest.no_file_sources": ("本部门还没有文件数据源", "The department has no file sources yet"),
    "portal.ingest.intake": ("文件来源", "File intake"),
    "portal.ingest.intake_watch": ("监控目录 {folder}（{pattern}）", "Drop folder {folder} ({pattern})"),
    "portal.ingest.intake_url": ("从 URL 下载：{url}", "Fetched from {url}"),
    "portal.ingest.intake_seen": ("已发现的文件", "Files seen"),
}
