"""Portal pages (server-rendered, Jinja2 + HTMX), one module per pillar."""

from fastapi import APIRouter

from govdata.web.pages import (
    account,
    audit,
    auth,
    catalog,
    catalog_classification,
    catalog_excel,
    catalog_feed,
    catalog_graph,
    catalog_lifecycle,
    catalog_stats,
    govern_profiles,
    govern_quality,
    govern_rules,
    govern_std,
    home,
    ingest,
    lineage,
    opendata,
    share,
    standards,
)

router = APIRouter(include_in_schema=False)
for module in (auth, home, catalog, share, opendata, audit, account, ingest):
    router.include_router(module.router)
router.include_router(catalog_stats.router)
router.include_router(catalog_excel.router)
for module in (catalog_classification, catalog_lifecycle, catalog_feed, catalog_graph, standards):
    router.include_router(module.router)
router.include_router(govern_quality.router)
router.include_router(govern_profiles.router)
router.include_router(lineage.router)
router.include_router(govern_std.router)
router.include_router(govern_rules.router)
