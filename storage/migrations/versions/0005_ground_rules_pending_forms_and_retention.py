"""ground rules, pending forms and retention

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22 17:30:42.950437
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "ground_rules_agreement",
        sa.Column("set_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("agreed_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["set_id"],
            ["learning_set.id"],
            name=op.f("fk_ground_rules_agreement_set_id_learning_set"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("set_id", "user_id", name=op.f("pk_ground_rules_agreement")),
    )
    op.create_table(
        "pending_form",
        sa.Column("token", sa.String(length=40), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("set_id", sa.Integer(), nullable=False),
        sa.Column("view", sa.Text(), nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["set_id"], ["learning_set.id"], name=op.f("fk_pending_form_set_id_learning_set"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("token", name=op.f("pk_pending_form")),
    )
    with op.batch_alter_table("pending_form", schema=None) as batch_op:
        batch_op.create_index("ix_pending_form_created_at", ["created_at"], unique=False)

    with op.batch_alter_table("commitment", schema=None) as batch_op:
        batch_op.add_column(sa.Column("celebration_ts", sa.String(length=32), nullable=True))

    with op.batch_alter_table("learning_set", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ground_rules", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("retention_months", sa.SmallInteger(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("next_retention_at", UTCDateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f("ix_learning_set_next_retention_at"), ["next_retention_at"], unique=False)

    with op.batch_alter_table("round", schema=None) as batch_op:
        batch_op.add_column(sa.Column("summary_ts", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("reflection_ts", sa.String(length=32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("round", schema=None) as batch_op:
        batch_op.drop_column("reflection_ts")
        batch_op.drop_column("summary_ts")

    with op.batch_alter_table("learning_set", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_learning_set_next_retention_at"))
        batch_op.drop_column("next_retention_at")
        batch_op.drop_column("retention_months")
        batch_op.drop_column("ground_rules")

    with op.batch_alter_table("commitment", schema=None) as batch_op:
        batch_op.drop_column("celebration_ts")

    with op.batch_alter_table("pending_form", schema=None) as batch_op:
        batch_op.drop_index("ix_pending_form_created_at")

    op.drop_table("pending_form")
    op.drop_table("ground_rules_agreement")
