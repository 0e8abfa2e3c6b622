"""Every pillar's tables, imported together so Alembic and ``create_all`` see the whole schema."""

from govdata.catalog import models as catalog_models
from govdata.govern import issues_models
from govdata.govern import models as govern_models
from govdata.govern.lineage import models as lineage_models
from govdata.govern.profiling import models as profile_models
from govdata.govern.quality import models as rule_models
from govdata.govern.standardize import models as std_models
from govdata.ingest import models as ingest_models
from govdata.security import models as security_models
from govdata.share import models as share_models

__all__ = [
    "catalog_models",
    "govern_models",
    "issues_models",
    "ingest_models",
    "lineage_models",
    "profile_models",
    "rule_models",
    "security_models",
    "share_models",
    "std_models",
]
