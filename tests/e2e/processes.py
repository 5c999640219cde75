"""The app as its own process (`python -m bot`), for what only a real process shows: exit codes,
signals, and start-up from the environment."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import aiohttp


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def clean_env(**values: str) -> dict[str, str]:
    """The environment without any Slack or database settings of the machine running the tests."""
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE_", "PORT", "LOG_LEVEL"))}
    return {**keep, **values}


@dataclass
class AppProcess:
    process: asyncio.subprocess.Process
    port: int

    async def wait_healthy(self, timeout: float = 15.0) -> float:
        """Seconds until /healthz answered 200."""
        loop = asyncio.get_running_loop()
        started = loop.time()
        async with aiohttp.ClientSession() as session:
            while loop.time() - started < timeout:
                if self.process.returncode is not None:
                    raise AssertionError(f"the app exited with {self.process.returncode}")
                try:
                    async with session.get(f"http://127.0.0.1:{self.port}/healthz") as resp:
                        if resp.status == 200:
                            return loop.time() - started
                except aiohttp.ClientError:
                    pass
                await asyncio.sleep(0.05)
        raise TimeoutError("the app never became healthy")

    def signal(self, sig: signal.Signals) -> None:
        self.process.send_signal(sig)

    async def wait(self, timeout: float = 20.0) -> int:
        return await asyncio.wait_for(self.process.wait(), timeout)


@asynccontextmanager
async def app_process(env: dict[str, str], cwd: Path) -> AsyncIterator[AppProcess]:
    port = int(env.get("PORT") or free_port())
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        cwd=cwd,
        env={**env, "PORT": str(port)},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        yield AppProcess(process, port)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()


async def run_cli(args: list[str], env: dict[str, str], cwd: Path, timeout: float = 30.0) -> tuple[int, str, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        cwd=cwd,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), timeout)
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()
