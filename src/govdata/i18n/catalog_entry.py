"""Messages of a catalog entry's field checks (``catalog.entry``) and the entry fields on the portal."""

MESSAGES: dict[str, tuple[str, str]] = {
    "catalog.bad_code": (
        "资源代码“{code}”格式不正确",
        "Resource code {code} is malformed",
    ),
    "catalog.bad_code.hint": (
        "资源代码由字母、数字、“-”“_”“.”组成，各段以“/”分隔，如 330100/101001/gaj-0001",
        "Use letters, digits, -, _ and . in segments joined by /, e.g. 330100/101001/gaj-0001",
    ),
    "catalog.code_not_built": (
        "资源代码“{code}”不是由分类“{classification}”、提供方和顺序码组成的",
        "Resource code {code} is not built from classification {classification}, provider and sequence",
    ),
    "catalog.code_not_built.hint": (
        "写成［行政区划/］分类代码/［提供方代码-］顺序码，如 {example}",
        "Write [region/]classification/[provider-]sequence, e.g. {example}",
    ),
    "catalog.bad_classification": (
        "信息资源分类“{value}”格式不正确",
        "Classification {value} is malformed",
    ),
    "catalog.bad_classification.hint": (
        "类 1 位、项 2 位、目 3 位、细目 1 至 6 位数字，以“/”分隔，如 1/01/001",
        "类 1 digit, 项 2, 目 3, 细目 1 to 6 digits, joined by /, e.g. 1/01/001",
    ),
    "catalog.classification_category": (
        "分类“{value}”的类“{digit}”与资源分类“{category}”不符",
        "Classification {value}: class {digit} does not match category {category}",
    ),
    "catalog.classification_category.hint": (
        "基础类资源的分类以 1 开头，主题类以 2 开头，部门类以 3 开头（此处应为 {expected}）",
        "Base resources are classified under 1, topic under 2, department under 3 (here {expected})",
    ),
    "catalog.blank": ("“{field}”不能为空白", "{field} must not be blank"),
    "catalog.blank.hint": ("填写实际内容，不能只有空格", "Fill in real text, not only spaces"),
    "catalog.bad_format": (
        "资源格式“{value}”不正确（可选：{known}）",
        "Format {value} is not allowed (allowed: {known})",
    ),
    "catalog.bad_format.hint": (
        "填写格式大类，可加“/类型”，如“电子文件/pdf”“数据库/MySQL”",
        "Give the format class, optionally with /type, e.g. 电子文件/pdf or 数据库/MySQL",
    ),
    "catalog.file_sharing": (
        "电子文件类资源只能以“文件”方式共享，不能以“{value}”方式共享",
        "An electronic-file resource can only be shared as a file, not as {value}",
    ),
    "catalog.file_sharing.hint": (
        "把共享方式改为“文件”，或更正资源格式",
        "Set the sharing method to 文件 (file), or correct the format",
    ),
    "catalog.too_long": (
        "“{field}”不能超过 {limit} 个字符",
        "{field} must be at most {limit} characters",
    ),
    "catalog.too_long.hint": ("缩短内容后重新提交", "Shorten it and submit again"),
    "catalog.duplicate_item_name": (
        "信息项名称“{value}”重复",
        "Item name {value} appears twice",
    ),
    "catalog.duplicate_item_name.hint": (
        "同一资源内信息项名称不能重复",
        "Item names must be unique within a resource",
    ),
    "catalog.duplicate_column": ("字段名“{value}”重复", "Column {value} appears twice"),
    "catalog.duplicate_column.hint": (
        "同一资源内字段名不能重复（不区分大小写）",
        "Columns must be unique within a resource (ignoring case)",
    ),
    "catalog.bad_column": (
        "字段名“{value}”不能为空或含空白字符",
        "Column {value} is blank or contains spaces",
    ),
    "catalog.bad_column.hint": (
        "字段名填写源表中的列名，如 sfzh",
        "Give the column's name in the source table, e.g. sfzh",
    ),
    "catalog.bad_length": (
        "信息项“{item_name}”的长度 {value} 应在 1 到 {high} 之间",
        "Item {item_name}: length {value} must be from 1 to {high}",
    ),
    "catalog.bad_length.hint": (
        "长度为字段最多可容纳的字符数，可留空",
        "The length is the most characters the column holds; it may be left empty",
    ),
    "catalog.unknown_element": (
        "信息项“{item_name}”关联的数据元“{value}”不在标准库中",
        "Item {item_name}: data element {value} is not in the standards library",
    ),
    "catalog.unknown_element.hint": (
        "在“数据标准”中查找数据元的标识符，或留空",
        "Look the element's identifier up in the standards library, or leave it empty",
    ),
    "catalog.bad_matter_code": (
        "事项编码“{value}”格式不正确",
        "Matter code {value} is malformed",
    ),
    "catalog.bad_matter_code.hint": (
        "事项编码不能含空白、冒号、分号或逗号",
        "A matter code may not contain spaces, colons, semicolons or commas",
    ),
    "catalog.bad_matter_name": (
        "事项名称“{value}”为空或含分号",
        "Matter name {value} is blank or contains a semicolon",
    ),
    "catalog.bad_matter_name.hint": (
        "填写事项的正式名称，不含分号",
        "Give the matter's official name, without semicolons",
    ),
    "catalog.duplicate_matter": ("事项“{value}”重复", "Matter {value} is listed twice"),
    "catalog.duplicate_matter.hint": ("每个事项只列一次", "List each matter once"),
    "catalog.matter_kind_mismatch": (
        "事项“{value}”已登记为{kind}",
        "Matter {value} is already recorded as a {kind}",
    ),
    "catalog.matter_kind_mismatch.hint": (
        "政务服务事项填在“关联事项”，权力事项填在“权力事项”",
        "Service matters go under 关联事项, power-list items under 权力事项",
    ),
    "catalog.too_many_tags": (
        "标签有 {count} 个，最多 {limit} 个",
        "{count} tags; at most {limit} are allowed",
    ),
    "catalog.too_many_tags.hint": ("只保留最能说明资源的标签", "Keep the tags that describe it best"),
    "catalog.tag_too_long": (
        "标签“{value}”超过 {limit} 个字符",
        "Tag {value} is longer than {limit} characters",
    ),
    "catalog.tag_too_long.hint": ("标签用简短的词语", "Use short words as tags"),
    "catalog.bad_tag": ("标签“{value}”含分隔符", "Tag {value} contains a separator"),
    "catalog.bad_tag.hint": (
        "每个标签单独填写，不含逗号或分号",
        "Give each tag on its own, without commas or semicolons",
    ),
    "catalog.unknown_related": (
        "关联资源“{code}”不在目录中",
        "Related resource {code} is not in the catalog",
    ),
    "catalog.unknown_related.hint": (
        "填写已编目资源的代码（或同一文件中导入的资源）",
        "Give codes of catalogued resources (or of resources in the same import file)",
    ),
    # the resource detail page
    "portal.catalog.classification": ("信息资源分类", "Classification"),
    "portal.catalog.sharing_method": ("共享方式", "Sharing method"),
    "portal.catalog.source_system": ("来源系统", "Source system"),
    "portal.catalog.matters": ("关联政务服务事项", "Government service matters"),
    "portal.catalog.powers": ("关联权力事项", "Power-list items"),
    "portal.catalog.tags": ("标签", "Tags"),
    "portal.catalog.related": ("关联资源", "Related resources"),
    "portal.catalog.element": ("数据元", "Data element"),
    # the catalog workbook's entry columns (template 2025.2)
    "catalog_x.col.classification": ("信息资源分类", "Classification"),
    "catalog_x.col.sharing_method": ("共享方式", "Sharing method"),
    "catalog_x.col.source_system": ("来源系统", "Source system"),
    "catalog_x.col.matters": ("关联事项", "Service matters"),
    "catalog_x.col.powers": ("权力事项", "Power-list items"),
    "catalog_x.col.tags": ("标签", "Tags"),
    "catalog_x.col.related": ("关联资源代码", "Related resource codes"),
    "catalog_x.col.element": ("数据元", "Data element"),
    "catalog_x.guide.8": (
        "信息资源分类填写类/项/目/细目路径（如 1/01/001，基础类以 1、主题类以 2、部门类以 3 开头）；填写分类时资源代码须为"
        "［行政区划/］分类代码/［提供方代码-］顺序码，如 330100/101001/gaj-0001。共享方式从下拉列表选择，电子文件只能以文件方式共享。",
        "Classification is the 类/项/目/细目 path (e.g. 1/01/001; base resources start with 1, topic with 2, "
        "department with 3); with a classification the code must be [region/]classification/[provider-]sequence, "
        "e.g. 330100/101001/gaj-0001. Pick the sharing method from the list; electronic files are shared as files only.",
    ),
    "catalog_x.guide.9": (
        "关联事项、权力事项按“事项编码:事项名称”填写，多个以“；”分隔；标签（最多 20 个）和关联资源代码也以“；”分隔。"
        "数据元填写标准库中数据元的标识符。",
        "Service matters and power-list items as code:name, several separated by ；; tags (at most 20) and "
        "related resource codes are separated by ； too. Data element: the identifier of an element in the "
        "standards library.",
    ),
    "catalog_x.row.bad_matter": (
        "“{column}”中的“{value}”应写成“事项编码:事项名称”",
        "{column}: {value} should be written as code:name",
    ),
}
