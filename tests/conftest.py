from __future__ import annotations

from pathlib import Path

import pytest

from tests.databases import BACKENDS, TemplateDatabases


@pytest.fixture(scope="session")
def templates(tmp_path_factory: pytest.TempPathFactory) -> TemplateDatabases:
    return TemplateDatabases(tmp_path_factory.mktemp("templates"))


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def database_url(templates: TemplateDatabases, backend: str, tmp_path: Path) -> str:
    """An empty, migrated database on each backend under test."""
    return templates.fresh(backend, tmp_path)


@pytest.fixture
def blank_database_url(templates: TemplateDatabases, backend: str, tmp_path: Path) -> str:
    """An empty database with no tables at all."""
    return templates.blank(backend, tmp_path)
