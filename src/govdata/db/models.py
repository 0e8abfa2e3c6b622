"""Every pillar's tables, imported together so Alembic and ``create_all`` see the whole schema."""

from govdata.catalog import models as catalog_models
from govdata.security import models as security_models
from govdata.share import models as share_models

__all__ = ["catalog_models", "security_models", "share_models"]
