"""commitments, notes, away and the outbox

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 12:00:19.640347
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "away",
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("until_date", sa.Date(), nullable=False),
        sa.Column("until_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("started_at", UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("team_id", "user_id", name=op.f("pk_away")),
    )
    with op.batch_alter_table("away", schema=None) as batch_op:
        batch_op.create_index("ix_away_until_at", ["until_at"], unique=False)

    op.create_table(
        "outbox_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=True),
        sa.Column("channel_id", sa.String(length=32), nullable=True),
        sa.Column("subject_id", sa.Integer(), nullable=True),
        sa.Column("local_date", sa.Date(), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("due_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("claimed_by", sa.String(length=80), nullable=True),
        sa.Column("claimed_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("lease_until", UTCDateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(length=200), nullable=True),
        sa.Column("sent_channel", sa.String(length=32), nullable=True),
        sa.Column("sent_ts", sa.String(length=32), nullable=True),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("finished_at", UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_message")),
        sa.UniqueConstraint("key", name=op.f("uq_outbox_message_key")),
    )
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.create_index("ix_outbox_message_status_due_at", ["status", "due_at"], unique=False)
        batch_op.create_index("ix_outbox_message_status_lease_until", ["status", "lease_until"], unique=False)
        batch_op.create_index(
            "ix_outbox_message_team_id_user_id_status", ["team_id", "user_id", "status"], unique=False
        )

    op.create_table(
        "commitment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("set_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.Text(), nullable=False),
        sa.Column("done_looks_like", sa.Text(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("snoozed_to", sa.Date(), nullable=True),
        sa.Column("next_reminder_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("message_channel", sa.String(length=32), nullable=True),
        sa.Column("message_ts", sa.String(length=32), nullable=True),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("closed_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("drop_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["round_id"], ["round.id"], name=op.f("fk_commitment_round_id_round"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["set_id"], ["learning_set.id"], name=op.f("fk_commitment_set_id_learning_set"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commitment")),
    )
    with op.batch_alter_table("commitment", schema=None) as batch_op:
        batch_op.create_index("ix_commitment_next_reminder_at", ["next_reminder_at"], unique=False)
        batch_op.create_index("ix_commitment_set_id_user_id", ["set_id", "user_id"], unique=False)

    op.create_table(
        "commitment_note",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("commitment_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("what_happened", sa.Text(), nullable=False),
        sa.Column("learned", sa.Text(), nullable=False),
        sa.Column("new_due_date", sa.Date(), nullable=True),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["commitment_id"],
            ["commitment.id"],
            name=op.f("fk_commitment_note_commitment_id_commitment"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commitment_note")),
    )
    with op.batch_alter_table("commitment_note", schema=None) as batch_op:
        batch_op.create_index("ix_commitment_note_commitment_id", ["commitment_id"], unique=False)

    with op.batch_alter_table("learning_set", schema=None) as batch_op:
        batch_op.add_column(sa.Column("next_review_at", UTCDateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f("ix_learning_set_next_review_at"), ["next_review_at"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("learning_set", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_learning_set_next_review_at"))
        batch_op.drop_column("next_review_at")

    with op.batch_alter_table("commitment_note", schema=None) as batch_op:
        batch_op.drop_index("ix_commitment_note_commitment_id")

    op.drop_table("commitment_note")
    with op.batch_alter_table("commitment", schema=None) as batch_op:
        batch_op.drop_index("ix_commitment_set_id_user_id")
        batch_op.drop_index("ix_commitment_next_reminder_at")

    op.drop_table("commitment")
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_message_team_id_user_id_status")
        batch_op.drop_index("ix_outbox_message_status_lease_until")
        batch_op.drop_index("ix_outbox_message_status_due_at")

    op.drop_table("outbox_message")
    with op.batch_alter_table("away", schema=None) as batch_op:
        batch_op.drop_index("ix_away_until_at")

    op.drop_table("away")
