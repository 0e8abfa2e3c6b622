"""Messages and vocabulary labels of the catalog."""

MESSAGES: dict[str, tuple[str, str]] = {
    "catalog.share_type.unconditional": ("无条件共享", "Unconditional sharing"),
    "catalog.share_type.conditional": ("有条件共享", "Conditional sharing"),
    "catalog.share_type.none": ("不予共享", "Not shared"),
    "catalog.open_type.open": ("无条件开放", "Open"),
    "catalog.open_type.conditional": ("有条件开放", "Conditionally open"),
    "catalog.open_type.closed": ("不予开放", "Not open"),
    "catalog.update_cycle.realtime": ("实时", "Real time"),
    "catalog.update_cycle.daily": ("每日", "Daily"),
    "catalog.update_cycle.weekly": ("每周", "Weekly"),
    "catalog.update_cycle.monthly": ("每月", "Monthly"),
    "catalog.update_cycle.quarterly": ("每季度", "Quarterly"),
    "catalog.update_cycle.semiannual": ("每半年", "Half-yearly"),
    "catalog.update_cycle.yearly": ("每年", "Yearly"),
    "catalog.update_cycle.other": ("其他", "Other"),
    "catalog.category.base": ("基础", "Base"),
    "catalog.category.topic": ("主题", "Topic"),
    "catalog.category.department": ("部门", "Department"),
    "catalog.status.draft": ("草稿", "Draft"),
    "catalog.status.published": ("已发布", "Published"),
    "catalog.status.retired": ("已停用", "Retired"),
    "catalog.bad_value": (
        "字段“{field}”的值“{value}”不在可选范围内（可选：{known}）",
        "Field {field}: value {value!s} is not allowed (allowed: {known})",
    ),
    "catalog.required": ("字段“{field}”为必填项", "Field {field} is required"),
    "catalog.duplicate_code": ("资源代码已存在：{code}", "Resource code already exists: {code}"),
    "catalog.not_found": ("目录中没有这个资源：{code}", "No such catalog resource: {code}"),
    "catalog.no_basis": (
        "不予共享的资源必须写明法律、行政法规或政策依据",
        "A resource that is not shared must state its legal or policy basis",
    ),
    "catalog.no_condition": (
        "有条件共享的资源必须写明共享条件",
        "A conditionally shared resource must state its condition",
    ),
}
