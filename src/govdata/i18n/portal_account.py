"""Portal strings of the My tokens page."""

MESSAGES: dict[str, tuple[str, str]] = {
    "portal.tokens.title": ("我的令牌", "My tokens"),
    "portal.tokens.subtitle": (
        "调用数据服务接口时在请求头中携带：Authorization: Bearer <令牌>",
        "Send it with each API call: Authorization: Bearer <token>",
    ),
    "portal.tokens.copy_now": (
        "请立即复制保存，此令牌只显示这一次：",
        "Copy it now — this token is shown only once:",
    ),
    "portal.tokens.name": ("用途名称", "Name"),
    "portal.tokens.name_hint": ("如：婚姻登记系统对接", "e.g. marriage registry integration"),
    "portal.tokens.issue": ("申请新令牌", "Issue a token"),
    "portal.tokens.created": ("创建时间", "Created"),
    "portal.tokens.expires": ("有效期至", "Expires"),
    "portal.tokens.last_used": ("最近使用", "Last used"),
    "portal.tokens.status": ("状态", "Status"),
    "portal.tokens.active": ("有效", "Active"),
    "portal.tokens.revoked": ("已吊销", "Revoked"),
    "portal.tokens.revoke": ("吊销", "Revoke"),
    "portal.tokens.none": ("还没有令牌", "No tokens yet"),
}
