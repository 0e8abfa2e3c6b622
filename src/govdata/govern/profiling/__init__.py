"""Profiles and technical metadata (数据画像): column profiles in one DuckDB scan, stored per lake
version, and a table's rows, size, versions, partitioning, schema and freshness."""

from govdata.govern.profiling.engine import pattern_sql, profile_table
from govdata.govern.profiling.schemas import ColumnProfile, ProfileHistory, ProfileOut, TechnicalMetadata
from govdata.govern.profiling.service import (
    masks_for,
    profile_history,
    profile_resource,
    profile_step,
    read_profile,
    refresh,
    resolve,
)

__all__ = [
    "ColumnProfile",
    "ProfileHistory",
    "ProfileOut",
    "TechnicalMetadata",
    "masks_for",
    "pattern_sql",
    "profile_history",
    "profile_resource",
    "profile_step",
    "profile_table",
    "read_profile",
    "refresh",
    "resolve",
]
