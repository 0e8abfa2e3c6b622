"""One small demo city per test session (worker), shared read-only by the demo tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from govdata.demo import DemoManifest, generate


@pytest.fixture(scope="session")
def city(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, DemoManifest]:
    out = tmp_path_factory.mktemp("city")
    return out, generate(out)
