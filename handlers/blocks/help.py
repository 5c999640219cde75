"""`/als help` and the hints for commands used in the wrong place."""

from __future__ import annotations

from slack_sdk.models.blocks import ContextBlock, HeaderBlock, SectionBlock

from handlers.blocks.common import escape, mrkdwn, plain
from handlers.blocks.messages import Message
from handlers.ids import COMMAND

SECTION_MAX = 3000


def build_help_message(commands: list[tuple[str, str]], *, unknown: str | None = None) -> Message:
    """Every subcommand with its usage. `unknown` is a word the person typed that isn't one."""
    intro = (
        f"I don't know `{COMMAND} {escape(unknown[:40])}`. Here is what I can do:"
        if unknown
        else "Here is what I can do:"
    )
    lines = [f"`{usage}`  {summary}" for usage, summary in commands]
    sections: list[str] = []
    for line in lines:
        if sections and len(sections[-1]) + 1 + len(line) <= SECTION_MAX:
            sections[-1] += "\n" + line
        else:
            sections.append(line)
    blocks = [
        HeaderBlock(text=plain("Action Learning Sets")),
        SectionBlock(text=mrkdwn(intro)),
        *(SectionBlock(text=mrkdwn(s)) for s in sections),
        ContextBlock(
            elements=[
                mrkdwn(
                    "A set is a channel of 4–6 people who help each other with real work problems "
                    "through questions, reflection and commitments to act. L = P + Q + R."
                )
            ]
        ),
    ]
    plain_lines = [f"{usage}: {summary}" for usage, summary in commands]
    text = "\n".join([intro.replace("`", ""), *plain_lines])
    return Message.of(text, blocks)


def build_not_a_set_message(subcommand: str) -> Message:
    text = (
        f"This channel isn't an action learning set yet, so `{COMMAND} {subcommand}` has nothing to work "
        f"with here. Run `{COMMAND} setup` in this channel to make it one (sets usually live in a private "
        "channel), or use the command in your set's channel."
    )
    return Message.of(text, [SectionBlock(text=mrkdwn(text))])


def build_plain_message(text: str) -> Message:
    return Message.of(text, [SectionBlock(text=mrkdwn(text))])
