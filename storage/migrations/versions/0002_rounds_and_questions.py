"""rounds and questions

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 11:26:23.894643
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "round",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("set_id", sa.Integer(), nullable=False),
        sa.Column("presenter_user_id", sa.String(length=32), nullable=False),
        sa.Column("problem", sa.String(length=150), nullable=False),
        sa.Column("context", sa.Text(), nullable=False),
        sa.Column("why_it_matters", sa.Text(), nullable=False),
        sa.Column("tried", sa.Text(), nullable=False),
        sa.Column("success", sa.Text(), nullable=False),
        sa.Column("help_wanted", sa.String(length=200), nullable=False),
        sa.Column("phase", sa.String(length=16), nullable=False),
        sa.Column("root_ts", sa.String(length=32), nullable=True),
        sa.Column("opened_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("closed_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("closed_by_user_id", sa.String(length=32), nullable=True),
        sa.Column("reflection_learned", sa.Text(), nullable=True),
        sa.Column("reflection_differently", sa.Text(), nullable=True),
        sa.Column("reflected_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("reflect_dm_channel", sa.String(length=32), nullable=True),
        sa.Column("reflect_dm_ts", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(
            ["set_id"], ["learning_set.id"], name=op.f("fk_round_set_id_learning_set"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_round")),
    )
    with op.batch_alter_table("round", schema=None) as batch_op:
        batch_op.create_index("ix_round_presenter_user_id", ["presenter_user_id"], unique=False)
        batch_op.create_index("ix_round_set_id_phase", ["set_id", "phase"], unique=False)

    op.create_table(
        "question",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("asker_user_id", sa.String(length=32), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("coached", sa.Boolean(), nullable=False),
        sa.Column("phase", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("golden", sa.Boolean(), nullable=False),
        sa.Column("message_ts", sa.String(length=32), nullable=True),
        sa.Column("answer_text", sa.Text(), nullable=True),
        sa.Column("answer_ts", sa.String(length=32), nullable=True),
        sa.Column("answered_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("asked_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("edited_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("withdrawn_at", UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["round_id"], ["round.id"], name=op.f("fk_question_round_id_round"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_question")),
    )
    with op.batch_alter_table("question", schema=None) as batch_op:
        batch_op.create_index("ix_question_round_id", ["round_id"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("question", schema=None) as batch_op:
        batch_op.drop_index("ix_question_round_id")

    op.drop_table("question")
    with op.batch_alter_table("round", schema=None) as batch_op:
        batch_op.drop_index("ix_round_set_id_phase")
        batch_op.drop_index("ix_round_presenter_user_id")

    op.drop_table("round")
