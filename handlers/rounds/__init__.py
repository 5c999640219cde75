"""Rounds: presenting a problem, questions and answers in its thread, closing and reflecting."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from handlers.commands import Commands
from handlers.rounds import answers, ask, closing, present


def register(app: AsyncApp, commands: Commands) -> None:
    present.register(app, commands)
    ask.register(app, commands)
    answers.register(app)
    closing.register(app, commands)
