"""Slack-facing listeners, one module per capability, each with `register(app, commands)`."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from handlers import (
    commands,
    commitments,
    export,
    forget,
    ground_rules,
    home,
    meetings,
    reflections,
    rounds,
    set_settings,
    sets,
    status,
)
from handlers.commands import Commands


def register_all(app: AsyncApp) -> Commands:
    registry = Commands()
    commands.register(app, registry)
    sets.register(app, registry)
    rounds.register(app, registry)
    commitments.register(app, registry)
    set_settings.register(app, registry)
    meetings.register(app, registry)
    reflections.register(app)
    ground_rules.register(app)
    forget.register(app, registry)
    export.register(app, registry)
    home.register(app)
    status.register(app, registry)
    return registry
