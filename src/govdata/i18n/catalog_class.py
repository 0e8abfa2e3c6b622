"""Portal labels of browsing the catalog by classification."""

MESSAGES = {
    "portal.catalog_class.title": ("按分类浏览", "Browse by classification"),
    "portal.catalog_class.subtitle": (
        "信息资源分类（类/项/目/细目），数字为已发布资源数",
        "The resource classification (class / item / entry / sub-entry); numbers count published resources",
    ),
    "portal.catalog_class.unclassified": (
        "未填写分类的已发布资源：{count}",
        "Published without a classification: {count}",
    ),
    "portal.catalog_class.pick": (
        "在左侧选择一个分类查看其下的资源",
        "Pick a class on the left to see its resources",
    ),
    "portal.catalog_class.more": ("下一页", "Next page"),
}
