"""Messages of the catalog's Excel round trip: sheet and column names, the guide, per-file and per-row errors."""

MESSAGES: dict[str, tuple[str, str]] = {
    # sheets
    "catalog_x.sheet.guide": ("说明", "Guide"),
    "catalog_x.sheet.resources": ("资源", "Resources"),
    "catalog_x.sheet.items": ("信息项", "Items"),
    # resource columns
    "catalog_x.col.code": ("资源代码", "Resource code"),
    "catalog_x.col.name": ("资源名称", "Resource name"),
    "catalog_x.col.department": ("提供方代码", "Provider code"),
    "catalog_x.col.summary": ("摘要", "Summary"),
    "catalog_x.col.category": ("资源分类", "Category"),
    "catalog_x.col.format": ("资源格式", "Format"),
    "catalog_x.col.share_type": ("共享属性", "Sharing type"),
    "catalog_x.col.share_condition": ("共享条件", "Sharing condition"),
    "catalog_x.col.share_basis": ("不予共享依据", "Basis for not sharing"),
    "catalog_x.col.open_type": ("开放属性", "Open type"),
    "catalog_x.col.update_cycle": ("更新周期", "Update cycle"),
    "catalog_x.col.lake_table": ("关联数据表", "Lake table"),
    "catalog_x.col.key_column": ("主键字段", "Key column"),
    # item columns
    "catalog_x.col.resource": ("资源代码", "Resource code"),
    "catalog_x.col.position": ("序号", "No."),
    "catalog_x.col.item_name": ("信息项名称", "Item name"),
    "catalog_x.col.column": ("字段名", "Column"),
    "catalog_x.col.data_type": ("数据类型", "Data type"),
    "catalog_x.col.length": ("长度", "Length"),
    "catalog_x.col.masking": ("脱敏规则", "Masking rule"),
    "catalog_x.col.sensitive": ("敏感", "Sensitive"),
    "catalog_x.col.required": ("必填", "Required"),
    "catalog_x.yes": ("是", "Yes"),
    "catalog_x.no": ("否", "No"),
    # the guide sheet, one line each
    "catalog_x.guide.title": (
        "政务信息资源目录导入模板（版本 {version}）",
        "Catalog import template (version {version})",
    ),
    "catalog_x.guide.1": (
        "“资源”表每行一个信息资源，“信息项”表每行一个信息项，用“资源代码”关联；第1行为中文表头，第2行为英文表头，从第3行起填写。",
        "One resource per row on the Resources sheet, one item per row on the Items sheet, joined by the "
        "resource code; row 1 holds the Chinese headers, row 2 the English ones, data starts on row 3.",
    ),
    "catalog_x.guide.2": (
        "必填：资源代码、资源名称、提供方代码、摘要、资源分类、资源格式、共享属性、开放属性、更新周期；信息项的资源代码、信息项名称、字段名、数据类型。",
        "Required: code, name, provider code, summary, category, format, sharing type, open type, update "
        "cycle; for items the resource code, item name, column and data type.",
    ),
    "catalog_x.guide.3": (
        "资源分类、共享属性、开放属性、更新周期、数据类型、脱敏规则、敏感、必填请从下拉列表中选择。",
        "Pick category, sharing type, open type, update cycle, data type, masking rule, sensitive and "
        "required from the drop-down lists.",
    ),
    "catalog_x.guide.4": (
        "有条件共享须填写共享条件；不予共享须填写法律、行政法规或政策依据。每个资源至少一个信息项。",
        "Conditional sharing needs a condition; not shared needs its legal or policy basis. Every "
        "resource needs at least one item.",
    ),
    "catalog_x.guide.5": (
        "提供方代码为平台中的部门代码，只能填写本部门；资源代码在目录中唯一。",
        "The provider code is the department's code on the platform, your own department only; resource "
        "codes are unique in the catalog.",
    ),
    "catalog_x.guide.6": (
        "导入为整体校验：任何一行有错误则全部不导入，请按报告逐行修改后重新上传。导入的资源为草稿，发布后他人可见。",
        "Import is all-or-nothing: one bad row and nothing is imported; fix the rows the report names and "
        "upload again. Imported resources are drafts, visible to others once published.",
    ),
    "catalog_x.guide.7": (
        "请勿修改表名、表头和隐藏的版本标记；文件不超过 {limit_mb} MB。",
        "Do not change the sheet names, the headers or the hidden version marker; files up to {limit_mb} MB.",
    ),
    # per-file errors (raised)
    "catalog_x.too_large": (
        "文件“{filename}”超过 {limit_mb} MB，未导入",
        "File {filename} is larger than {limit_mb} MB; nothing was imported",
    ),
    "catalog_x.too_large.hint": (
        "按部门拆分为多个文件后分别上传",
        "Split the catalog into several files (by department) and upload them one by one",
    ),
    "catalog_x.not_workbook": (
        "文件“{filename}”不是 Excel 工作簿（.xlsx），未导入",
        "File {filename} is not an Excel workbook (.xlsx); nothing was imported",
    ),
    "catalog_x.not_workbook.hint": (
        "下载目录模板，填写后另存为 .xlsx 格式再上传",
        "Download the catalog template, fill it in and save it as .xlsx before uploading",
    ),
    "catalog_x.wrong_template": (
        "文件“{filename}”不是本平台当前版本的目录模板（文件版本：{found}，当前版本：{expected}），未导入",
        "File {filename} is not this platform's current catalog template (file version: {found}, "
        "current: {expected}); nothing was imported",
    ),
    "catalog_x.wrong_template.hint": (
        "下载最新模板，把内容复制到新模板中再上传",
        "Download the current template, copy your rows into it and upload that",
    ),
    "catalog_x.rejected": (
        "文件“{filename}”有 {count} 处错误，未导入任何内容",
        "File {filename} has {count} errors; nothing was imported",
    ),
    "catalog_x.rejected.hint": (
        "按错误列表中的表、行、列逐一修改后重新上传",
        "Fix each error at the sheet, row and column listed, then upload again",
    ),
    "catalog_x.no_file": ("请选择要上传的文件", "Choose a file to upload"),
    "catalog_x.no_file.hint": (
        "选择填写好的目录模板（.xlsx）后再提交",
        "Pick the filled-in template (.xlsx), then submit",
    ),
    "catalog_x.unversioned": ("无", "none"),
    # per-row errors (reported in the import report)
    "catalog_x.row.required": ("“{column}”为必填项", "{column} is required"),
    "catalog_x.row.too_long": (
        "“{column}”不能超过 {limit} 个字符",
        "{column} must be at most {limit} characters",
    ),
    "catalog_x.row.unknown_department": (
        "提供方代码“{value}”不是平台中的部门",
        "Provider code {value} is not a department on the platform",
    ),
    "catalog_x.row.other_department": (
        "只能导入本部门的资源，不能导入“{value}”的资源",
        "You may import your own department's resources only, not those of {value}",
    ),
    "catalog_x.row.duplicate_in_file": (
        "资源代码“{value}”在本文件第 {first} 行已出现",
        "Resource code {value} already appears on row {first} of this file",
    ),
    "catalog_x.row.duplicate_in_catalog": (
        "资源代码“{value}”在目录中已存在",
        "Resource code {value} already exists in the catalog",
    ),
    "catalog_x.row.no_items": (
        "资源“{value}”在“信息项”表中没有信息项",
        "Resource {value} has no items on the Items sheet",
    ),
    "catalog_x.row.missing_resource": (
        "资源代码“{value}”不在“资源”表中",
        "Resource code {value} is not on the Resources sheet",
    ),
    "catalog_x.row.bad_value": (
        "“{column}”的值“{value}”不在可选范围内（可选：{known}）",
        "{column}: value {value} is not allowed (allowed: {known})",
    ),
    "catalog_x.row.bad_integer": (
        "“{column}”应为 {low} 到 {high} 之间的整数，而不是“{value}”",
        "{column} must be a whole number from {low} to {high}, not {value}",
    ),
    "catalog_x.row.duplicate_column": (
        "字段名“{value}”在资源“{resource}”中重复（第 {first} 行）",
        "Column {value} appears twice in resource {resource} (row {first})",
    ),
    "catalog_x.row.duplicate_position": (
        "序号 {value} 在资源“{resource}”中重复（第 {first} 行）",
        "No. {value} appears twice in resource {resource} (row {first})",
    ),
    "catalog_x.row.no_condition": (
        "有条件共享的资源必须填写共享条件",
        "A conditionally shared resource needs a condition",
    ),
    "catalog_x.row.no_basis": (
        "不予共享的资源必须填写法律、行政法规或政策依据",
        "A resource that is not shared needs its legal or policy basis",
    ),
    "catalog_x.row.invalid": ("“{column}”不正确：{detail}", "{column} is invalid: {detail}"),
    # portal
    "portal.catalog_x.title": ("目录 Excel 导入导出", "Catalog Excel import and export"),
    "portal.catalog_x.help": (
        "下载模板填写本部门的信息资源和信息项，上传后整体校验；有错误时全部不导入，并逐行列出错误。导入的资源为草稿。",
        "Download the template, fill in your department's resources and items and upload it. The file is "
        "checked as a whole: with any error nothing is imported and every error is listed. Imported "
        "resources are drafts.",
    ),
    "portal.catalog_x.template": ("下载模板", "Download template"),
    "portal.catalog_x.export": ("导出目录", "Export catalog"),
    "portal.catalog_x.export_department": ("导出本部门目录", "Export my department"),
    "portal.catalog_x.file": ("目录文件（.xlsx）", "Catalog file (.xlsx)"),
    "portal.catalog_x.upload": ("上传并导入", "Upload and import"),
    "portal.catalog_x.imported": (
        "已从“{filename}”导入 {resources} 个资源、{items} 个信息项（草稿）",
        "Imported {resources} resources and {items} items from {filename} (drafts)",
    ),
    "portal.catalog_x.col_sheet": ("工作表", "Sheet"),
    "portal.catalog_x.col_row": ("行", "Row"),
    "portal.catalog_x.col_column": ("列", "Column"),
    "portal.catalog_x.col_message": ("错误", "Error"),
}
