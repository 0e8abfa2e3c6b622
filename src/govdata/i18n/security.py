"""Messages of the security package: login, tokens, permissions, audit."""

MESSAGES: dict[str, tuple[str, str]] = {
    "auth.bad_credentials": ("用户名或密码错误", "Wrong username or password"),
    "auth.bad_credentials.hint": (
        "连续输错多次将锁定账号；忘记密码请联系系统管理员",
        "Repeated failures lock the account; ask the system administrator to reset a forgotten password",
    ),
    "auth.locked": ("账号已被锁定，请{minutes}分钟后再试", "Account locked; try again in {minutes} minutes"),
    "auth.locked.hint": ("如需立即解锁请联系系统管理员", "Ask the system administrator to unlock it now"),
    "auth.weak_password": (
        "密码强度不足：至少10位，且包含大写字母、小写字母、数字、符号中的三类",
        "Password too weak: at least 10 characters from three of upper case, lower case, digits, symbols",
    ),
    "auth.session_invalid": ("请先登录", "Please sign in"),
    "auth.session_expired": (
        "长时间未操作，会话已结束，请重新登录",
        "Session ended after inactivity; sign in again",
    ),
    "auth.token_invalid": ("访问令牌无效或已吊销", "The access token is invalid or revoked"),
    "auth.token_invalid.hint": (
        "在门户“我的令牌”页面申请新令牌",
        "Issue a new token in the portal under My tokens",
    ),
    "auth.token_expired": ("访问令牌已过期", "The access token has expired"),
    "auth.token_expired.hint": (
        "在门户“我的令牌”页面申请新令牌",
        "Issue a new token on the portal's My tokens page",
    ),
    "auth.required": ("需要登录或提供访问令牌", "Sign-in or a bearer token is required"),
    "auth.forbidden": (
        "无权执行此操作（需要权限：{permission}）",
        "Not allowed (requires permission: {permission})",
    ),
    "auth.forbidden.hint": (
        "如确需此权限，请联系本部门管理员",
        "Ask your department administrator if you need this permission",
    ),
    "auth.other_department": (
        "只能操作本部门的数据资源",
        "You can act only on your own department's resources",
    ),
    "auth.bureau_only": (
        "此操作只能由数据资源管理局执行",
        "Only the data bureau may do this",
    ),
    "auth.bureau_only.hint": (
        "请提交给数据资源管理局审核",
        "Submit it to the data bureau for review",
    ),
    "auth.csrf": ("表单已失效，请刷新页面后重试", "The form has expired; reload the page and try again"),
    "auth.role_conflict": (
        "三员角色互斥：一个账号只能担任一个角色",
        "Separation of duties: one account holds exactly one role",
    ),
    "audit.broken": (
        "审计链在第{seq}条记录处断开（{reason}）",
        "The audit chain is broken at record {seq} ({reason})",
    ),
    "security.bad_role": ("未知角色：{role}（可选：{known}）", "Unknown role: {role} (known: {known})"),
    "security.bad_uscc": (
        "统一社会信用代码不正确：{value}（{reason}）",
        "Invalid unified social credit code: {value} ({reason})",
    ),
    "security.unknown_department": ("未知部门：{code}", "Unknown department: {code}"),
    "security.duplicate_user": ("用户名已存在：{username}", "Username already exists: {username}"),
}
MESSAGES.update(
    {
        "auth.token_not_found": ("没有这个令牌：{id}", "No such token: {id}"),
        "auth.token_not_found.hint": (
            "在“我的令牌”页面查看本人的令牌",
            "See your own tokens on the My tokens page",
        ),
        "security.duplicate_department": ("部门代码已存在：{code}", "Department code already exists: {code}"),
        "security.department_required": (
            "角色{role}必须归属某个部门",
            "Role {role} must belong to a department",
        ),
    }
)
