"""Tables, as SQLAlchemy 2 declarative models. Every datetime is stored and read as UTC."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any, ClassVar

from sqlalchemy import (
    Boolean,
    Date,
    Double,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from storage.types import CleanString, CleanText, UTCDateTime

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

SLACK_ID = 32


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UTCDateTime, date: Date, time: Time}


class LearningSet(Base):
    """A Slack channel run as an action learning set."""

    __tablename__ = "learning_set"
    __table_args__ = (
        UniqueConstraint("team_id", "channel_id"),
        Index("ix_learning_set_next_meeting_at", "next_meeting_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(CleanString(SLACK_ID))
    channel_id: Mapped[str] = mapped_column(CleanString(SLACK_ID))
    name: Mapped[str] = mapped_column(CleanString(80))
    timezone: Mapped[str] = mapped_column(CleanString(64))
    facilitator_user_id: Mapped[str] = mapped_column(CleanString(SLACK_ID))
    cadence: Mapped[str] = mapped_column(CleanString(24))
    next_meeting_at: Mapped[datetime | None]
    prompt_weekday: Mapped[int] = mapped_column(SmallInteger)
    prompt_time: Mapped[time]
    reminder_lead_days: Mapped[int] = mapped_column(SmallInteger, default=2)
    paused_until_date: Mapped[date | None]
    members_synced_at: Mapped[datetime | None]
    next_review_at: Mapped[datetime | None] = mapped_column(index=True)
    # Cursors of the set's schedule (UTC, NULL when nothing is coming): each sweep reads only the
    # sets whose moment has come, through these indexes.
    next_soon_at: Mapped[datetime | None] = mapped_column(index=True)  # an hour before the meeting
    next_prompt_at: Mapped[datetime | None] = mapped_column(index=True)  # the weekly reflection prompt
    next_digest_at: Mapped[datetime | None] = mapped_column(index=True)  # the facilitator's Monday digest
    ground_rules: Mapped[str | None] = mapped_column(CleanText)  # NULL: the default rules
    retention_months: Mapped[int] = mapped_column(SmallInteger, default=0, server_default="0")  # 0: keep all
    next_retention_at: Mapped[datetime | None] = mapped_column(index=True)  # the daily clean-up
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    archived_at: Mapped[datetime | None]

    members: Mapped[list[SetMember]] = relationship(
        back_populates="learning_set", cascade="all, delete-orphan", lazy="raise"
    )


class SetMember(Base):
    """A person in a set. Leaving the channel ends the membership; history keeps the row."""

    __tablename__ = "set_member"
    __table_args__ = (
        UniqueConstraint("set_id", "user_id"),
        Index("ix_set_member_user_id", "user_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    set_id: Mapped[int] = mapped_column(ForeignKey("learning_set.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(CleanString(SLACK_ID))
    joined_at: Mapped[datetime]
    left_at: Mapped[datetime | None]

    learning_set: Mapped[LearningSet] = relationship(back_populates="members", lazy="raise")

    @property
    def active(self) -> bool:
        return self.left_at is None


class SlackUser(Base):
    """What Slack told us about a person (`users.info`), refreshed at least daily."""

    __tablename__ = "slack_user"
    __table_args__ = (Index("ix_slack_user_fetched_at", "fetched_at"),)

    team_id: Mapped[str] = mapped_column(CleanString(SLACK_ID), primary_key=True)
    user_id: Mapped[str] = mapped_column(CleanString(SLACK_ID), primary_key=True)
    display_name: Mapped[str] = mapped_column(CleanString(255), default="")
    tz: Mapped[str | None] = mapped_column(CleanString(64))
    is_bot: Mapped[bool] = mapped_column(Boolean, default=False)
    is_deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    fetched_at: Mapped[datetime]


class ProcessedEvent(Base):
    """Events API deliveries already handled, so Slack's retries are ignored."""

    __tablename__ = "processed_event"
    __table_args__ = (Index("ix_processed_event_received_at", "received_at"),)

    event_id: Mapped[str] = mapped_column(CleanString(64), primary_key=True)
    received_at: Mapped[datetime]


class Round(Base):
    """One presenter's problem, and the set's questions about it, in a thread of the set's channel."""

    __tablename__ = "round"
    __table_args__ = (
        Index("ix_round_set_id_phase", "set_id", "phase"),
        Index("ix_round_presenter_user_id", "presenter_user_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    set_id: Mapped[int] = mapped_column(ForeignKey("learning_set.id", ondelete="CASCADE"))
    presenter_user_id: Mapped[str] = mapped_column(CleanString(SLACK_ID))
    problem: Mapped[str] = mapped_column(CleanString(150))
    context: Mapped[str] = mapped_column(CleanText, default="")
    why_it_matters: Mapped[str] = mapped_column(CleanText, default="")
    tried: Mapped[str] = mapped_column(CleanText, default="")
    success: Mapped[str] = mapped_column(CleanText, default="")
    help_wanted: Mapped[str] = mapped_column(CleanString(200), default="")
    phase: Mapped[str] = mapped_column(CleanString(16))
    root_ts: Mapped[str | None] = mapped_column(CleanString(32))
    opened_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]
    closed_by_user_id: Mapped[str | None] = mapped_column(CleanString(SLACK_ID))
    reflection_learned: Mapped[str | None] = mapped_column(CleanText)
    reflection_differently: Mapped[str | None] = mapped_column(CleanText)
    reflected_at: Mapped[datetime | None]
    reflect_dm_channel: Mapped[str | None] = mapped_column(CleanString(SLACK_ID))
    reflect_dm_ts: Mapped[str | None] = mapped_column(CleanString(32))
    summary_ts: Mapped[str | None] = mapped_column(CleanString(32))  # the summary posted at close
    reflection_ts: Mapped[str | None] = mapped_column(CleanString(32))  # the presenter's reflection in the thread


class Question(Base):
    """A question asked in a round, and the presenter's answer to it."""

    __tablename__ = "question"
    __table_args__ = (Index("ix_question_round_id", "round_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"))
    asker_user_id: Mapped[str] = mapped_column(CleanString(SLACK_ID))
    text: Mapped[str] = mapped_column(CleanText)
    kind: Mapped[str] = mapped_column(CleanString(16))
    coached: Mapped[bool] = mapped_column(Boolean, default=False)
    phase: Mapped[str] = mapped_column(CleanString(16))
    status: Mapped[str] = mapped_column(CleanString(16))
    golden: Mapped[bool] = mapped_column(Boolean, default=False)
    message_ts: Mapped[str | None] = mapped_column(CleanString(32))
    answer_text: Mapped[str | None] = mapped_column(CleanText)
    answer_ts: Mapped[str | None] = mapped_column(CleanString(32))
    answered_at: Mapped[datetime | None]
    asked_at: Mapped[datetime]
    edited_at: Mapped[datetime | None]
    withdrawn_at: Mapped[datetime | None]


class Commitment(Base):
    """An action a member commits to before the next meeting. `next_reminder_at` is the cursor of
    the reminder schedule: the next reminder not yet handed to the outbox (NULL when none is left)."""

    __tablename__ = "commitment"
    __table_args__ = (
        Index("ix_commitment_next_reminder_at", "next_reminder_at"),
        Index("ix_commitment_set_id_user_id", "set_id", "user_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    set_id: Mapped[int] = mapped_column(ForeignKey("learning_set.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(CleanString(SLACK_ID))
    round_id: Mapped[int | None] = mapped_column(ForeignKey("round.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(CleanText)
    done_looks_like: Mapped[str] = mapped_column(CleanText, default="")
    due_date: Mapped[date]
    status: Mapped[str] = mapped_column(CleanString(12))
    snoozed_to: Mapped[date | None]
    next_reminder_at: Mapped[datetime | None]
    message_channel: Mapped[str | None] = mapped_column(CleanString(SLACK_ID))
    message_ts: Mapped[str | None] = mapped_column(CleanString(32))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]
    drop_reason: Mapped[str | None] = mapped_column(CleanText)
    celebration_ts: Mapped[str | None] = mapped_column(CleanString(32))  # "done", posted in the set's channel


class CommitmentNote(Base):
    """What a member reported about a commitment: progress, learning, a new date, done or dropped."""

    __tablename__ = "commitment_note"
    __table_args__ = (Index("ix_commitment_note_commitment_id", "commitment_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    commitment_id: Mapped[int] = mapped_column(ForeignKey("commitment.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(CleanString(12))
    what_happened: Mapped[str] = mapped_column(CleanText, default="")
    learned: Mapped[str] = mapped_column(CleanText, default="")
    new_due_date: Mapped[date | None]
    created_at: Mapped[datetime]


class Away(Base):
    """A member who asked for no DMs until a date (exclusive). `until_at` is 00:00 of that date in
    their zone, so the sweep finds who is back with an indexed comparison."""

    __tablename__ = "away"
    __table_args__ = (Index("ix_away_until_at", "until_at"),)

    team_id: Mapped[str] = mapped_column(CleanString(SLACK_ID), primary_key=True)
    user_id: Mapped[str] = mapped_column(CleanString(SLACK_ID), primary_key=True)
    until_date: Mapped[date]
    until_at: Mapped[datetime]
    started_at: Mapped[datetime]


class OutboxMessage(Base):
    """A scheduled message, derived from the database and sent exactly once.

    `key` is unique per subject, kind and day, so planning the same message twice adds nothing.
    Senders claim rows with a lease; only the claimer may mark a row sent; a row still "sending"
    after its lease is checked against Slack (by the key in the message's metadata) before it is
    sent again.
    """

    __tablename__ = "outbox_message"
    __table_args__ = (
        UniqueConstraint("key"),
        Index("ix_outbox_message_status_due_at", "status", "due_at"),
        Index("ix_outbox_message_status_lease_until", "status", "lease_until"),
        Index("ix_outbox_message_team_id_user_id_status", "team_id", "user_id", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(CleanString(200))
    team_id: Mapped[str] = mapped_column(CleanString(SLACK_ID))
    kind: Mapped[str] = mapped_column(CleanString(32))
    user_id: Mapped[str | None] = mapped_column(CleanString(SLACK_ID))
    channel_id: Mapped[str | None] = mapped_column(CleanString(SLACK_ID))
    subject_id: Mapped[int | None]
    local_date: Mapped[date]
    timezone: Mapped[str] = mapped_column(CleanString(64))
    due_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(CleanString(12))
    claimed_by: Mapped[str | None] = mapped_column(CleanString(80))
    claimed_at: Mapped[datetime | None]
    lease_until: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(CleanString(200))
    sent_channel: Mapped[str | None] = mapped_column(CleanString(SLACK_ID))
    sent_ts: Mapped[str | None] = mapped_column(CleanString(32))
    created_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]


class ReflectionPrompt(Base):
    """A weekly reflection prompt: one per set per ISO week (`week`, e.g. 2026-W48). The message
    itself goes through the outbox under `outbox_key`; `nudge_at` is when members who have not
    reflected get one gentle DM (NULL once planned)."""

    __tablename__ = "reflection_prompt"
    __table_args__ = (
        UniqueConstraint("set_id", "week"),
        Index("ix_reflection_prompt_nudge_at", "nudge_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    set_id: Mapped[int] = mapped_column(ForeignKey("learning_set.id", ondelete="CASCADE"))
    week: Mapped[str] = mapped_column(CleanString(10))
    prompt_index: Mapped[int] = mapped_column(SmallInteger)
    text: Mapped[str] = mapped_column(CleanText)
    local_date: Mapped[date]
    prompted_at: Mapped[datetime]
    nudge_at: Mapped[datetime | None]
    outbox_key: Mapped[str] = mapped_column(CleanString(200))


class Reflection(Base):
    """What a member wrote in reflection, and who may see it: the set (posted in the prompt's
    thread), the facilitator and them, or only them (never posted)."""

    __tablename__ = "reflection"
    __table_args__ = (
        Index("ix_reflection_set_id_created_at", "set_id", "created_at"),
        Index("ix_reflection_user_id", "user_id"),
        Index("ix_reflection_prompt_id", "prompt_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    set_id: Mapped[int] = mapped_column(ForeignKey("learning_set.id", ondelete="CASCADE"))
    prompt_id: Mapped[int | None] = mapped_column(ForeignKey("reflection_prompt.id", ondelete="SET NULL"))
    user_id: Mapped[str] = mapped_column(CleanString(SLACK_ID))
    text: Mapped[str] = mapped_column(CleanText)
    visibility: Mapped[str] = mapped_column(CleanString(16))
    message_channel: Mapped[str | None] = mapped_column(CleanString(SLACK_ID))
    message_ts: Mapped[str | None] = mapped_column(CleanString(32))
    created_at: Mapped[datetime]


class MeetingBid(Base):
    """A member asking for time at a meeting; the meeting reminders list the bids as the draft
    agenda. One bid per member per meeting (bidding again replaces it)."""

    __tablename__ = "meeting_bid"
    __table_args__ = (UniqueConstraint("set_id", "meeting_at", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    set_id: Mapped[int] = mapped_column(ForeignKey("learning_set.id", ondelete="CASCADE"))
    meeting_at: Mapped[datetime]
    user_id: Mapped[str] = mapped_column(CleanString(SLACK_ID))
    topic: Mapped[str] = mapped_column(CleanText)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class GroundRulesAgreement(Base):
    """A member agreed to the set's ground rules (asked once per set, before their first contribution)."""

    __tablename__ = "ground_rules_agreement"

    set_id: Mapped[int] = mapped_column(ForeignKey("learning_set.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[str] = mapped_column(CleanString(SLACK_ID), primary_key=True)
    agreed_at: Mapped[datetime]


class PendingForm(Base):
    """A form waiting behind the ground rules: shown (`response_action: update`) once the member
    agrees. Kept a day at most."""

    __tablename__ = "pending_form"
    __table_args__ = (Index("ix_pending_form_created_at", "created_at"),)

    token: Mapped[str] = mapped_column(CleanString(40), primary_key=True)
    team_id: Mapped[str] = mapped_column(CleanString(SLACK_ID))
    user_id: Mapped[str] = mapped_column(CleanString(SLACK_ID))
    set_id: Mapped[int] = mapped_column(ForeignKey("learning_set.id", ondelete="CASCADE"))
    view: Mapped[str] = mapped_column(CleanText)
    created_at: Mapped[datetime]


class SlackInstallation(Base):
    """The app installed in a workspace (or an Enterprise Grid org) by the OAuth flow: its bot token,
    and the refresh token when token rotation is on. One row per workspace; a new install replaces it."""

    __tablename__ = "slack_installation"
    __table_args__ = (UniqueConstraint("client_id", "enterprise_key", "team_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[str] = mapped_column(CleanString(64))
    # The ids, or "" when there is none: NULLs would not count as equal in the unique constraint.
    enterprise_key: Mapped[str] = mapped_column(CleanString(SLACK_ID))
    team_key: Mapped[str] = mapped_column(CleanString(SLACK_ID))
    is_enterprise_install: Mapped[bool] = mapped_column(Boolean)
    app_id: Mapped[str] = mapped_column(CleanString(SLACK_ID))
    team_name: Mapped[str | None] = mapped_column(CleanString(200))
    enterprise_name: Mapped[str | None] = mapped_column(CleanString(200))
    user_id: Mapped[str] = mapped_column(CleanString(SLACK_ID))
    bot_id: Mapped[str | None] = mapped_column(CleanString(SLACK_ID))
    bot_user_id: Mapped[str | None] = mapped_column(CleanString(SLACK_ID))
    bot_token: Mapped[str | None] = mapped_column(CleanString(255))
    bot_scopes: Mapped[str | None] = mapped_column(CleanText)
    bot_refresh_token: Mapped[str | None] = mapped_column(CleanString(255))
    bot_token_expires_at: Mapped[datetime | None]
    token_type: Mapped[str | None] = mapped_column(CleanString(32))
    installed_at: Mapped[datetime]


class OAuthState(Base):
    """A `state` value handed to a browser starting the OAuth flow, usable once before it expires."""

    __tablename__ = "oauth_state"
    __table_args__ = (Index("ix_oauth_state_expires_at", "expires_at"),)

    state: Mapped[str] = mapped_column(CleanString(64), primary_key=True)
    expires_at: Mapped[datetime]


class PostPace(Base):
    """The shared pace of scheduled posts (scheduler.pacing), so that instances on one database keep
    Slack's limits together: per channel, when it is next free; per workspace (`target` "*"), the
    theoretical arrival time of its next post. Seconds since the epoch."""

    __tablename__ = "post_pace"

    team_id: Mapped[str] = mapped_column(CleanString(SLACK_ID), primary_key=True)
    target: Mapped[str] = mapped_column(CleanString(SLACK_ID), primary_key=True)
    free_at: Mapped[float] = mapped_column(Double)
