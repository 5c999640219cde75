"""Group commit: what is handed in while a transaction runs goes in the next one, in order."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest

from scheduler.group_commit import GroupCommit


async def until(condition: Callable[[], bool]) -> None:
    for _ in range(100):
        if condition():
            return
        await asyncio.sleep(0)
    raise AssertionError("never happened")


async def test_what_is_handed_in_while_a_commit_runs_goes_together_in_the_next() -> None:
    groups: list[list[int]] = []
    finish: asyncio.Queue[None] = asyncio.Queue()

    async def commit(items: list[int]) -> list[int]:
        groups.append(items)
        await finish.get()  # the transaction runs until the test lets it end
        return [item * 10 for item in items]

    desk: GroupCommit[int, int] = GroupCommit(commit)
    together = [asyncio.create_task(desk.submit(n)) for n in range(3)]
    await until(lambda: len(groups) == 1)
    alone = asyncio.create_task(desk.submit(3))  # arrives while the first group's commit runs
    also = asyncio.create_task(desk.submit(4))
    await asyncio.sleep(0)
    assert groups == [[0, 1, 2]]
    finish.put_nowait(None)
    assert await asyncio.gather(*together) == [0, 10, 20]
    await until(lambda: len(groups) == 2)
    assert groups[1] == [3, 4]
    finish.put_nowait(None)
    assert await asyncio.gather(alone, also) == [30, 40]
    finish.put_nowait(None)
    assert await desk.submit(5) == 50  # and one alone goes at once, by itself
    assert groups[2] == [5]


async def test_a_failed_commit_fails_its_group_only() -> None:
    async def commit(items: list[str]) -> list[str]:
        await asyncio.sleep(0)
        if "bad" in items:
            raise RuntimeError("the database said no")
        return [item.upper() for item in items]

    desk: GroupCommit[str, str] = GroupCommit(commit)
    results = await asyncio.gather(desk.submit("a"), desk.submit("bad"), return_exceptions=True)
    assert [type(r) for r in results] == [RuntimeError, RuntimeError]
    assert await desk.submit("c") == "C"  # the next group is not held back by the failure


async def test_a_sender_that_gives_up_does_not_stop_the_others() -> None:
    started = asyncio.Event()

    async def commit(items: list[int]) -> list[int]:
        started.set()
        await asyncio.sleep(0.02)
        return items

    desk: GroupCommit[int, int] = GroupCommit(commit)
    impatient = asyncio.create_task(desk.submit(1))
    patient = asyncio.create_task(desk.submit(2))
    await started.wait()
    impatient.cancel()
    assert await patient == 2
    with pytest.raises(asyncio.CancelledError):
        await impatient
