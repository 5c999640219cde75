"""Starting the app (or the bare app) as its own process, as it runs in production: environment
variables in, /healthz to know when it is up, SIGTERM to stop it."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import aiohttp

REPO = Path(__file__).resolve().parent.parent
SIGNING_SECRET = "bench-signing-secret"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def app_env(*, api_url: str, bot_token: str, database_url: str, port: int, **extra: str) -> dict[str, str]:
    """The machine's environment without its own Slack or database settings, plus the bench's.
    SLACK_APP_TOKEN is blanked so that a developer's .env cannot switch the app to Socket Mode."""
    keep = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SLACK_", "DATABASE_", "PORT", "LOG_LEVEL", "SWEEP_", "OUTBOX_", "MIGRATE_"))
    }
    return {
        **keep,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH", "")])),
        "SLACK_BOT_TOKEN": bot_token,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_APP_TOKEN": "",
        "SLACK_API_URL": api_url,
        "DATABASE_URL": database_url,
        "PORT": str(port),
        "LOG_LEVEL": "WARNING",
        **extra,
    }


@dataclass
class AppProcess:
    process: asyncio.subprocess.Process
    port: int
    log: Path
    started: float  # time.perf_counter() just before the process was started

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        return self.process.pid

    async def wait_healthy(self, timeout: float = 30.0) -> float:
        """Seconds from process start until /healthz answered 200."""
        deadline = time.perf_counter() + timeout
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=2)) as session:
            while time.perf_counter() < deadline:
                if self.process.returncode is not None:
                    raise RuntimeError(f"the app exited with {self.process.returncode}:\n{self.tail()}")
                try:
                    async with session.get(f"{self.url}/healthz") as response:
                        if response.status == 200:
                            return time.perf_counter() - self.started
                except (aiohttp.ClientError, TimeoutError):
                    pass
                await asyncio.sleep(0.01)
        raise TimeoutError(f"the app did not become healthy in {timeout:.0f} s:\n{self.tail()}")

    def cpu_seconds(self) -> float | None:
        """CPU time the process has used so far (user + system, from /proc); None where there is
        no /proc."""
        try:
            fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            return None
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    async def stop(self, timeout: float = 30.0) -> int:
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(self.process.wait(), timeout)
            except TimeoutError:
                self.process.kill()
                await self.process.wait()
        assert self.process.returncode is not None
        return self.process.returncode


@asynccontextmanager
async def app_process(
    args: list[str], *, env: dict[str, str], cwd: Path, log: Path, port: int
) -> AsyncIterator[AppProcess]:
    """`python <args>` (e.g. ["-m", "bot"]) with its output in `log`; killed if still running."""
    with log.open("ab") as out:
        started = time.perf_counter()
        process = await asyncio.create_subprocess_exec(
            sys.executable, *args, cwd=cwd, env=env, stdout=out, stderr=asyncio.subprocess.STDOUT
        )
    running = AppProcess(process=process, port=port, log=log, started=started)
    try:
        yield running
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
