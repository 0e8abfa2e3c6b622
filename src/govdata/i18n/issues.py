"""Messages of quality issues (问题数据反馈), quality scores and their portal pages."""

MESSAGES: dict[str, tuple[str, str]] = {
    # errors
    "govern.issue.not_found": ("质量问题 #{issue} 不存在", "Quality issue #{issue} does not exist"),
    "govern.issue.not_found.hint": (
        "在“数据质量”页面或 GET /api/v1/govern/quality/issues 查看现有问题",
        "List the issues on the Data quality page or with GET /api/v1/govern/quality/issues",
    ),
    "govern.issue.unknown_action": (
        "未知的处理动作：{action}（可选：{known}）",
        "Unknown action: {action} (known: {known})",
    ),
    "govern.issue.unknown_action.hint": (
        "提供部门可确认（acknowledge）、标记已整改（fix）；数据资源管理局可核验（verify）、重新打开（reopen）",
        "The providing department may acknowledge and fix; the data bureau may verify and reopen",
    ),
    "govern.issue.provider_only": (
        "只有提供数据的部门可以确认或整改质量问题 #{issue}",
        "Only the department that provides the data may acknowledge or fix quality issue #{issue}",
    ),
    "govern.issue.provider_only.hint": (
        "请通知提供部门的数据专员处理；数据资源管理局可在整改后核验",
        "Ask the providing department's data officer; the bureau verifies once it is fixed",
    ),
    "govern.issue.bad_transition": (
        "质量问题 #{issue} 当前状态为 {status}，不能执行 {action}",
        "Quality issue #{issue} is {status}; {action} is not possible now",
    ),
    "govern.issue.bad_transition.hint": (
        "刷新页面查看最新状态：待处理 → 已确认 → 已整改 → 已核验",
        "Reload to see its current status: open → acknowledged → fixed → verified",
    ),
    "govern.issue.comment_required": ("执行 {action} 需要填写说明", "{action} needs a comment"),
    "govern.issue.comment_required.hint": (
        "说明在源系统中做了什么整改，或为什么重新打开",
        "Say what was corrected in the source system, or why the issue is reopened",
    ),
    "govern.issue.department_unknown": ("未知的部门：{department}", "Unknown department: {department}"),
    "govern.issue.department_unknown.hint": (
        "使用部门代码，如 gaj；部门列表见数据质量排名",
        "Use a department code such as gaj; the quality ranking lists the departments",
    ),
    "govern.issue.unknown_status": (
        "未知的问题状态：{status}（可选：{known}）",
        "Unknown issue status: {status} (known: {known})",
    ),
    "govern.issue.unknown_status.hint": (
        "按 open、acknowledged、fixed、verified 或 withdrawn 筛选",
        "Filter by open, acknowledged, fixed, verified or withdrawn",
    ),
    "govern.scores.resource_unknown": ("未找到信息资源：{resource}", "No resource with code {resource}"),
    "govern.scores.resource_unknown.hint": (
        "使用目录中的资源代码，如 330100/1010/gaj-0001",
        "Use the resource's catalog code, e.g. 330100/1010/gaj-0001",
    ),
    # portal
    "portal.nav.quality": ("数据质量", "Data quality"),
    "portal.quality.title": ("数据质量", "Data quality"),
    "portal.quality.subtitle": (
        "各部门质量评分、趋势与问题数据反馈：提供部门整改，下次加载通过后自动核验关闭",
        "Quality scores, trends and issues fed back to the providing departments; "
        "an issue closes itself when the next load passes",
    ),
    "portal.quality.ranking": ("部门排名", "Department ranking"),
    "portal.quality.by_score": ("按评分", "by score"),
    "portal.quality.by_issues": ("按问题", "by issues"),
    "portal.quality.trend": ("{department} 质量趋势", "{department} quality trend"),
    "portal.quality.issues": ("质量问题", "Quality issues"),
    "portal.quality.my_issues": ("本部门的质量问题", "My department's quality issues"),
    "portal.quality.no_runs": ("尚无质量检查结果", "No quality check yet"),
    "portal.quality.no_issues": ("没有符合条件的质量问题", "No quality issue matches"),
    "portal.quality.more": ("显示 {shown} / {total} 条", "Showing {shown} of {total}"),
    "portal.quality.all_departments": ("全部部门", "All departments"),
    "portal.quality.all_statuses": ("全部状态", "All statuses"),
    "portal.quality.overdue_only": ("仅看逾期", "Overdue only"),
    "portal.quality.filter": ("筛选", "Filter"),
    "portal.quality.overdue": ("逾期", "overdue"),
    "portal.quality.col_issue": ("问题", "Issue"),
    "portal.quality.col_resource": ("信息资源", "Resource"),
    "portal.quality.col_rule": ("规则", "Rule"),
    "portal.quality.col_department": ("部门", "Department"),
    "portal.quality.col_failed": ("问题数据", "Failing rows"),
    "portal.quality.col_status": ("状态", "Status"),
    "portal.quality.col_due": ("整改期限", "Due"),
    "portal.quality.col_tables": ("表", "Tables"),
    "portal.quality.col_score": ("质量评分", "Score"),
    "portal.quality.col_open": ("待整改", "Open"),
    "portal.quality.col_overdue": ("逾期", "Overdue"),
    "portal.quality.col_dimension": ("维度", "Dimension"),
    "portal.quality.col_version": ("检查的数据版本", "Checked version"),
    "portal.quality.col_at": ("时间", "When"),
    "portal.quality.col_action": ("变更", "Change"),
    "portal.quality.col_by": ("操作人", "By"),
    "portal.quality.status.open": ("待处理", "Open"),
    "portal.quality.status.acknowledged": ("已确认", "Acknowledged"),
    "portal.quality.status.fixed": ("已整改", "Fixed"),
    "portal.quality.status.verified": ("已核验", "Verified"),
    "portal.quality.status.withdrawn": ("已撤销", "Withdrawn"),
    "portal.quality.dimension.completeness": ("完整性", "completeness"),
    "portal.quality.dimension.validity": ("有效性", "validity"),
    "portal.quality.dimension.uniqueness": ("唯一性", "uniqueness"),
    "portal.quality.dimension.consistency": ("一致性", "consistency"),
    "portal.quality.dimension.timeliness": ("及时性", "timeliness"),
    "portal.quality.issue_title": ("质量问题 #{id}", "Quality issue #{id}"),
    "portal.quality.download_keys": ("下载全部 {count} 条问题数据", "Download all {count} failing rows"),
    "portal.quality.of_checked": ("共检查 {checked} 行", "of {checked} checked"),
    "portal.quality.runs": (
        "首次检查 #{first}，最近检查 #{last}",
        "first seen in run #{first}, last in #{last}",
    ),
    "portal.quality.reasons": ("问题原因", "Reasons"),
    "portal.quality.samples": ("样例（已脱敏）", "Samples (masked)"),
    "portal.quality.samples_note": (
        "按目录信息项的脱敏规则显示；全部问题数据请下载",
        "Masked as the catalog items say; download every failing row above",
    ),
    "portal.quality.handle": ("处理", "Handle"),
    "portal.quality.comment": ("说明", "Comment"),
    "portal.quality.comment_placeholder": (
        "如：已在源系统更正 1,204 条身份证号",
        "e.g. corrected 1,204 ID numbers in the source system",
    ),
    "portal.quality.no_actions": (
        "当前无需您处理：提供部门确认、整改，数据资源管理局核验；下次加载通过时自动核验",
        "Nothing for you to do: the provider acknowledges and fixes, the bureau verifies; "
        "a passing load verifies it automatically",
    ),
    "portal.quality.action.acknowledge": ("确认问题", "Acknowledge"),
    "portal.quality.action.fix": ("标记已整改", "Mark fixed"),
    "portal.quality.action.verify": ("核验通过", "Verify"),
    "portal.quality.action.reopen": ("重新打开", "Reopen"),
    "portal.quality.history": ("处理记录", "History"),
    "portal.quality.event.opened": ("发现问题", "opened"),
    "portal.quality.event.acknowledged": ("确认", "acknowledged"),
    "portal.quality.event.fixed": ("标记已整改", "marked fixed"),
    "portal.quality.event.verified": ("核验关闭", "verified"),
    "portal.quality.event.reopened": ("重新打开", "reopened"),
    "portal.quality.event.withdrawn": ("规则不再适用，撤销", "withdrawn: the rule no longer applies"),
    "portal.quality.withdrawn_note": (
        "该问题的规则已停用、删除，或所查字段已不在表中，问题已撤销（并非整改通过），不再计入待整改和逾期；"
        "规则恢复后如仍不通过，问题会自动重新打开",
        "The rule behind this issue was switched off or deleted, or its column left the table, so the "
        "issue was withdrawn (not fixed) and no longer counts as open or overdue; if the rule comes back "
        "and still fails, the issue reopens by itself",
    ),
}
