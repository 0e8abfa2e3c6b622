"""The demo manifest: what the generator produced and what a correct platform should find in it.

Departments, their sources (connector config and catalog metadata), every planted defect and the
ground truth (row counts, encodings, header rows). Written as ``out_dir/manifest.json``; the demo
flow and the tests read it back with ``DemoManifest.load``. Raises ``OSError`` / ``ValueError``
(via ``json``) on an unreadable file.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

Key = str | int


@dataclass
class Department:
    code: str  # lower-case ascii, also the lake dept code
    name: str
    uscc: str
    region: str


@dataclass
class Source:
    """One (department, table) source: how to connect, where it lands, what the catalog says."""

    dept: str
    name: str
    connector: str  # sql | csv | excel | json
    config: dict[str, Any]
    lake_table: str
    key: str | list[str]
    resource: dict[str, Any]


@dataclass
class Defect:
    """Planted defects of one kind in one column; ``keys`` are the rows' primary-key values.

    ``ref_*`` name the other side where a defect involves two rows: for ``duplicate`` the original
    rows of the same table, for ``spelling`` the household-registry rows of the same people
    (aligned with ``keys`` by position). For ``dangling`` they name the table and column the value
    should be found in, without keys: it is in no row there.
    """

    table: str
    column: str
    kind: str
    keys: list[Key] = field(default_factory=list)
    ref_table: str | None = None
    ref_column: str | None = None
    ref_keys: list[Key] | None = None


@dataclass
class Truth:
    row_counts: dict[str, int] = field(default_factory=dict)  # rows as delivered, duplicates included
    encodings: dict[str, str] = field(default_factory=dict)
    header_rows: dict[str, list[int]] = field(default_factory=dict)  # 1-based rows of the header
    data_rows: dict[str, list[int]] = field(default_factory=dict)  # 1-based first and last data row
    # Personal data hidden in free text: lake_table → column → keys of rows that carry it.
    hidden_pii: dict[str, dict[str, list[Key]]] = field(default_factory=dict)
    # The format a column *should* have, for the date and gender defects.
    canonical_formats: dict[str, dict[str, str]] = field(default_factory=dict)


@dataclass
class DemoManifest:
    seed: int
    scale: str
    people: int
    namespace: str | None
    rates: dict[str, float]
    departments: list[Department]
    sources: list[Source]
    defects: list[Defect]
    truth: Truth

    def source(self, lake_table: str) -> Source:
        """The source landing in ``lake_table``; ``KeyError`` if none."""
        for s in self.sources:
            if s.lake_table == lake_table:
                return s
        raise KeyError(lake_table)

    def defects_of(self, table: str, kind: str | None = None) -> list[Defect]:
        return [d for d in self.defects if d.table == table and (kind is None or d.kind == kind)]

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=2) + "\n"

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DemoManifest:
        return cls(
            seed=data["seed"],
            scale=data["scale"],
            people=data["people"],
            namespace=data.get("namespace"),
            rates=data["rates"],
            departments=[Department(**d) for d in data["departments"]],
            sources=[Source(**s) for s in data["sources"]],
            defects=[Defect(**d) for d in data["defects"]],
            truth=Truth(**data["truth"]),
        )

    @classmethod
    def load(cls, path: Path) -> DemoManifest:
        """Read a manifest written by ``generate`` (a file, or the directory holding it)."""
        path = Path(path)
        if path.is_dir():
            path = path / "manifest.json"
        return cls.from_dict(json.loads(path.read_text(encoding="utf-8")))

    def save(self, path: Path) -> None:
        Path(path).write_text(self.to_json(), encoding="utf-8")
