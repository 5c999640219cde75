"""A local stand-in for Slack: its Web API (recording and checking every call), its delivery of
commands, clicks, form submissions and events to an app (signed as Slack signs them), and Socket
Mode. The tests and `als-bot demo` use it; it is not the app."""

from slack_standin.driver import SlackDriver
from slack_standin.server import SlackStandin

__all__ = ["SlackDriver", "SlackStandin"]
