"""initial

Revision ID: 0001
Revises: -
Create Date: 2026-11-22 11:08:18.276639
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "learning_set",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("channel_id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("facilitator_user_id", sa.String(length=32), nullable=False),
        sa.Column("cadence", sa.String(length=24), nullable=False),
        sa.Column("next_meeting_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("prompt_weekday", sa.SmallInteger(), nullable=False),
        sa.Column("prompt_time", sa.Time(), nullable=False),
        sa.Column("reminder_lead_days", sa.SmallInteger(), nullable=False),
        sa.Column("paused_until_date", sa.Date(), nullable=True),
        sa.Column("members_synced_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("archived_at", UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_learning_set")),
        sa.UniqueConstraint("team_id", "channel_id", name=op.f("uq_learning_set_team_id_channel_id")),
    )
    op.create_table(
        "processed_event",
        sa.Column("event_id", sa.String(length=64), nullable=False),
        sa.Column("received_at", UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_processed_event")),
    )
    with op.batch_alter_table("processed_event", schema=None) as batch_op:
        batch_op.create_index("ix_processed_event_received_at", ["received_at"], unique=False)

    op.create_table(
        "slack_user",
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("display_name", sa.String(length=255), nullable=False),
        sa.Column("tz", sa.String(length=64), nullable=True),
        sa.Column("is_bot", sa.Boolean(), nullable=False),
        sa.Column("is_deleted", sa.Boolean(), nullable=False),
        sa.Column("fetched_at", UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("team_id", "user_id", name=op.f("pk_slack_user")),
    )
    op.create_table(
        "set_member",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("set_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("joined_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("left_at", UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["set_id"],
            ["learning_set.id"],
            name=op.f("fk_set_member_set_id_learning_set"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_set_member")),
        sa.UniqueConstraint("set_id", "user_id", name=op.f("uq_set_member_set_id_user_id")),
    )
    with op.batch_alter_table("set_member", schema=None) as batch_op:
        batch_op.create_index("ix_set_member_user_id", ["user_id"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("set_member", schema=None) as batch_op:
        batch_op.drop_index("ix_set_member_user_id")

    op.drop_table("set_member")
    op.drop_table("slack_user")
    with op.batch_alter_table("processed_event", schema=None) as batch_op:
        batch_op.drop_index("ix_processed_event_received_at")

    op.drop_table("processed_event")
    op.drop_table("learning_set")
