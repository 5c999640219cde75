"""Small pieces every surface uses."""

from __future__ import annotations

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
