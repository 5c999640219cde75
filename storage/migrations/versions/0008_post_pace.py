"""post_pace: the pace of scheduled posts, shared by every instance on the database

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04 23:50:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "post_pace",
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("target", sa.String(length=32), nullable=False),
        sa.Column("free_at", sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint("team_id", "target", name=op.f("pk_post_pace")),
    )


def downgrade() -> None:
    op.drop_table("post_pace")
