"""Catalog (数据目录): the ledger of every government data resource."""

from govdata.catalog.models import Category, Item, OpenType, Resource, ResourceStatus, ShareType, UpdateCycle
from govdata.catalog.schemas import ItemIn, ResourceIn, ResourceOut
from govdata.catalog.service import (
    create_resource,
    get_resource,
    open_resources,
    publish_resource,
    search_resources,
    to_out,
    to_outs,
)

__all__ = [
    "Category",
    "Item",
    "ItemIn",
    "OpenType",
    "Resource",
    "ResourceIn",
    "ResourceOut",
    "ResourceStatus",
    "ShareType",
    "UpdateCycle",
    "create_resource",
    "get_resource",
    "open_resources",
    "publish_resource",
    "search_resources",
    "to_out",
    "to_outs",
]
