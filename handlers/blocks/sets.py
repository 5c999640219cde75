"""The set's settings modal, and the messages that announce and confirm a set."""

from __future__ import annotations

from datetime import date, datetime

from slack_sdk.models.blocks import (
    ContextBlock,
    DatePickerElement,
    ExternalDataSelectElement,
    HeaderBlock,
    InputBlock,
    Option,
    PlainTextInputElement,
    SectionBlock,
    StaticSelectElement,
    TimePickerElement,
)
from slack_sdk.models.views import View

from bot.domain.ground_rules import GROUND_RULES_MAX, ground_rules_of
from bot.domain.sets import MAX_REMINDER_LEAD_DAYS, NAME_MAX, RETENTION_CHOICES, WEEKDAYS, Cadence, SetSettings
from bot.domain.timezones import utc_offset_label
from handlers.blocks.common import escape, modal_title, mrkdwn, plain
from handlers.blocks.messages import Message
from handlers.ids import COMMAND, ActionId, BlockId, CallbackId


def timezone_option(tz: str, now: datetime) -> Option:
    return Option(value=tz, label=f"{tz.replace('_', ' ')} ({utc_offset_label(tz, now)})"[:75])


def build_setup_modal(settings: SetSettings, *, editing: bool, private_metadata: str, now: datetime) -> View:
    intro = (
        "Change this set's settings. Members stay as they are: they follow the channel's membership."
        if editing
        else "Make this channel an action learning set. Everyone in the channel becomes a member and you "
        f"become its facilitator. You can change these settings later with `{COMMAND} setup`."
    )
    cadence_options = [Option(value=c.value, label=c.label) for c in Cadence]
    weekday_options = [Option(value=str(i), label=day) for i, day in enumerate(WEEKDAYS)]
    retention_options = [
        Option(value=str(m), label="Always" if m == 0 else f"For {m} months") for m in RETENTION_CHOICES
    ]
    lead_options = [
        Option(value=str(n), label="Only on the day" if n == 0 else f"{n} day{'s' if n > 1 else ''} before")
        for n in range(MAX_REMINDER_LEAD_DAYS + 1)
    ]
    blocks = [
        SectionBlock(text=mrkdwn(intro)),
        InputBlock(
            block_id=BlockId.SET_NAME,
            label=plain("Set name"),
            element=PlainTextInputElement(
                action_id=ActionId.SET_NAME,
                initial_value=settings.name,
                max_length=NAME_MAX,
                placeholder=plain("e.g. Team leads set"),
            ),
        ),
        InputBlock(
            block_id=BlockId.SET_TIMEZONE,
            label=plain("The set's time zone"),
            hint=plain("Meeting times and the weekly prompt follow this zone. Type a city to search."),
            element=ExternalDataSelectElement(
                action_id=ActionId.SET_TIMEZONE,
                initial_option=timezone_option(settings.timezone, now),
                min_query_length=0,
                placeholder=plain("Search for a city or region"),
            ),
        ),
        InputBlock(
            block_id=BlockId.SET_CADENCE,
            label=plain("How often the set meets"),
            element=StaticSelectElement(
                action_id=ActionId.SET_CADENCE,
                options=cadence_options,
                initial_option=next(o for o in cadence_options if o.value == settings.cadence.value),
            ),
        ),
        InputBlock(
            block_id=BlockId.SET_MEETING_DATE,
            label=plain("Next meeting date"),
            element=DatePickerElement(
                action_id=ActionId.SET_MEETING_DATE, initial_date=settings.meeting_date.isoformat()
            ),
        ),
        InputBlock(
            block_id=BlockId.SET_MEETING_TIME,
            label=plain("Next meeting start time"),
            element=TimePickerElement(
                action_id=ActionId.SET_MEETING_TIME, initial_time=settings.meeting_time.strftime("%H:%M")
            ),
        ),
        InputBlock(
            block_id=BlockId.SET_PROMPT_WEEKDAY,
            label=plain("Weekly reflection prompt: day"),
            hint=plain("Each week the channel gets a question to reflect on, on this day."),
            element=StaticSelectElement(
                action_id=ActionId.SET_PROMPT_WEEKDAY,
                options=weekday_options,
                initial_option=weekday_options[settings.prompt_weekday],
            ),
        ),
        InputBlock(
            block_id=BlockId.SET_PROMPT_TIME,
            label=plain("Weekly reflection prompt: time"),
            element=TimePickerElement(
                action_id=ActionId.SET_PROMPT_TIME, initial_time=settings.prompt_time.strftime("%H:%M")
            ),
        ),
        InputBlock(
            block_id=BlockId.SET_LEAD_DAYS,
            label=plain("Remind members of commitments this many days ahead"),
            hint=plain(
                "Besides a reminder on the due date, at 09:00 in each member's own time zone. 0: only on the day."
            ),
            element=StaticSelectElement(
                action_id=ActionId.SET_LEAD_DAYS,
                options=lead_options,
                initial_option=lead_options[min(settings.reminder_lead_days, MAX_REMINDER_LEAD_DAYS)],
            ),
        ),
        InputBlock(
            block_id=BlockId.SET_PAUSED_UNTIL,
            label=plain("Pause the set until"),
            optional=True,
            hint=plain("For holidays: no reflection prompts or digests before this date. Leave empty to run as usual."),
            element=DatePickerElement(
                action_id=ActionId.SET_PAUSED_UNTIL,
                initial_date=settings.paused_until.isoformat() if settings.paused_until else None,
            ),
        ),
        InputBlock(
            block_id=BlockId.SET_GROUND_RULES,
            label=plain("Ground rules"),
            optional=True,
            hint=plain("Each member agrees to these before their first contribution. Empty: the usual rules."),
            element=PlainTextInputElement(
                action_id=ActionId.SET_GROUND_RULES,
                multiline=True,
                max_length=GROUND_RULES_MAX,
                initial_value=ground_rules_of(settings.ground_rules),
            ),
        ),
        InputBlock(
            block_id=BlockId.SET_RETENTION,
            label=plain("Keep what is said in the set"),
            hint=plain("Older rounds, questions, reflections and commitments are deleted each day."),
            element=StaticSelectElement(
                action_id=ActionId.SET_RETENTION,
                options=retention_options,
                initial_option=next(
                    (o for o in retention_options if o.value == str(settings.retention_months)), retention_options[0]
                ),
            ),
        ),
        ContextBlock(elements=[mrkdwn("Times are in the set's time zone; members see reminders in their own.")]),
    ]
    return View(
        type="modal",
        callback_id=CallbackId.SETUP,
        title=modal_title("Set settings" if editing else "Set up this set"),
        submit=plain("Save" if editing else "Create set"),
        close=plain("Cancel"),
        private_metadata=private_metadata,
        blocks=blocks,
    )


def meeting_line(settings: SetSettings) -> str:
    """The next meeting in each reader's own time zone (Slack formats `<!date>` per viewer)."""
    ts = int(settings.next_meeting_at.timestamp())
    day = settings.meeting_date
    fallback = f"{day:%A} {day.day} {day:%B %Y}, {settings.meeting_time:%H:%M} ({settings.timezone})"
    return f"<!date^{ts}^{{date_long_pretty}} at {{time}}|{fallback}>"


def build_set_created_message(settings: SetSettings, *, facilitator_id: str, member_ids: list[str]) -> Message:
    others = [m for m in member_ids if m != facilitator_id]
    members = ", ".join(f"<@{m}>" for m in others) if others else "nobody else yet"
    prompt_day = WEEKDAYS[settings.prompt_weekday]
    details = (
        f"*{escape(settings.name)}*, facilitated by <@{facilitator_id}>\n"
        f"*Members:* {members}\n"
        f"*Next meeting:* {meeting_line(settings)} ({settings.cadence.label.lower()})\n"
        f"*Weekly reflection prompt:* {prompt_day}s at {settings.prompt_time.strftime('%H:%M')} "
        f"({settings.timezone.replace('_', ' ')})"
    )
    ground_rules = (
        "What is said in the set stays in the set. We help each other with questions rather than advice, "
        f"and we come back to report on what we committed to. Type `{COMMAND} help` to see what you can do."
    )
    text = f"This channel is now an action learning set: {settings.name}, facilitated by <@{facilitator_id}>."
    return Message.of(
        text,
        [
            HeaderBlock(text=plain("This channel is now an action learning set")),
            SectionBlock(text=mrkdwn(details)),
            ContextBlock(elements=[mrkdwn(ground_rules)]),
        ],
    )


def build_set_saved_message(
    settings: SetSettings, *, created: bool, member_count: int, size_note: str | None
) -> Message:
    if created:
        head = (
            f"Done: this channel is now the set *{escape(settings.name)}* with {member_count} "
            f"{'member' if member_count == 1 else 'members'} besides you, and you are its facilitator."
        )
    else:
        head = f"Saved the settings of *{escape(settings.name)}*."
    lines = [head, f"Next meeting: {meeting_line(settings)}."]
    if size_note:
        lines.append(size_note)
    text = "\n".join(lines)
    return Message.of(text, [SectionBlock(text=mrkdwn(text))])


def build_not_in_channel_message() -> Message:
    text = (
        "I'm not in this channel yet, so I can't see who is in it. Invite me first (type `/invite` and "
        f"pick me, or mention me and choose “Add to channel”), then run `{COMMAND} setup` again."
    )
    return Message.of(text, [SectionBlock(text=mrkdwn(text))])


def build_not_a_channel_message() -> Message:
    text = (
        "A set lives in a channel, not in a direct message. Create a channel for the set (usually a "
        f"private one), invite the members and me, and run `{COMMAND} setup` there."
    )
    return Message.of(text, [SectionBlock(text=mrkdwn(text))])


def build_facilitator_only_message(facilitator_id: str) -> Message:
    text = f"Only the set's facilitator, <@{facilitator_id}>, can change its settings."
    return Message.of(text, [SectionBlock(text=mrkdwn(text))])


def build_welcome_message(set_name: str) -> Message:
    text = (
        f"Welcome to *{escape(set_name)}*, an action learning set. What is said here stays here. "
        f"Type `{COMMAND} help` to see how rounds, questions and commitments work."
    )
    return Message.of(text, [SectionBlock(text=mrkdwn(text))])


def build_members_unknown_message() -> Message:
    text = (
        "The set is saved, but Slack wouldn't tell me who is in this channel, so for now you are its only "
        "member. I'll try again within a day; people who join the channel from now on join the set."
    )
    return Message.of(text, [SectionBlock(text=mrkdwn(text))])


def build_pause_message(until: date | None) -> Message:
    if until is None:
        text = "The set is running again: weekly reflection prompts and digests start with the next one."
    else:
        text = (
            f"The set is paused until {until:%A} {until.day} {until:%B %Y}: no weekly reflection prompts or "
            f"digests before then. Meetings and commitment reminders carry on. `{COMMAND} resume` ends the pause early."
        )
    return Message.of(text, [SectionBlock(text=mrkdwn(text))])
