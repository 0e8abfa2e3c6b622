"""Messages of the standards library (data elements, code tables) and its portal pages."""

MESSAGES: dict[str, tuple[str, str]] = {
    # errors of a save
    "govern.library.required": ("必填项 {field} 不能为空", "{field} is required"),
    "govern.library.required.hint": ("填写该项后重新保存", "Fill it in and save again"),
    "govern.library.too_long": ("{field} 超过 {max} 个字符", "{field} is longer than {max} characters"),
    "govern.library.too_long.hint": ("缩短内容后重新保存", "Shorten it and save again"),
    "govern.library.bad_identifier": (
        "数据元标识符 {identifier} 不符合格式：以字母开头，2–64 位字母、数字、下划线、点或连字符",
        "Data element identifier {identifier} is malformed: a letter, then 1–63 letters, digits, _ . or -",
    ),
    "govern.library.bad_identifier.hint": (
        "使用如 id_number、DE00001 这样的标识符；标识符创建后不能修改，目录信息项按它绑定",
        "Use an identifier such as id_number or DE00001; it cannot change later, catalog items bind to it",
    ),
    "govern.library.bad_table_code": (
        "代码表编号 {code} 不符合格式：不能以斜杠或空格开头或结尾，不能含控制字符，最长 64 位",
        "Code table code {code} is malformed: no leading/trailing slash or space, no control characters, "
        "at most 64 characters",
    ),
    "govern.library.bad_table_code.hint": (
        "使用标准编号，如 GB/T 2261.1-2003",
        "Use the standard's number, e.g. GB/T 2261.1-2003",
    ),
    "govern.library.no_values": ("代码表至少需要一个代码", "A code table needs at least one code"),
    "govern.library.no_values.hint": (
        "每行填写一个代码：代码 | 名称 | 同义词",
        "Enter one code per line: code | label | synonyms",
    ),
    "govern.library.empty_code": ("第 {row} 行缺少代码", "Row {row} has no code"),
    "govern.library.empty_code.hint": ("为该行填写代码，或删除该行", "Give the row a code, or remove it"),
    "govern.library.empty_label": ("第 {row} 行缺少代码名称", "Row {row} has no label"),
    "govern.library.empty_label.hint": (
        "为该行填写代码名称（如“男性”）",
        "Give the row its label (e.g. “男性”)",
    ),
    "govern.library.duplicate_code": (
        "代码 {code} 重复：第 {first_row} 行和第 {second_row} 行",
        "Code {code} appears twice: rows {first_row} and {second_row}",
    ),
    "govern.library.duplicate_code.hint": (
        "每个代码只能出现一次；合并两行，或把其中一行改为正确的代码",
        "Each code may appear once: merge the two rows, or correct one of the codes",
    ),
    "govern.library.synonym_conflict": (
        "同义词 {synonym}（第 {row} 行，代码 {code}）已表示代码 {other}（第 {other_row} 行）",
        "Synonym {synonym} (row {row}, code {code}) already means code {other} (row {other_row})",
    ),
    "govern.library.synonym_conflict.hint": (
        "一个写法只能对应一个代码；从其中一行删除该同义词",
        "A spelling can mean one code only: remove the synonym from one of the rows",
    ),
    "govern.library.unknown_data_type": (
        "未知的数据类型：{value}（可选：{known}）",
        "Unknown data type: {value} (known: {known})",
    ),
    "govern.library.unknown_data_type.hint": (
        "从列出的数据类型中选择（也可写 string、number、date、datetime、boolean）",
        "Pick one of the listed types (string, number, date, datetime, boolean also work)",
    ),
    "govern.library.bad_format": ("表示格式 {value} 不正确", "Format {value} is not a valid format spec"),
    "govern.library.bad_format.hint": (
        "写法：字符类 a/n/an/c + 长度，如 c18、n8、an..20、c2..50、n12,2（两位小数），"
        "日期可写 n8(YYYYMMDD) 或 YYYY-MM-DD",
        "Write a class a/n/an/c and a length: c18, n8, an..20, c2..50, n12,2 (two decimals); "
        "dates as n8(YYYYMMDD) or YYYY-MM-DD",
    ),
    "govern.library.format_type_mismatch": (
        "表示格式 {format} 与数据类型 {data_type} 不符",
        "Format {format} does not fit data type {data_type}",
    ),
    "govern.library.format_type_mismatch.hint": (
        "数值用 n 格式；日期用含 YYYY、MM、DD 的模板；日期时间再加 hh:mm:ss；字符不用日期模板",
        "Numbers take an n format; dates a template with YYYY, MM, DD; date-times add hh:mm:ss; "
        "text takes no date template",
    ),
    "govern.library.length_mismatch": (
        "长度 {length} 与表示格式 {format} 的最大长度不一致",
        "Length {length} does not match the maximum length of format {format}",
    ),
    "govern.library.length_mismatch.hint": (
        "长度留空即按表示格式填入，或改为格式的最大长度",
        "Leave the length empty to take it from the format, or make it the format's maximum",
    ),
    "govern.library.unknown_code_table": (
        "标准库中没有代码表 {code}",
        "The standards library has no code table {code}",
    ),
    "govern.library.unknown_code_table.hint": (
        "先创建该代码表，或从已有代码表中选择",
        "Create the code table first, or pick an existing one",
    ),
    "govern.library.unknown_normalizer": (
        "未知的规范化方法：{name}（可选：{known}）",
        "Unknown normalizer: {name} (known: {known})",
    ),
    "govern.library.unknown_normalizer.hint": (
        "从列出的规范化方法中选择，或留空",
        "Pick one of the listed normalizers, or leave it empty",
    ),
    "govern.library.unknown_rule": (
        "未知的质量规则：{name}（可选：{known}）",
        "Unknown quality rule: {name} (known: {known})",
    ),
    "govern.library.unknown_rule.hint": (
        "从列出的规则中选择，或安装提供该规则的插件",
        "Pick one of the listed rules, or install the plug-in that provides it",
    ),
    "govern.library.needs_code_table": (
        "{what} 需要数据元指定代码表",
        "{what} needs the element to name a code table",
    ),
    "govern.library.needs_code_table.hint": (
        "选择一个代码表，或去掉该规则或规范化方法",
        "Pick a code table, or drop the rule or normalizer",
    ),
    "govern.library.needs_format": (
        "质量规则 {rule} 需要数据元的表示格式",
        "Quality rule {rule} needs the element's format",
    ),
    "govern.library.needs_format.hint": (
        "填写表示格式（如 n6），规则按它生成正则表达式",
        "Give a format (e.g. n6): the rule checks values against it",
    ),
    "govern.library.alias_conflict": (
        "别名 {alias} 已属于数据元 {other}，不能再用于 {element}",
        "Alias {alias} already belongs to data element {other}; {element} cannot use it too",
    ),
    "govern.library.alias_conflict.hint": (
        "一个字段名只能对应一个数据元：去掉该别名，或先从另一数据元中删除",
        "A column name leads to one element only: drop the alias, or remove it from the other element first",
    ),
    "govern.library.name_taken": (
        "名称 {name} 已是数据元 {other} 的名称或别名",
        "Name {name} is already the name or an alias of data element {other}",
    ),
    "govern.library.name_taken.hint": (
        "换一个名称，或编辑已有的数据元",
        "Choose another name, or edit the existing element",
    ),
    "govern.library.element_not_found": ("标准库中没有数据元 {identifier}", "No data element {identifier}"),
    "govern.library.element_not_found.hint": (
        "在标准库中搜索数据元的名称或别名",
        "Search the standards library by name or alias",
    ),
    "govern.library.code_table_not_found": ("标准库中没有代码表 {code}", "No code table {code}"),
    "govern.library.code_table_not_found.hint": (
        "在标准库页面查看现有代码表的编号",
        "See the codes of existing code tables on the standards library page",
    ),
    "govern.library.version_not_found": ("{ref} 没有第 {version} 版", "{ref} has no version {version}"),
    "govern.library.version_not_found.hint": ("查看历史版本列表", "See the list of versions in its history"),
    "govern.library.identifier_taken": (
        "数据元标识符 {identifier} 已存在",
        "Data element identifier {identifier} already exists",
    ),
    "govern.library.identifier_taken.hint": (
        "换一个标识符，或编辑已有的数据元",
        "Choose another identifier, or edit the existing element",
    ),
    "govern.library.code_table_taken": ("代码表 {code} 已存在", "Code table {code} already exists"),
    "govern.library.code_table_taken.hint": ("编辑已有的代码表", "Edit the existing code table"),
    "govern.library.stale_version": (
        "{ref} 已被他人修改：您编辑的是第 {base} 版，当前为第 {current} 版（{kind}）",
        "{ref} was changed meanwhile: you edited version {base}, it is now version {current} ({kind})",
    ),
    "govern.library.stale_version.hint": (
        "重新打开编辑页面，在最新版本上修改",
        "Open the edit page again and make your change on the newest version",
    ),
    # normalizers
    "standards.normalizer.trim": ("去除首尾空格、全角转半角", "Trim, full-width → half-width"),
    "standards.normalizer.identifier": (
        "标识符（半角、去空格、大写）",
        "Identifier (half-width, trimmed, upper)",
    ),
    "standards.normalizer.id_number_18": ("身份证号码（15位升18位）", "ID number (15 → 18 digits)"),
    "standards.normalizer.uscc": ("统一社会信用代码", "Unified social credit code"),
    "standards.normalizer.org_code": ("组织机构代码（XXXXXXXX-X）", "Organization code (XXXXXXXX-X)"),
    "standards.normalizer.phone": ("电话号码（手机号取11位）", "Phone (mobiles as 11 digits)"),
    "standards.normalizer.bank_card": ("银行卡号（去空格和连字符）", "Bank card (spaces, dashes removed)"),
    "standards.normalizer.date": ("日期 → YYYYMMDD", "Date → YYYYMMDD"),
    "standards.normalizer.region_code": ("行政区划代码（6位）", "Region code (6 digits)"),
    "standards.normalizer.person_name": (
        "姓名（去除中文姓名中的空格）",
        "Person name (spaces in Chinese names removed)",
    ),
    "standards.normalizer.code_table": ("按代码表转换（含同义词）", "Via the code table (synonyms included)"),
    # portal
    "portal.nav.standards": ("标准库", "Standards"),
    "portal.standards.title": ("标准库", "Standards library"),
    "portal.standards.subtitle": (
        "数据元与代码表：目录信息项绑定数据元后，自动带上它的规范化方法和质量规则",
        "Data elements and code tables: a catalog item bound to an element brings its normalizer and quality rules",
    ),
    "portal.standards.search_placeholder": (
        "搜索标识符、名称、别名（如 sfzh）",
        "Search identifier, name, alias (e.g. sfzh)",
    ),
    "portal.standards.search": ("搜索", "Search"),
    "portal.standards.elements": ("数据元", "Data elements"),
    "portal.standards.code_tables": ("代码表", "Code tables"),
    "portal.standards.total": ("共 {total} 个数据元", "{total} data elements"),
    "portal.standards.none": ("没有符合条件的数据元", "No data element matches"),
    "portal.standards.new_element": ("新建数据元", "New data element"),
    "portal.standards.new_code_table": ("新建代码表", "New code table"),
    "portal.standards.edit": ("编辑", "Edit"),
    "portal.standards.save": ("保存", "Save"),
    "portal.standards.cancel": ("取消", "Cancel"),
    "portal.standards.back": ("返回标准库", "Back to the library"),
    "portal.standards.col_identifier": ("标识符", "Identifier"),
    "portal.standards.col_name": ("名称", "Name"),
    "portal.standards.col_type": ("数据类型", "Data type"),
    "portal.standards.col_format": ("表示格式", "Format"),
    "portal.standards.col_length": ("长度", "Length"),
    "portal.standards.col_code_table": ("代码表", "Code table"),
    "portal.standards.col_standard": ("标准依据", "Standard"),
    "portal.standards.col_description": ("说明", "Description"),
    "portal.standards.col_aliases": ("别名（字段名）", "Aliases (column names)"),
    "portal.standards.col_normalizer": ("规范化方法", "Normalizer"),
    "portal.standards.col_rules": ("质量规则", "Quality rules"),
    "portal.standards.col_version": ("版本", "Version"),
    "portal.standards.col_updated": ("更新", "Updated"),
    "portal.standards.col_code": ("代码", "Code"),
    "portal.standards.col_label": ("名称", "Label"),
    "portal.standards.col_synonyms": ("同义词", "Synonyms"),
    "portal.standards.col_values": ("代码数", "Codes"),
    "portal.standards.col_changed_by": ("修改人", "Changed by"),
    "portal.standards.col_changed_at": ("时间", "When"),
    "portal.standards.col_changes": ("变更", "Changes"),
    "portal.standards.values": ("代码值", "Values"),
    "portal.standards.history": ("历史版本", "History"),
    "portal.standards.created": ("创建", "Created"),
    "portal.standards.used_by": ("使用该代码表的数据元", "Elements using this table"),
    "portal.standards.aliases_help": (
        "用逗号分隔，如 sfzh, gmsfhm",
        "Separate with commas, e.g. sfzh, gmsfhm",
    ),
    "portal.standards.format_help": (
        "如 c18、n8、an..20、n12,2、n8(YYYYMMDD)",
        "e.g. c18, n8, an..20, n12,2, n8(YYYYMMDD)",
    ),
    "portal.standards.length_help": ("留空则按表示格式", "Empty: taken from the format"),
    "portal.standards.values_help": (
        "每行一个代码：代码 | 名称 | 同义词1, 同义词2",
        "One code per line: code | label | synonym, synonym",
    ),
    "portal.standards.form_errors": ("保存未成功，请修改以下问题：", "Not saved; please fix:"),
    "portal.standards.none_selected": ("（无）", "(none)"),
}
