"""The demo city generator: a seeded synthetic 示例市 with real source databases, messy department
files, planted defects and hidden personal data, described by a ``DemoManifest``.

``generate(out_dir, scale, seed, sources, progress, namespace)`` raises ``InvalidInput`` for an
unknown scale / source / bad namespace and ``TransientError`` when a requested database server is down.
"""

from govdata.demo.defects import RATES
from govdata.demo.generator import SCALES, SOURCE_KINDS, generate
from govdata.demo.manifest import Defect, DemoManifest, Department, Source, Truth
from govdata.demo.progress import ProgressFactory, rich_progress
from govdata.demo.sql import MARIADB_URL, PG_URL, drop

__all__ = [
    "MARIADB_URL",
    "PG_URL",
    "RATES",
    "SCALES",
    "SOURCE_KINDS",
    "Defect",
    "DemoManifest",
    "Department",
    "ProgressFactory",
    "Source",
    "Truth",
    "drop",
    "generate",
    "rich_progress",
]
