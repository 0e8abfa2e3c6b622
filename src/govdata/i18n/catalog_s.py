"""Messages of catalog search (issue #4, item 6): query errors and the portal's facet panel."""

MESSAGES: dict[str, tuple[str, str]] = {
    "catalog.search.query_too_long": (
        "检索词过长（最多 {max} 个字符）",
        "The search query is too long (at most {max} characters)",
    ),
    "catalog.search.query_too_long.hint": (
        "缩短检索词，只保留最能区分资源的几个词",
        "Shorten the query to the few words that best tell resources apart",
    ),
    "catalog.search.too_many_words": (
        "检索词过多（最多 {max} 个，以空格分隔）",
        "Too many search words (at most {max}, separated by spaces)",
    ),
    "catalog.search.too_many_words.hint": (
        "减少以空格分隔的词，或改用筛选条件缩小范围",
        "Use fewer space-separated words, or narrow the results with the filters",
    ),
    "portal.catalog_s.facets": ("分类统计", "Refine"),
    "portal.catalog_s.facet.department": ("提供部门", "Department"),
    "portal.catalog_s.facet.category": ("资源分类", "Category"),
    "portal.catalog_s.facet.share_type": ("共享属性", "Sharing"),
    "portal.catalog_s.facet.open_type": ("开放属性", "Open data"),
    "portal.catalog_s.facet.update_cycle": ("更新周期", "Update cycle"),
    "portal.catalog_s.facet.format": ("资源格式", "Format"),
    "portal.catalog_s.clear": ("取消此条件", "Remove this filter"),
}
