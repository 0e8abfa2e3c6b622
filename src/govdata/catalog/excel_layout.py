"""The catalog workbook's layout: sheets, columns, vocabularies and the version marker.

Shared by the template/export writer (``catalog.excel``) and the importer (``catalog.excel_import``),
so that both always agree on the layout. Raises nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from govdata.catalog.entry import DATA_TYPES, FORMAT_CLASSES, MAX_ITEM_LENGTH
from govdata.catalog.models import Category, OpenType, ShareType, SharingMethod, UpdateCycle
from govdata.catalog.vocab import label
from govdata.i18n import text
from govdata.security.masking import MASKERS

TEMPLATE_VERSION = (
    "2025.2"  # 2025.2: classification, sharing method, source system, matters, tags, related, element
)
MARKER = "govdata-catalog-template"
META_SHEET = "_govdata"
MAX_BYTES = 50 * 1024 * 1024
FIRST_DATA_ROW = 3  # row 1: Chinese headers, row 2: English headers
VALIDATED_ROWS = 5000  # drop-downs cover at least this many data rows
FORMATS = FORMAT_CLASSES
LIST_SEPARATOR = "；"  # between matters, tags and related codes in one cell (; , ， read too)
MATTER_SEPARATOR = ":"  # between a matter's code and name (： read too)
YES = {"是", "y", "yes", "true", "1", "√"}
NO = {"否", "n", "no", "false", "0"}
MAX_LENGTH = MAX_ITEM_LENGTH
DIGITS = re.compile(r"^\d+$")


@dataclass(frozen=True)
class Column:
    key: str
    width: int
    required: bool = False
    limit: int | None = None  # most characters allowed


RESOURCE_COLUMNS = (
    Column("code", 30, True, 100),
    Column("name", 26, True, 200),
    Column("department", 12, True, 50),
    Column("summary", 40, True),
    Column("category", 10, True),
    Column("format", 12, True, 32),
    Column("share_type", 14, True),
    Column("share_condition", 28),
    Column("share_basis", 28),
    Column("open_type", 14, True),
    Column("update_cycle", 10, True),
    Column("lake_table", 24, False, 200),
    Column("key_column", 14, False, 100),
    Column("classification", 14, False, 64),
    Column("sharing_method", 10),
    Column("source_system", 20, False, 200),
    Column("matters", 36),
    Column("powers", 36),
    Column("tags", 20),
    Column("related", 30),
)
ITEM_COLUMNS = (
    Column("resource", 30, True, 100),
    Column("position", 8),
    Column("item_name", 22, True, 200),
    Column("column", 18, True, 100),
    Column("data_type", 12, True),
    Column("length", 8),
    Column("masking", 14),
    Column("sensitive", 8),
    Column("required", 8),
    Column("element", 16, False, 64),
)
VOCAB: dict[str, tuple[str, type[Any]]] = {
    "category": ("category", Category),
    "share_type": ("share_type", ShareType),
    "open_type": ("open_type", OpenType),
    "update_cycle": ("update_cycle", UpdateCycle),
    "sharing_method": ("sharing_method", SharingMethod),
}


def header(key: str, lang: str = "zh") -> str:
    return text(f"catalog_x.col.{key}", lang)


def sheet_name(key: str) -> str:
    return text(f"catalog_x.sheet.{key}", "zh")


# An xlsx sheet holds at most 1,048,576 rows; a whole city's items (1.5M at Hubei's scale) continue on
# sheets 信息项(2), 信息项(3) … Inside the import an item row is numbered across the sheets
# (``(k - 1) * MAX_SHEET_ROWS + row`` on sheet k) and turned back into sheet and row for messages.
MAX_SHEET_ROWS = 1_048_576
ITEM_ROWS_PER_SHEET = MAX_SHEET_ROWS - FIRST_DATA_ROW + 1


def item_sheet_name(k: int) -> str:
    """The name of the ``k``-th items sheet (1 = 信息项, 2 = 信息项(2) …)."""
    return sheet_name("items") if k == 1 else f"{sheet_name('items')}({k})"


def sheet_and_row(key: str, row: int) -> tuple[str, int]:
    """The sheet name and its own row number of a row numbered across continuation sheets."""
    k, own = divmod(row - 1, MAX_SHEET_ROWS)
    return (item_sheet_name(k + 1) if key == "items" else sheet_name(key)), own + 1


def choices() -> dict[str, tuple[list[str], bool]]:
    """Drop-down values per column key, and whether other values are refused (False: warn only)."""
    yes_no = [text("catalog_x.yes"), text("catalog_x.no")]
    found: dict[str, tuple[list[str], bool]] = {
        key: ([label(kind, m.value) for m in enum], True) for key, (kind, enum) in VOCAB.items()
    }
    found["format"] = (list(FORMATS), False)
    found["data_type"] = ([k for k, v in DATA_TYPES.items() if k == v], True)
    found["masking"] = (MASKERS.names(), True)
    found["sensitive"] = (yes_no, True)
    found["required"] = (yes_no, True)
    return found
