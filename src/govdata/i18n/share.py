"""Messages of the sharing pillar."""

MESSAGES: dict[str, tuple[str, str]] = {
    "share.no_department": (
        "只有部门账号可以申请共享数据",
        "Only department accounts can apply for shared data",
    ),
    "share.not_shareable": (
        "资源{code}为不予共享，不能申请（依据：{basis}）",
        "Resource {code} is not shared and cannot be requested (basis: {basis})",
    ),
    "share.purpose_required": ("请填写用途", "State the purpose of use"),
    "share.unknown_fields": ("申请的字段不存在：{fields}", "Requested fields do not exist: {fields}"),
    "share.bad_days": ("授权期限应在1到1095天之间：{days}", "Grant term must be 1 to 1095 days: {days}"),
    "share.application_not_found": ("没有这个共享申请：{id}", "No such sharing application: {id}"),
    "share.already_decided": (
        "申请{id}已处理（{status}）",
        "Application {id} was already decided ({status})",
    ),
    "share.reason_required": ("驳回时请说明理由", "Give a reason when rejecting"),
    "share.no_grant": (
        "本部门没有资源{code}的有效授权",
        "Your department holds no active grant on resource {code}",
    ),
    "share.no_grant.hint": (
        "在目录中找到该资源并提交共享申请",
        "Find the resource in the catalog and apply for it",
    ),
    "share.fields_not_granted": (
        "这些字段不在授权范围内：{fields}",
        "These fields are outside the grant: {fields}",
    ),
    "share.fields_not_granted.hint": (
        "只请求已授权的字段，或提交新的申请",
        "Request only granted fields, or file a new application",
    ),
    "share.no_data": ("资源{code}尚未归集数据", "Resource {code} has no aggregated data yet"),
    "share.source_unavailable": (
        "资源{code}为逻辑归集，需实时查询{department}的源系统，但该源系统暂时无法连接",
        "Resource {code} is aggregated logically and is read from {department}'s source system,"
        " which cannot be reached right now",
    ),
    "share.source_unavailable.hint": (
        "稍后重试；如持续失败，请联系提供部门检查源系统和网络连接",
        "Try again later; if it keeps failing, ask the providing department to check its source system and network",
    ),
    "share.source_disabled": (
        "资源{code}为逻辑归集，提供部门已停用其源系统的接入",
        "Resource {code} is aggregated logically and its providing department has disabled the source",
    ),
    "share.source_disabled.hint": (
        "请联系提供部门重新启用该数据源",
        "Ask the providing department to enable the source again",
    ),
    "share.status.pending": ("待审批", "Pending"),
    "share.status.approved": ("已批准", "Approved"),
    "share.status.rejected": ("已驳回", "Rejected"),
}
