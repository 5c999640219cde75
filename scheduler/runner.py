"""APScheduler wiring: an in-memory job that runs the sweep every minute, never two at once. A tick
that claimed a full batch sweeps again at once, so that a burst of due messages (everyone's 09:00)
goes out at the pace, not at one batch a minute."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger
from slack_sdk.web.async_client import AsyncWebClient

from bot.deps import Deps
from scheduler.outbox import CLAIM_BATCH, DispatchReport, sender_id
from scheduler.pacing import Pacer
from scheduler.sweep import run_sweep

log = logging.getLogger("als.scheduler")


class Scheduler:
    def __init__(self, deps: Deps, client: AsyncWebClient) -> None:
        self.deps = deps
        self.client = client
        self._scheduler = AsyncIOScheduler(timezone=UTC)
        self._ticks: set[asyncio.Task[None]] = set()
        self._stopping = False
        self.me = sender_id()
        # One pacer for the life of the process, so that the pace holds from one tick to the next; on
        # the wall clock, which the instances sharing the pace in the database have in common.
        self.pacer = Pacer(
            posts_per_minute=deps.settings.scheduled_posts_per_minute, clock=lambda: deps.clock.now().timestamp()
        )

    def start(self) -> None:
        self._scheduler.add_job(
            self._tick,
            IntervalTrigger(seconds=self.deps.settings.sweep_interval_seconds, timezone=UTC),
            id="sweep",
            next_run_time=self.deps.clock.now(),
            coalesce=True,
            max_instances=1,
            misfire_grace_time=max(1, int(self.deps.settings.sweep_interval_seconds)),
        )
        self._scheduler.start()

    async def _tick(self) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._ticks.add(task)
        try:
            while True:
                report = await run_sweep(
                    self.deps, self.client, now=self.deps.clock.now(), me=self.me, pacer=self.pacer
                )
                _log_counts(report)
                if report.claimed < CLAIM_BATCH or self._stopping:
                    break
        except asyncio.CancelledError:
            # Only shutdown cancels a tick, once it has waited SHUTDOWN_TIMEOUT_SECONDS: what the tick
            # held goes back to the outbox when its lease ends, and Slack's history tells what was sent.
            log.warning("sweep cut short by shutdown")
        except Exception as exc:  # one bad tick must not stop the next
            log.error("sweep failed: %s", type(exc).__name__, exc_info=True)
        finally:
            if task is not None:
                self._ticks.discard(task)

    async def stop(self) -> None:
        self._stopping = True
        self.pacer.close()  # senders waiting for a turn give their messages back now
        self._scheduler.shutdown(wait=False)
        if self._ticks:
            await asyncio.wait(set(self._ticks), timeout=self.deps.settings.shutdown_timeout_seconds)


def _log_counts(report: DispatchReport) -> None:
    if report.claimed:
        log.info(
            "sweep: %s claimed, %s sent, %s recovered, %s skipped, %s retrying, %s failed, %s deferred, %s lost",
            report.claimed,
            report.sent,
            report.recovered,
            sum(report.skipped.values()),
            report.retrying,
            report.failed,
            report.deferred,
            report.lost,
        )
