"""Messages of the quality rules page (``/govern/rules/{code}``, issue #5): its labels, what each
rule's parameters are, and the errors of editing bindings there."""

MESSAGES: dict[str, tuple[str, str]] = {
    # errors
    "govern.rules.bad_params_json": (
        "规则参数须为一个 JSON 对象：{detail}",
        "Rule parameters must be one JSON object: {detail}",
    ),
    "govern.rules.bad_params_json.hint": (
        '按所选规则的说明填写，如 {"min": 0, "max": 150}；无参数时留空',
        'Fill them in as the chosen rule describes, e.g. {"min": 0, "max": 150}; leave empty for none',
    ),
    "govern.rules.derived_not_found": (
        "资源 {resource} 没有派生规则 {rule}（字段 {columns}）",
        "Resource {resource} has no derived rule {rule} on {columns}",
    ),
    "govern.rules.derived_not_found.hint": (
        "刷新页面：信息项或数据元可能已修改，该规则已不再派生",
        "Reload the page: an item or a data element may have changed, so the rule is no longer derived",
    ),
    # the page
    "portal.rules.title": ("质量规则", "Quality rules"),
    "portal.rules.link": ("质量规则", "Quality rules"),
    "portal.rules.intro": (
        "{department}的数据表 {table} 每次归集后按以下规则检查。派生规则来自必填信息项、主键、字段名和绑定的数据元；"
        "人工添加的规则可覆盖或停用派生规则",
        "Table {table} of {department} is checked by these rules after every load. Derived rules come "
        "from required items, the key column, column names and bound data elements; rules added by hand "
        "override or switch them off",
    ),
    "portal.rules.effective": ("生效的规则绑定", "Effective rule bindings"),
    "portal.rules.col.rule": ("规则", "Rule"),
    "portal.rules.col.columns": ("字段", "Columns"),
    "portal.rules.col.params": ("参数", "Parameters"),
    "portal.rules.col.dimension": ("质量维度", "Dimension"),
    "portal.rules.col.blocking": ("阻断", "Blocking"),
    "portal.rules.col.origin": ("来源", "Comes from"),
    "portal.rules.col.status": ("状态", "Status"),
    "portal.rules.col.actions": ("操作", "Actions"),
    "portal.rules.whole_table": ("整表", "whole table"),
    "portal.rules.blocking": ("阻断入湖", "blocks loads"),
    "portal.rules.origin.required": ("必填信息项", "required item"),
    "portal.rules.origin.key": ("主键", "key column"),
    "portal.rules.origin.suggested": ("字段名建议", "column name"),
    "portal.rules.origin.element": ("数据元", "data element"),
    "portal.rules.origin.stored": ("人工添加", "added by hand"),
    "portal.rules.overrides": ("（覆盖{origin}派生的规则）", "(overrides the rule from the {origin})"),
    "portal.rules.on": ("生效", "on"),
    "portal.rules.off": ("已停用", "off"),
    "portal.rules.enable": ("启用", "Enable"),
    "portal.rules.disable": ("停用", "Disable"),
    "portal.rules.delete": ("删除", "Delete"),
    "portal.rules.restore": ("恢复派生规则", "Restore derived rule"),
    "portal.rules.delete_confirm": ("确定删除这条规则绑定？", "Delete this rule binding?"),
    "portal.rules.none": ("该表没有任何规则", "No rules for this table"),
    "portal.rules.add": ("添加规则", "Add a rule"),
    "portal.rules.columns_hint": (
        "绑定 {min}–{max} 个字段（按住 Ctrl 多选）",
        "Bind {min}–{max} columns (Ctrl-click for several)",
    ),
    "portal.rules.blocking_label": (
        "阻断：不通过的行在入湖前转入隔离区",
        "Blocking: failing rows go to quarantine before load",
    ),
    "portal.rules.submit": ("添加", "Add"),
    "portal.rules.read_only": (
        "您可以查看这些规则；由资源提供部门的数据专员或数据局修改",
        "You may read these rules; the providing department's officers or the data bureau change them",
    ),
    "portal.rules.done.added": ("已添加规则，下次检查起生效", "Rule added: it applies from the next check"),
    "portal.rules.done.disabled": ("已停用该规则", "Rule switched off"),
    "portal.rules.done.enabled": ("已启用该规则", "Rule switched on"),
    "portal.rules.done.deleted": ("已删除该规则绑定", "Rule binding deleted"),
    # what each rule's parameters are (a JSON object in the form); examples as placeholders
    "portal.rules.params.other": (
        "按规则说明填写 JSON 参数；无参数时留空",
        "The rule's parameters as JSON; empty for none",
    ),
    "portal.rules.params.not_null": ("无参数", "No parameters"),
    "portal.rules.params.uniqueness": (
        "无参数；多个字段时按字段组合判断重复",
        "No parameters; several columns are unique together",
    ),
    "portal.rules.params.id_number": ("无参数（GB 11643 校验）", "No parameters (GB 11643 checks)"),
    "portal.rules.params.uscc": ("无参数（GB 32100 校验）", "No parameters (GB 32100 checks)"),
    "portal.rules.params.phone": ("无参数（手机号码格式）", "No parameters (mobile number format)"),
    "portal.rules.params.id_birth_date": (
        "无参数；先选身份证号字段，再选出生日期字段",
        "No parameters; the ID number column first, then the birth date",
    ),
    "portal.rules.params.id_gender": (
        "可选 male、female：各为性别写法的列表（默认 1/男/M、2/女/F）；先选身份证号字段，再选性别字段",
        "Optional male, female: lists of spellings (default 1/男/M, 2/女/F); the ID number column first, "
        "then the gender",
    ),
    "portal.rules.params.pattern": (
        "pattern：整个值须匹配的正则表达式",
        "pattern: a regular expression the whole value matches",
    ),
    "portal.rules.params.code_set": ("values：允许的代码列表", "values: the list of allowed codes"),
    "portal.rules.params.range": (
        "min、max（可只填一个）；type 为 number（默认）或 date（YYYY-MM-DD）；min_inclusive、max_inclusive 默认 true",
        "min, max (either may be left out); type number (default) or date (YYYY-MM-DD); "
        "min_inclusive, max_inclusive default to true",
    ),
    "portal.rules.params.length": (
        "min、max：字符数（可只填一个）",
        "min, max: characters (either may be left out)",
    ),
    "portal.rules.params.referential": (
        "table：被引用的数据湖表（如 raw.gaj.hj_rk）；column：其中的字段",
        "table: the referenced lake table (e.g. raw.gaj.hj_rk); column: its column",
    ),
    "portal.rules.params.custom_sql": (
        "expression：合格行满足的 SQL 条件；name：规则名称（同表多条时区分）",
        "expression: the SQL condition a good row meets; name: tells several custom rules apart",
    ),
    "portal.rules.params.timeliness": (
        "max_age_days：最长天数，或 cycle：更新周期；都不填时按资源的更新周期",
        "max_age_days, or cycle: an update cycle; neither: the resource's update cycle",
    ),
    "portal.rules.example.id_gender": (
        '{"male": ["1", "男"], "female": ["2", "女"]}',
        '{"male": ["1", "M"], "female": ["2", "F"]}',
    ),
    "portal.rules.example.pattern": ('{"pattern": "^[0-9]{6}$"}', '{"pattern": "^[0-9]{6}$"}'),
    "portal.rules.example.code_set": ('{"values": ["1", "2"]}', '{"values": ["1", "2"]}'),
    "portal.rules.example.range": ('{"min": 0, "max": 150}', '{"min": 0, "max": 150}'),
    "portal.rules.example.length": ('{"min": 2, "max": 50}', '{"min": 2, "max": 50}'),
    "portal.rules.example.referential": (
        '{"table": "raw.gaj.hj_rk", "column": "sfzh"}',
        '{"table": "raw.gaj.hj_rk", "column": "sfzh"}',
    ),
    "portal.rules.example.custom_sql": (
        '{"expression": "age BETWEEN 0 AND 150", "name": "年龄范围"}',
        '{"expression": "age BETWEEN 0 AND 150", "name": "age range"}',
    ),
    "portal.rules.example.timeliness": ('{"max_age_days": 2}', '{"max_age_days": 2}'),
}
