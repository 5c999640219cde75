"""One transaction's worth of repositories. Repositories never commit; the unit of work does."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from storage.repositories.commitments import CommitmentRepository
from storage.repositories.events import EventRepository
from storage.repositories.export import ExportRepository
from storage.repositories.ground_rules import GroundRulesRepository
from storage.repositories.installations import InstallationRepository
from storage.repositories.meetings import MeetingRepository
from storage.repositories.outbox import OutboxRepository
from storage.repositories.pace import PaceRepository
from storage.repositories.reflections import ReflectionRepository
from storage.repositories.rounds import RoundRepository
from storage.repositories.sets import SetRepository
from storage.repositories.users import UserRepository


class UnitOfWork:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.sets = SetRepository(session)
        self.users = UserRepository(session)
        self.events = EventRepository(session)
        self.rounds = RoundRepository(session)
        self.commitments = CommitmentRepository(session)
        self.outbox = OutboxRepository(session)
        self.pace = PaceRepository(session)
        self.reflections = ReflectionRepository(session)
        self.meetings = MeetingRepository(session)
        self.ground_rules = GroundRulesRepository(session)
        self.export = ExportRepository(session)
        self.installations = InstallationRepository(session)

    async def flush(self) -> None:
        await self.session.flush()
