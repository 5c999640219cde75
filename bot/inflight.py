"""Work that continues after Slack has had its acknowledgement, tracked so shutdown can finish it."""

from __future__ import annotations

import asyncio


class InFlight:
    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[object]] = set()

    def track_current(self) -> None:
        task = asyncio.current_task()
        if task is not None and task not in self._tasks:
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    def __len__(self) -> int:
        return len(self._tasks)

    async def wait(self, timeout: float) -> bool:
        """Wait for tracked work to end; False when some was still running at the timeout."""
        pending = {t for t in self._tasks if t is not asyncio.current_task()}
        if not pending:
            return True
        _, still_running = await asyncio.wait(pending, timeout=timeout)
        return not still_running
