"""What to do next, for the error codes of the foundation (auth, catalog, lake, security, sharing).

Kept together because they were written together; new codes put their hint beside their message.
"""

MESSAGES: dict[str, tuple[str, str]] = {
    "auth.csrf.hint": ("刷新页面后重新提交表单", "Reload the page and submit the form again"),
    "auth.other_department.hint": (
        "其他部门的资源请通过共享申请获取",
        "For another department's resource, apply for it through sharing",
    ),
    "auth.required.hint": (
        "在门户登录，或在请求头中携带 Authorization: Bearer <令牌>",
        "Sign in to the portal, or send Authorization: Bearer <token>",
    ),
    "auth.session_expired.hint": ("重新登录即可继续", "Sign in again to go on"),
    "auth.session_invalid.hint": ("重新登录", "Sign in again"),
    "auth.weak_password.hint": (
        "例如混合大小写字母、数字和符号，不少于10位",
        "Mix upper and lower case, digits and symbols, 10 characters or more",
    ),
    "catalog.bad_value.hint": ("从列出的可选值中选择一个", "Choose one of the listed values"),
    "catalog.duplicate_code.hint": (
        "资源代码全市唯一：换一个顺序码，或修改已有资源",
        "Resource codes are unique city-wide: use another sequence number, or edit the existing resource",
    ),
    "catalog.no_basis.hint": (
        "在“不予共享依据”中写明法律、行政法规或政策文件",
        "Name the law, regulation or policy under 'basis for not sharing'",
    ),
    "catalog.no_condition.hint": (
        "在“共享条件”中写明可共享的部门、范围或用途",
        "State which departments, scope or purposes under 'sharing condition'",
    ),
    "catalog.not_found.hint": (
        "在数据目录中检索正确的资源代码",
        "Search the catalog for the right resource code",
    ),
    "error.unknown.hint": (
        "稍后重试；问题持续时请将请求编号告知平台管理员",
        "Try again later; if it persists, give the request id to the platform administrator",
    ),
    "error.validation.hint": ("按提示修正参数后重试", "Fix the parameters named and try again"),
    "lake.bad_layer.hint": ("使用 raw、std、fact、topic 或 base", "Use raw, std, fact, topic or base"),
    "lake.bad_name.hint": ("例如 hj_rk、gaj", "For example hj_rk, gaj"),
    "lake.schema_required.hint": (
        "写入批次时同时给出表结构",
        "Pass the schema along with the batches",
    ),
    "lake.table_not_found.hint": (
        "该表尚未归集：先运行一次归集",
        "The table has not been aggregated yet: run a load first",
    ),
    "opendata.not_open.hint": (
        "在开放数据页面查看可下载的数据集",
        "See the open-data page for the datasets that can be downloaded",
    ),
    "security.bad_role.hint": ("从列出的角色中选择一个", "Choose one of the listed roles"),
    "security.bad_uscc.hint": (
        "核对营业执照或登记证书上的18位统一社会信用代码",
        "Check the 18-character code on the registration certificate",
    ),
    "security.department_required.hint": (
        "为该账号指定所属部门",
        "Give the account its department",
    ),
    "security.duplicate_department.hint": ("换一个部门代码", "Choose another department code"),
    "security.duplicate_user.hint": ("换一个用户名", "Choose another username"),
    "security.unknown_department.hint": (
        "先由系统管理员登记该部门",
        "Have the system administrator register the department first",
    ),
    "share.already_decided.hint": (
        "如需变更，请申请方重新提交申请",
        "To change it, the applicant files a new application",
    ),
    "share.application_not_found.hint": (
        "在“共享申请”页面查看本部门的申请",
        "See your department's applications on the sharing page",
    ),
    "share.bad_days.hint": ("授权期限填1到1095天", "Ask for 1 to 1095 days"),
    "share.no_data.hint": (
        "请提供部门先完成该资源的归集",
        "Ask the providing department to aggregate the resource first",
    ),
    "share.no_department.hint": (
        "请使用所在部门的数据使用人账号申请",
        "Apply with your department's data-user account",
    ),
    "share.not_shareable.hint": (
        "该资源依法不予共享；如确有需要，请与提供部门协商",
        "The resource is not shared by law; talk to the providing department if you must",
    ),
    "share.purpose_required.hint": (
        "写明履行哪项法定职责需要这些数据",
        "Say which statutory duty needs the data",
    ),
    "share.reason_required.hint": (
        "写明驳回理由，便于申请方修改后重新申请",
        "Give the reason, so the applicant can amend and apply again",
    ),
    "share.unknown_fields.hint": (
        "从资源的信息项中选择字段",
        "Choose fields among the resource's items",
    ),
}
