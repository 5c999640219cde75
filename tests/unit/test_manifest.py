"""app.manifest.yml asks for exactly what the code uses: its command, its events, and the bot
scopes of every Web API method the code calls."""

from __future__ import annotations

import ast
import inspect
import json
import re
from functools import cache
from pathlib import Path

import jsonschema
import pytest
import yaml
from slack_sdk.web.async_client import AsyncWebClient

from handlers.ids import COMMAND

ROOT = Path(__file__).resolve().parents[2]
CODE = ["bot", "handlers", "scheduler", "storage"]
SCHEMA = ROOT.parent / "shared" / "slack-manifest-schema" / "schemas" / "manifest.schema.1.0.0.json"

# Bot scopes each Web API method needs here. Where Slack accepts one of several scopes by
# conversation type, every type the app works with is listed: sets live in public or private
# channels, and reminders go to DMs. (https://docs.slack.dev/reference/methods/<method>)
METHOD_SCOPES: dict[str, set[str]] = {
    "auth.test": set(),
    "chat.postMessage": {"chat:write"},
    "chat.postEphemeral": {"chat:write"},
    "chat.update": {"chat:write"},
    "chat.delete": {"chat:write"},
    "chat.getPermalink": set(),
    "conversations.info": {"channels:read", "groups:read"},
    "conversations.members": {"channels:read", "groups:read"},
    "conversations.open": {"im:write"},
    # Only to find the app's own message by its metadata key after a crash (the outbox's recovery):
    # reminders are DMs, reviews and prompts go to the set's channel.
    "conversations.history": {"im:history", "channels:history", "groups:history"},
    "conversations.replies": {"channels:history", "groups:history"},
    "users.info": {"users:read"},
    "views.open": set(),
    "views.push": set(),
    "views.update": set(),
    "views.publish": set(),
    "files.getUploadURLExternal": {"files:write"},
    "files.completeUploadExternal": {"files:write"},
    "files.uploadV2": {"files:write"},
}
# Bot events and the scope that lets the app receive each (public and private channels alike).
EVENT_SCOPES: dict[str, set[str]] = {
    "member_joined_channel": {"channels:read", "groups:read"},
    "member_left_channel": {"channels:read", "groups:read"},
    "app_home_opened": set(),
    "channel_unarchive": {"channels:read"},
    "group_unarchive": {"groups:read"},
    "channel_archive": {"channels:read"},
    "group_archive": {"groups:read"},
    "channel_deleted": {"channels:read"},
    "group_deleted": {"groups:read"},
    "app_uninstalled": set(),
    "tokens_revoked": set(),
}


@cache
def manifest() -> dict:  # type: ignore[type-arg]
    return yaml.safe_load((ROOT / "app.manifest.yml").read_text())


@cache
def client_methods() -> dict[str, str]:
    """AsyncWebClient attribute -> Web API method, read from slack_sdk's own source."""
    found = {}
    for name, func in inspect.getmembers(AsyncWebClient, inspect.iscoroutinefunction):
        match = re.search(r'api_call\(\s*"([a-zA-Z.]+)"', inspect.getsource(func))
        if match and not name.startswith("_"):
            found[name] = match.group(1)
    found["files_upload_v2"] = "files.uploadV2"
    return found


def python_files() -> list[Path]:
    return [p for folder in CODE for p in (ROOT / folder).rglob("*.py") if "migrations" not in p.parts]


def used_methods() -> set[str]:
    methods = client_methods()
    used = {"auth.test"}  # Bolt calls it to learn its own bot user id
    for path in python_files():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Attribute) and node.attr in methods:
                used.add(methods[node.attr])
    return used


def used_events() -> set[str]:
    events = set()
    for path in python_files():
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "event"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                events.add(str(node.args[0].value))
    return events


def test_the_manifest_is_valid_against_slacks_schema() -> None:
    if not SCHEMA.exists():
        pytest.skip("Slack's manifest schema is not beside this checkout")
    schema = json.loads(SCHEMA.read_text())
    errors = [e.message for e in jsonschema.Draft7Validator(schema).iter_errors(manifest())]
    assert errors == []


def test_the_command_is_declared_with_a_usage_hint() -> None:
    [command] = manifest()["features"]["slash_commands"]
    assert command["command"] == COMMAND
    assert command["usage_hint"]
    assert command["description"]


def test_every_event_handled_is_subscribed_and_nothing_else() -> None:
    assert set(manifest()["settings"]["event_subscriptions"]["bot_events"]) == used_events()


def test_every_method_used_is_known_to_the_scope_table() -> None:
    unknown = used_methods() - set(METHOD_SCOPES)
    assert unknown == set(), f"add the scopes of {sorted(unknown)} to METHOD_SCOPES"


def test_the_bot_scopes_are_exactly_those_the_code_needs() -> None:
    needed = {"commands"}
    for method in used_methods():
        needed |= METHOD_SCOPES[method]
    for event in used_events():
        needed |= EVENT_SCOPES[event]
    assert set(manifest()["oauth_config"]["scopes"]["bot"]) == needed


def test_interactivity_and_socket_mode_for_development() -> None:
    settings = manifest()["settings"]
    assert settings["interactivity"]["is_enabled"] is True
    assert settings["socket_mode_enabled"] is True
    assert manifest()["features"]["app_home"]["messages_tab_enabled"] is True


def test_the_scan_sees_methods_and_events() -> None:
    # The scan would pass vacuously if it found nothing: prove it sees what is certainly there.
    assert {"views.open", "users.info", "chat.postMessage"} <= used_methods()
    assert {"member_joined_channel"} <= used_events()
