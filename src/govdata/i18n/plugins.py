"""Messages of the plugin manager and of the registries it fills (rules, maskers)."""

MESSAGES: dict[str, tuple[str, str]] = {
    "plugins.load_failed": (
        "无法加载已安装的插件：{detail}",
        "An installed plugin could not be loaded: {detail}",
    ),
    "plugins.load_failed.hint": (
        "检查该插件包的版本与依赖，或卸载它后重试",
        "Check the plugin package's version and dependencies, or uninstall it and retry",
    ),
    "plugins.no_name": (
        "插件通过 {hook} 提供的 {plugin} 没有名称（name）",
        "{plugin}, provided through {hook}, has no name",
    ),
    "plugins.no_name.hint": (
        "为该类设置一个稳定的英文 name 属性",
        "Give the class a stable English `name` attribute",
    ),
    "govern.quality.rule_name_taken": (
        "质量规则名称冲突：{name} 已由 {existing} 注册，{new} 不能再用",
        "Quality rule name clash: {name} is registered by {existing}, so {new} cannot use it",
    ),
    "govern.quality.rule_name_taken.hint": (
        "卸载其中一个插件或为规则改名",
        "Uninstall one of the plugins or rename its rule",
    ),
    "masking.masker_name_taken": (
        "脱敏方式名称冲突：{name} 已由 {existing} 注册，{new} 不能再用",
        "Masker name clash: {name} is registered by {existing}, so {new} cannot use it",
    ),
    "masking.masker_name_taken.hint": (
        "卸载其中一个插件或为脱敏方式改名",
        "Uninstall one of the plugins or rename its masker",
    ),
}
