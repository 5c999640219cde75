"""Reading what people typed into modals, defensively: payloads can be malformed or hostile."""

from __future__ import annotations

import json
from typing import Any

ROW_ID_MAX = 2**53  # well inside every backend's integer; Slack payloads carry ids as the app wrote them


def row_id(value: object) -> int:
    """A database id the app put in a payload (a button's value, a modal's metadata, an option),
    or 0, which matches nothing, for anything else: text that is not plain ASCII digits, booleans,
    and numbers no row could have."""
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) < 16:
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value < ROW_ID_MAX:
        return value
    return 0


def state_values(body: dict[str, Any]) -> dict[str, Any]:
    view = body.get("view")
    state = view.get("state") if isinstance(view, dict) else None
    values = state.get("values") if isinstance(state, dict) else None
    return values if isinstance(values, dict) else {}


def field_value(values: dict[str, Any], block_id: str, action_id: str) -> str | None:
    """The submitted value of one input, as text, whatever kind of element it is."""
    block = values.get(block_id)
    element = block.get(action_id) if isinstance(block, dict) else None
    if not isinstance(element, dict):
        return None
    for key in ("value", "selected_date", "selected_time"):
        value = element.get(key)
        if isinstance(value, str):
            return value
    option = element.get("selected_option")
    if isinstance(option, dict) and isinstance(option.get("value"), str):
        return str(option["value"])
    return None


def selected_values(values: dict[str, Any], block_id: str, action_id: str) -> list[str]:
    """The values of the ticked options of a checkboxes or multi-select element."""
    block = values.get(block_id)
    element = block.get(action_id) if isinstance(block, dict) else None
    options = element.get("selected_options") if isinstance(element, dict) else None
    if not isinstance(options, list):
        return []
    return [str(o["value"]) for o in options if isinstance(o, dict) and isinstance(o.get("value"), str)]


def read_metadata(body: dict[str, Any]) -> dict[str, Any]:
    view = body.get("view")
    raw = view.get("private_metadata") if isinstance(view, dict) else None
    try:
        data = json.loads(raw) if isinstance(raw, str) and raw else {}
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def write_metadata(**fields: str | int) -> str:
    return json.dumps(fields, separators=(",", ":"))
