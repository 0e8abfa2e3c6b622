"""The lake: layered Delta Lake tables and the DuckDB query engine over them.

Only this package writes Delta tables; every write is one atomic Delta commit.
"""

from govdata.lake.store import LAYERS, Lake, TableRef, TableStats, WriteResult
from govdata.lake.vectors import deleted_rows

__all__ = ["LAYERS", "Lake", "TableRef", "TableStats", "WriteResult", "deleted_rows"]
