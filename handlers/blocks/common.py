"""Small pieces every surface uses."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import MarkdownTextObject, PlainTextObject, SectionBlock
from slack_sdk.models.views import View

TITLE_MAX = 24


def plain(text: str) -> PlainTextObject:
    return PlainTextObject(text=text, emoji=True)


def mrkdwn(text: str) -> MarkdownTextObject:
    return MarkdownTextObject(text=text)


def modal_title(text: str) -> PlainTextObject:
    """A modal title, cut to Slack's 24 characters."""
    return plain(text if len(text) <= TITLE_MAX else text[: TITLE_MAX - 1] + "…")


def build_notice_modal(*, title: str, text: str) -> View:
    """A modal that only tells the person something, with a Close button."""
    return View(
        type="modal",
        title=modal_title(title),
        close=plain("Close"),
        blocks=[SectionBlock(text=mrkdwn(text))],
    )


def escape(text: str) -> str:
    """Make user text safe inside mrkdwn: no mentions, links or formatting injected by it."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def quote(text: str) -> str:
    """User text as a mrkdwn block quote, escaped."""
    return "\n".join("&gt; " + line if line.strip() else "&gt;" for line in escape(text).splitlines() or [""])


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# Surfaces built often (status, within Slack's acknowledgement; reminders, thousands at 09:00) write
# their sections and context lines as the dicts slack_sdk's models would give (tests/unit/
# test_builders.py parses them back through `Block.parse` and checks them as Slack would):
# slack_sdk's `to_dict` checks every element on every call. Texts are cut to Slack's limits here.
SECTION_TEXT_MAX = 3000
CONTEXT_TEXT_MAX = 2000


def section_block(text: str, accessory: dict[str, Any] | None = None) -> dict[str, Any]:
    """A mrkdwn section, as a dict; `accessory` a dict too (built and checked where it was made)."""
    block: dict[str, Any] = {"type": "section", "text": {"type": "mrkdwn", "text": clip(text, SECTION_TEXT_MAX)}}
    if accessory is not None:
        block["accessory"] = accessory
    return block


def context_block(text: str) -> dict[str, Any]:
    """A context line of one mrkdwn text, as a dict."""
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": clip(text, CONTEXT_TEXT_MAX)}]}
