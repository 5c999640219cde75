from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.databases import TemplateDatabases
from tests.e2e.harness import Harness, running_app


@pytest.fixture
async def harness(database_url: str) -> AsyncIterator[Harness]:
    async with running_app(database_url) as h:
        yield h


@pytest.fixture
def postgres_url(templates: TemplateDatabases, tmp_path: Path) -> str:
    """A fresh, migrated PostgreSQL database, for the tests that run several app processes on one."""
    return templates.fresh("postgresql", tmp_path)
