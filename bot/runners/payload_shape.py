"""Which request bodies are Slack payloads: the parts Bolt and the listeners read without looking
must have the types Slack always gives them. A body that fails here gets 400, not a 500."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt.request import payload_utils

# What Bolt reads from every payload before any listener runs. A body these fail on (say, a view
# with no type) is not one Slack sends: it gets 400, not Bolt's 500 (see also is_slack_shaped).
BOLT_READERS: tuple[Callable[[dict[str, Any]], Any], ...] = (
    payload_utils.to_options,
    payload_utils.to_shortcut,
    payload_utils.to_action,
    payload_utils.to_view,
    payload_utils.to_command,
    payload_utils.to_event,
    payload_utils.to_message,
    payload_utils.to_step,
)


# Interactive payloads always name who acted; these parts, when present, are always objects.
INTERACTIVE = {"block_actions", "block_suggestion", "view_submission", "view_closed", "shortcut", "message_action"}
OBJECT_PARTS = ("user", "team", "channel", "container", "message", "view")
# What every slash command carries (the listeners answer through the response URL).
COMMAND_FIELDS = ("command", "user_id", "channel_id", "team_id", "trigger_id", "response_url")


def is_slack_shaped(body: dict[str, Any]) -> bool:
    """Whether the parts Bolt and the listeners read have the types Slack always gives them: a
    slash command has its fields and a user, an interactive payload a user object with an id, every
    action an object with an action_id, a view an object with a type and a callback_id, an event an
    object with a type."""
    if "command" in body and "type" not in body:
        return all(isinstance(body.get(k), str) for k in COMMAND_FIELDS) and bool(body["user_id"])
    kind = body.get("type")
    if any(not isinstance(body.get(k), dict | None) for k in OBJECT_PARTS):
        return False
    user = body.get("user")
    if kind in INTERACTIVE and not (isinstance(user, dict) and isinstance(user.get("id"), str) and user["id"]):
        return False
    actions = body.get("actions")
    if kind == "block_actions" and not (
        isinstance(actions, list)
        and actions
        and all(isinstance(a, dict) and isinstance(a.get("action_id"), str) for a in actions)
    ):
        return False
    view = body.get("view") or {}
    if kind in {"view_submission", "view_closed"} and not all(
        isinstance(view.get(k), str) for k in ("type", "callback_id")
    ):
        return False
    event = body.get("event", {"type": ""})
    if not (isinstance(event, dict) and isinstance(event.get("type"), str)):
        return False
    return kind != "block_suggestion" or isinstance(body.get("action_id"), str)


def read_like_bolt(body: dict[str, Any]) -> None:
    """Read the body as Bolt will before any listener runs; raises where Bolt would."""
    for read in BOLT_READERS:
        read(body)
