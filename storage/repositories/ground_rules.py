"""Who has agreed to a set's ground rules, and the forms waiting behind them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.dialect import insert_ignoring_conflicts
from storage.models import GroundRulesAgreement, PendingForm


class GroundRulesRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def has_agreed(self, set_id: int, user_id: str) -> bool:
        found = await self.session.get(GroundRulesAgreement, (set_id, user_id))
        return found is not None

    async def agree(self, set_id: int, user_id: str, now: datetime) -> None:
        await self.session.execute(
            insert_ignoring_conflicts(self.session, GroundRulesAgreement, set_id=set_id, user_id=user_id, agreed_at=now)
        )

    async def hold_form(self, form: PendingForm) -> None:
        self.session.add(form)
        await self.session.flush()

    async def take_form(self, token: str, *, team_id: str, user_id: str) -> PendingForm | None:
        """The waiting form, once: it is removed as it is taken. Only its own person can take it."""
        form = await self.session.get(PendingForm, token)
        if form is None or form.team_id != team_id or form.user_id != user_id:
            return None
        await self.session.delete(form)
        return form

    async def prune_forms(self, older_than: datetime) -> int:
        result = await self.session.execute(delete(PendingForm).where(PendingForm.created_at < older_than))
        return int(getattr(result, "rowcount", 0) or 0)

    async def list_agreed(self, set_id: int) -> list[str]:
        query = select(GroundRulesAgreement.user_id).where(GroundRulesAgreement.set_id == set_id)
        return list((await self.session.scalars(query)).all())
