"""Lineage (血缘): table- and column-level, recorded by every job, queried as a graph, emitted as OpenLineage.

Public API: ``record_lineage`` and ``ColumnEdge`` (for the jobs that move data).
"""

from govdata.govern.lineage.record import ColumnEdge, record_lineage

__all__ = ["ColumnEdge", "record_lineage"]
