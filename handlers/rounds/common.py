"""Small readers shared by the round handlers."""

from __future__ import annotations

from typing import Any

from handlers.forms import row_id


def actor(body: dict[str, Any]) -> tuple[str, str]:
    """(user id, team id) of whoever clicked or submitted."""
    user = body.get("user") if isinstance(body.get("user"), dict) else {}
    team = body.get("team") if isinstance(body.get("team"), dict) else {}
    return str((user or {}).get("id") or ""), str((user or {}).get("team_id") or (team or {}).get("id") or "")


def action_id_value(body: dict[str, Any]) -> int:
    """The id a button carries as its value; 0 (which matches nothing) when it is not an id."""
    actions = body.get("actions")
    first = actions[0] if isinstance(actions, list) and actions and isinstance(actions[0], dict) else {}
    value = first.get("value")
    return row_id(value) if isinstance(value, str) else 0


def metadata_id(metadata: dict[str, Any], key: str) -> int:
    """An id the app wrote into a modal's metadata as a number; 0 for anything else."""
    value = metadata.get(key)
    return row_id(value) if isinstance(value, int) else 0
