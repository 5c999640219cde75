"""The facilitator's Monday digest, and each set's health in a line on their Home tab."""

from __future__ import annotations

from datetime import date

from slack_sdk.models.blocks import Block, ContextBlock, HeaderBlock, SectionBlock

from bot.domain.activity import SetActivity
from bot.domain.reflection import Visibility
from handlers.blocks.common import escape, mrkdwn, plain
from handlers.blocks.messages import Message


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _quiet(activity: SetActivity) -> str:
    if not activity.quiet:
        return "nobody"
    return ", ".join(f"<@{u}>" for u in activity.quiet)


def digest_lines(activity: SetActivity) -> list[str]:
    r = activity.reflections
    reflections = sum(r.values())
    shared = (
        f"{r[Visibility.SET.value]} with the set, {r[Visibility.FACILITATOR.value]} with you, "
        f"{r[Visibility.ME.value]} kept private"
    )
    open_share = f", {activity.open_questions} of them open questions" if activity.questions_asked else ""
    return [
        f"*Rounds:* {activity.rounds_opened} opened, {activity.rounds_closed} closed",
        f"*Questions:* {activity.questions_asked} asked{open_share}",
        f"*Commitments:* {activity.commitments_made} made, {activity.commitments_done} done, "
        f"{activity.commitments_overdue} overdue now",
        f"*Reflections:* {reflections} written" + (f" ({shared})" if reflections else ""),
        f"*Quiet for three weeks:* {_quiet(activity)}",
    ]


def build_digest(*, set_name: str, channel_id: str, activity: SetActivity, since: date, until: date) -> Message:
    head = f"Your weekly digest for *{escape(set_name)}* (<#{channel_id}>), {since:%a %-d %b} to {until:%a %-d %b}."
    lines = digest_lines(activity)
    blocks: list[Block] = [
        HeaderBlock(text=plain("Weekly digest")),
        SectionBlock(text=mrkdwn(head)),
        SectionBlock(text=mrkdwn("\n".join(lines))),
        ContextBlock(
            elements=[
                mrkdwn(
                    "Counts only: what members keep private stays private. A quiet member may simply be busy; "
                    "a word from you can help."
                )
            ]
        ),
    ]
    text = f"Weekly digest for {set_name}: " + "; ".join(line.replace("*", "") for line in lines)
    return Message.of(text, blocks)


def health_line(activity: SetActivity) -> str:
    parts = [
        _plural(activity.members, "member"),
        _plural(activity.open_rounds, "open round"),
        _plural(activity.commitments_open, "open commitment")
        + (f" ({activity.commitments_overdue} overdue)" if activity.commitments_overdue else ""),
        _plural(sum(activity.reflections.values()), "reflection") + " in 4 weeks",
    ]
    if activity.quiet:
        parts.append("quiet: " + ", ".join(f"<@{u}>" for u in activity.quiet))
    return " · ".join(parts)
