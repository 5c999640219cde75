"""The app's Home tab: my commitments, grouped by when they are due, and my sets."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from slack_sdk.models.blocks import Block, ButtonElement, DividerBlock, HeaderBlock, SectionBlock
from slack_sdk.models.views import View

from bot.domain.commitments import CommitmentInfo
from bot.domain.reminders import due_phrase
from handlers.blocks.commitments import commitment_buttons
from handlers.blocks.common import clip, escape, mrkdwn, plain
from handlers.ids import COMMAND, ActionId

SOON = timedelta(days=7)
RECENTLY = timedelta(days=14)
OPEN_SHOWN = 20
DONE_SHOWN = 10
REFLECTIONS_SHOWN = 5


@dataclass(frozen=True)
class SetLine:
    name: str
    channel_id: str
    facilitating: bool
    next_meeting: str  # already formatted for Slack (a <!date> token)
    health: str = ""  # for the sets the person facilitates


@dataclass(frozen=True)
class ReflectionLine:
    set_name: str
    text: str
    visibility_label: str
    day: date


def build_home(
    *,
    commitments: list[CommitmentInfo],
    done_dates: dict[int, date],
    sets: list[SetLine],
    today: date,
    away_until: date | None,
    reflections: list[ReflectionLine] | None = None,
) -> View:
    blocks: list[Block | dict[str, Any]] = [HeaderBlock(text=plain("My commitments"))]
    if away_until is not None:
        blocks.append(
            SectionBlock(
                text=mrkdwn(f"You are away until {away_until:%A %-d %B}: your reminders wait until then."),
                accessory=ButtonElement(text=plain("I'm back"), action_id=ActionId.BACK_BUTTON, value="back"),
            )
        )
    else:
        blocks.append(
            SectionBlock(
                text=mrkdwn("Going on holiday? Pause your reminders and get one summary when you are back."),
                accessory=ButtonElement(text=plain("I'm away…"), action_id=ActionId.AWAY_BUTTON, value="away"),
            )
        )
    open_ones = [c for c in commitments if c.status == "open"]
    groups = [
        ("Overdue", [c for c in open_ones if c.due_date < today]),
        ("Due soon", [c for c in open_ones if today <= c.due_date <= today + SOON]),
        ("Open", [c for c in open_ones if c.due_date > today + SOON]),
    ]
    shown = 0
    for title, items in groups:
        if not items:
            continue
        blocks.append(SectionBlock(text=mrkdwn(f"*{title}*")))
        for info in items:
            if shown >= OPEN_SHOWN:
                break
            shown += 1
            line = (
                f"{escape(clip(info.action, 500))}\n_{escape(info.set_name)} · due "
                f"{due_phrase(info.due_date, today=today)}_"
            )
            blocks.append(SectionBlock(text=mrkdwn(line)))
            blocks.append(commitment_buttons(info, surface="home"))
    if not open_ones:
        blocks.append(
            SectionBlock(
                text=mrkdwn(
                    f"You have no open commitments. After presenting, run `{COMMAND} commit` in your set's channel."
                )
            )
        )
    recent = [c for c in commitments if c.status == "done" and today - done_dates.get(c.id, today) <= RECENTLY]
    if recent:
        blocks.append(SectionBlock(text=mrkdwn("*Recently done*")))
        lines = "\n".join(
            f":white_check_mark: {escape(clip(c.action, 200))} _({escape(c.set_name)})_" for c in recent[:DONE_SHOWN]
        )
        blocks.append(SectionBlock(text=mrkdwn(clip(lines, 3000))))
    blocks += [DividerBlock(), HeaderBlock(text=plain("My sets"))]
    if sets:
        lines = "\n".join(
            f"<#{s.channel_id}>{' (you facilitate)' if s.facilitating else ''}: next meeting {s.next_meeting}"
            for s in sets[:20]
        )
        blocks.append(SectionBlock(text=mrkdwn(clip(lines, 3000))))
        health = "\n".join(f"<#{s.channel_id}>: {s.health}" for s in sets[:20] if s.facilitating and s.health)
        if health:
            blocks.append(SectionBlock(text=mrkdwn(clip("*How my sets are doing*\n" + health, 3000))))
    else:
        blocks.append(
            SectionBlock(
                text=mrkdwn(f"You are not in a set yet. A facilitator makes one with `{COMMAND} setup` in a channel.")
            )
        )
    blocks += [DividerBlock(), HeaderBlock(text=plain("My reflections"))]
    if reflections:
        for item in reflections[:REFLECTIONS_SHOWN]:
            head = f"_{item.day:%a %-d %b} · {escape(item.set_name)} · {item.visibility_label}_"
            blocks.append(SectionBlock(text=mrkdwn(clip(f"{head}\n{escape(item.text)}", 3000))))
    else:
        blocks.append(
            SectionBlock(
                text=mrkdwn(
                    "Your weekly reflections will be kept here, the private ones too. Each week your set's "
                    "channel gets a question to reflect on, with an *Add my reflection* button."
                )
            )
        )
    return View(type="home", blocks=blocks)
