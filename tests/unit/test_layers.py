"""Imports point inward: the domain knows nothing of Slack, HTTP or the database."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

RULES = {
    "bot/domain": {
        "slack_sdk",
        "slack_bolt",
        "aiohttp",
        "sqlalchemy",
        "alembic",
        "storage",
        "handlers",
        "scheduler",
        "bot.services",
        "bot.slack_api",
        "bot.runners",
        "apscheduler",
    },
    "bot/services": {"slack_sdk", "slack_bolt", "aiohttp", "handlers", "scheduler", "bot.runners", "bot.slack_api"},
    "storage": {"slack_sdk", "slack_bolt", "aiohttp", "handlers", "scheduler", "bot"},
    "handlers/blocks": {"sqlalchemy", "storage", "aiohttp", "scheduler", "bot.services"},
    "scheduler": {"handlers", "slack_bolt"},
    "slack_standin": {"bot", "handlers", "storage", "scheduler"},
}


# Exceptions to the rules above: the scheduler renders its messages with the same pure builders.
ALLOWED = {"scheduler": {"handlers.blocks", "handlers.ids"}}


def imports_of(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_imports_point_inward() -> None:
    breaches = []
    for folder, banned in RULES.items():
        for path in sorted((ROOT / folder).rglob("*.py")):
            if "migrations" in path.parts and folder != "storage":
                continue
            for name in imports_of(path):
                if any(name == a or name.startswith(a + ".") for a in ALLOWED.get(folder, ())):
                    continue
                if any(name == b or name.startswith(b + ".") for b in banned):
                    breaches.append(f"{path.relative_to(ROOT)} imports {name}")
    assert breaches == []


def test_storage_migrations_import_only_storage_types() -> None:
    for path in (ROOT / "storage/migrations").rglob("*.py"):
        assert {n for n in imports_of(path) if n.split(".")[0] in {"bot", "handlers"}} == set(), path
