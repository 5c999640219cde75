"""Group commit: many coroutines each hand in an item; the items handed in while one transaction
runs go together in the next. One sender alone gets its own transaction at once; many senders
share a few."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")


class GroupCommit(Generic[Item, Result]):
    def __init__(self, commit: Callable[[list[Item]], Awaitable[list[Result]]]) -> None:
        """`commit` runs one transaction for a group and returns one result per item, in order."""
        self._commit = commit
        self._waiting: list[tuple[Item, asyncio.Future[Result]]] = []
        self._runner: asyncio.Task[None] | None = None

    async def submit(self, item: Item) -> Result:
        """The item's result once its group is committed; the group's exception if it failed."""
        future: asyncio.Future[Result] = asyncio.get_running_loop().create_future()
        self._waiting.append((item, future))
        if self._runner is None or self._runner.done():
            self._runner = asyncio.create_task(self._run())
        return await future

    async def _run(self) -> None:
        await asyncio.sleep(0)  # the others that are ready at this moment join the first group
        while self._waiting:
            group, self._waiting = self._waiting, []
            try:
                results = await self._commit([item for item, _ in group])
            except Exception as exc:
                for _, future in group:
                    if not future.done():
                        future.set_exception(exc)
                continue
            for (_, future), result in zip(group, results, strict=True):
                if not future.done():  # its sender may have been cancelled meanwhile
                    future.set_result(result)
