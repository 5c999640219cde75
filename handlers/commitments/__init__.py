"""Commitments: `/als commit`, the reminder buttons, and being away."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from handlers.commands import Commands
from handlers.commitments import away, buttons, commit


def register(app: AsyncApp, commands: Commands) -> None:
    commit.register(app, commands)
    buttons.register(app)
    away.register(app, commands)
