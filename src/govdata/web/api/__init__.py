"""The JSON API, one module per pillar, mounted under /api/v1."""

from fastapi import APIRouter

from govdata.web.api import (
    audit,
    auth,
    catalog,
    catalog_classification,
    catalog_excel,
    catalog_feed,
    catalog_graph,
    catalog_lifecycle,
    catalog_matters,
    catalog_stats,
    govern_profiles,
    govern_quality,
    govern_rules,
    govern_std,
    ingest,
    ingest_push,
    lineage,
    opendata,
    overview,
    share,
    standards,
)

router = APIRouter()
for module in (auth, overview, catalog, share, opendata, audit, ingest, ingest_push):
    router.include_router(module.router)
router.include_router(catalog_stats.router)
router.include_router(catalog_excel.router)
for module in (
    catalog_classification,
    catalog_lifecycle,
    catalog_feed,
    catalog_graph,
    catalog_matters,
    standards,
    govern_quality,
    govern_rules,
    govern_profiles,
    govern_std,
    lineage,
):
    router.include_router(module.router)
