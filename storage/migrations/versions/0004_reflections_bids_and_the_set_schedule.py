"""reflection prompts, reflections, meeting bids and the set's schedule

Sets made before this revision get their schedule cursors on the first sweep after it.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 16:45:52.604623
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "meeting_bid",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("set_id", sa.Integer(), nullable=False),
        sa.Column("meeting_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("topic", sa.Text(), nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["set_id"], ["learning_set.id"], name=op.f("fk_meeting_bid_set_id_learning_set"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_bid")),
        sa.UniqueConstraint("set_id", "meeting_at", "user_id", name=op.f("uq_meeting_bid_set_id_meeting_at_user_id")),
    )
    op.create_table(
        "reflection_prompt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("set_id", sa.Integer(), nullable=False),
        sa.Column("week", sa.String(length=10), nullable=False),
        sa.Column("prompt_index", sa.SmallInteger(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("local_date", sa.Date(), nullable=False),
        sa.Column("prompted_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("nudge_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("outbox_key", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["set_id"], ["learning_set.id"], name=op.f("fk_reflection_prompt_set_id_learning_set"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reflection_prompt")),
        sa.UniqueConstraint("set_id", "week", name=op.f("uq_reflection_prompt_set_id_week")),
    )
    with op.batch_alter_table("reflection_prompt", schema=None) as batch_op:
        batch_op.create_index("ix_reflection_prompt_nudge_at", ["nudge_at"], unique=False)

    op.create_table(
        "reflection",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("set_id", sa.Integer(), nullable=False),
        sa.Column("prompt_id", sa.Integer(), nullable=True),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("visibility", sa.String(length=16), nullable=False),
        sa.Column("message_channel", sa.String(length=32), nullable=True),
        sa.Column("message_ts", sa.String(length=32), nullable=True),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["prompt_id"],
            ["reflection_prompt.id"],
            name=op.f("fk_reflection_prompt_id_reflection_prompt"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["set_id"], ["learning_set.id"], name=op.f("fk_reflection_set_id_learning_set"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reflection")),
    )
    with op.batch_alter_table("reflection", schema=None) as batch_op:
        batch_op.create_index("ix_reflection_prompt_id", ["prompt_id"], unique=False)
        batch_op.create_index("ix_reflection_set_id_created_at", ["set_id", "created_at"], unique=False)
        batch_op.create_index("ix_reflection_user_id", ["user_id"], unique=False)

    with op.batch_alter_table("learning_set", schema=None) as batch_op:
        batch_op.add_column(sa.Column("next_soon_at", UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("next_prompt_at", UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("next_digest_at", UTCDateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f("ix_learning_set_next_digest_at"), ["next_digest_at"], unique=False)
        batch_op.create_index("ix_learning_set_next_meeting_at", ["next_meeting_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_learning_set_next_prompt_at"), ["next_prompt_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_learning_set_next_soon_at"), ["next_soon_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("learning_set", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_learning_set_next_soon_at"))
        batch_op.drop_index(batch_op.f("ix_learning_set_next_prompt_at"))
        batch_op.drop_index("ix_learning_set_next_meeting_at")
        batch_op.drop_index(batch_op.f("ix_learning_set_next_digest_at"))
        batch_op.drop_column("next_digest_at")
        batch_op.drop_column("next_prompt_at")
        batch_op.drop_column("next_soon_at")

    with op.batch_alter_table("reflection", schema=None) as batch_op:
        batch_op.drop_index("ix_reflection_user_id")
        batch_op.drop_index("ix_reflection_set_id_created_at")
        batch_op.drop_index("ix_reflection_prompt_id")

    op.drop_table("reflection")
    with op.batch_alter_table("reflection_prompt", schema=None) as batch_op:
        batch_op.drop_index("ix_reflection_prompt_nudge_at")

    op.drop_table("reflection_prompt")
    op.drop_table("meeting_bid")
