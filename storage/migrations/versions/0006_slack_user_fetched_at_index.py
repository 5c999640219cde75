"""an index on slack_user.fetched_at, for the sweep's look for profiles to refresh

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22 22:10:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(op.f("ix_slack_user_fetched_at"), "slack_user", ["fetched_at"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_slack_user_fetched_at"), table_name="slack_user")
