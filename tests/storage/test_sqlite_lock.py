"""The lock that keeps a SQLite database to one scheduler (the two-process test is in
tests/e2e/test_sqlite_single_instance.py)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from storage.sqlite_lock import AlreadyLocked, lock_path, lock_sqlite


def test_the_lock_file_sits_beside_the_database_file(tmp_path: Path) -> None:
    assert lock_path(f"sqlite+aiosqlite:///{tmp_path / 'als.db'}") == tmp_path / "als.db.lock"


@pytest.mark.parametrize(
    "url",
    ["postgresql+asyncpg://postgres@127.0.0.1/test", "sqlite+aiosqlite://", "sqlite+aiosqlite:///:memory:"],
)
def test_nothing_to_lock_for_postgresql_or_memory(url: str) -> None:
    assert lock_path(url) is None
    assert lock_sqlite(url) is None


def test_a_relative_path_is_locked_where_sqlite_opens_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert lock_path("sqlite+aiosqlite:///als.db") == tmp_path / "als.db.lock"


def test_a_second_taker_is_refused_until_the_first_lets_go(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'als.db'}"
    first = lock_sqlite(url)
    assert first is not None
    assert (tmp_path / "als.db.lock").read_text() == f"{os.getpid()}\n"
    # flock belongs to an open file, so a second open in the same process is refused like another process
    with pytest.raises(AlreadyLocked) as refused:
        lock_sqlite(url)
    assert refused.value.path == tmp_path / "als.db.lock"
    first.release()
    first.release()  # twice is harmless
    second = lock_sqlite(url)
    assert second is not None
    second.release()


def test_a_lock_file_left_behind_does_not_block(tmp_path: Path) -> None:
    (tmp_path / "als.db.lock").write_text("12345\n")  # from a process that died
    lock = lock_sqlite(f"sqlite+aiosqlite:///{tmp_path / 'als.db'}")
    assert lock is not None
    lock.release()
