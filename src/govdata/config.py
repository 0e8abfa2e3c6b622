"""One settings object for the whole platform.

Values come from flags (passed by the CLI as overrides) > ``GOVDATA_*`` environment variables >
``$GOVDATA_HOME/govdata.toml`` > defaults. Nothing else in govdata reads ``os.environ``.
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field, SecretStr
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict


class LakeSettings(BaseModel):
    """Where the Delta Lake tables live."""

    storage_url: str | None = Field(
        default=None, description="Root of the lake; defaults to $GOVDATA_HOME/lake."
    )


class SecuritySettings(BaseModel):
    """Login, session and token policy (MLPS 2.0 conventions)."""

    max_failed_logins: int = Field(default=5, description="Failures before an account locks.")
    lockout_minutes: int = Field(default=15, description="How long a locked account stays locked.")
    session_idle_minutes: int = Field(default=30, description="Idle portal sessions end after this.")
    token_days: int = Field(default=30, description="Lifetime of a new API bearer token.")


class IngestSettings(BaseModel):
    """Aggregation limits and the scheduler's pace."""

    push_max_mb: int = Field(default=50, description="Largest batch a department system may push, in MB.")
    upload_max_mb: int = Field(
        default=200, description="Largest file accepted by upload, drop folder or URL."
    )
    scheduler_interval_seconds: float = Field(
        default=30.0, description="How often the embedded scheduler and `govdata worker` look for due tables."
    )


class FeedSettings(BaseModel):
    """The catalog change feed (目录变更推送): NATS, webhooks and the portal links they carry."""

    nats_url: str = Field(
        default="nats://127.0.0.1:4222",
        description="NATS server the change feed publishes to; `off` publishes nothing.",
    )
    nats_stream: str = Field(default="GOVDATA_CATALOG", description="JetStream stream of the change feed.")
    nats_subject_prefix: str = Field(
        default="govdata.catalog", description="Events go to `<prefix>.<department code>.<kind>`."
    )
    portal_url: str | None = Field(
        default=None, description="Portal address in event links; defaults to http://host:port."
    )
    webhook_timeout_seconds: float = Field(default=5.0, description="Wait this long for a webhook receiver.")
    webhook_max_attempts: int = Field(default=8, description="Attempts before a webhook delivery fails.")


class QualitySettings(BaseModel):
    """Quality issues fed back to the providing departments (问题数据反馈)."""

    issue_deadline_days: int = Field(
        default=15, ge=1, description="Days a department has to fix a newly opened quality issue."
    )
    recheck_hours: float = Field(
        default=24.0,
        description="Re-check a table whose last quality check is older than this; 0 turns it off.",
    )


class LineageSettings(BaseModel):
    """Lineage (血缘) sent as OpenLineage events to an outside lineage server."""

    openlineage_url: str | None = Field(
        default=None,
        description="POST every OpenLineage RunEvent to this URL (e.g. Marquez /api/v1/lineage).",
    )
    openlineage_timeout_seconds: float = Field(
        default=5.0, description="Wait this long for the lineage server."
    )


class Settings(BaseSettings):
    """Platform settings; see docs/configuration.md for every field."""

    model_config = SettingsConfigDict(env_prefix="GOVDATA_", env_nested_delimiter="__", extra="ignore")

    home: Path = Field(default=Path("home"), description="Working directory for metadata, lake and logs.")
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL of the metadata store; defaults to SQLite at $GOVDATA_HOME/govdata.db.",
    )
    secret_key: SecretStr = Field(
        default=SecretStr("govdata-demo-secret-change-me"),
        description="Keys the audit chain's HMAC and encrypts stored source passwords; changing it breaks both.",
    )
    environment: str = Field(default="demo", description="demo, development or production.")
    host: str = Field(default="127.0.0.1", description="Address `govdata serve` binds to.")
    port: int = Field(default=8000, description="Port `govdata serve` listens on.")
    lake: LakeSettings = Field(default_factory=LakeSettings)
    security: SecuritySettings = Field(default_factory=SecuritySettings)
    ingest: IngestSettings = Field(default_factory=IngestSettings)
    feed: FeedSettings = Field(default_factory=FeedSettings)
    quality: QualitySettings = Field(default_factory=QualitySettings)
    lineage: LineageSettings = Field(default_factory=LineageSettings)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings, env_settings, _TomlSource(settings_cls, init_settings, env_settings))

    @property
    def metadata_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.home / 'govdata.db').resolve()}"

    @property
    def lake_root(self) -> str:
        return self.lake.storage_url or str((self.home / "lake").resolve())

    def check_secrets(self) -> None:
        """Refuse the built-in secret outside the demo environment."""
        from govdata.errors import InvalidInput

        weak = self.secret_key.get_secret_value()
        if self.environment != "demo" and (weak == "govdata-demo-secret-change-me" or len(weak) < 32):
            raise InvalidInput("config.weak_secret", field="GOVDATA_SECRET_KEY")


class _TomlSource(PydanticBaseSettingsSource):
    """Reads ``$GOVDATA_HOME/govdata.toml`` (home itself from flags or env)."""

    def __init__(
        self,
        settings_cls: type[BaseSettings],
        init: PydanticBaseSettingsSource,
        env: PydanticBaseSettingsSource,
    ) -> None:
        super().__init__(settings_cls)
        self._home = init().get("home") or env().get("home") or "home"

    def get_field_value(self, field: Any, field_name: str) -> tuple[Any, str, bool]:  # pragma: no cover
        return None, field_name, False

    def __call__(self) -> dict[str, Any]:
        path = Path(self._home) / "govdata.toml"
        if not path.is_file():
            return {}
        with path.open("rb") as fh:
            return tomllib.load(fh)


@lru_cache
def get_settings(**overrides: Any) -> Settings:
    """The settings in force; CLI flags arrive as ``overrides``."""
    clean = {k: v for k, v in overrides.items() if v is not None}
    return Settings(**clean)
