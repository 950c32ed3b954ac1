"""Real servers on loopback for the tests: a ``chroma run`` and a ``planqa serve``.

Both are started as the user would start them (the commands the packages install), wait until they
answer, and are stopped at the end; a server that does not come up fails the test with its log.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from planqa.eval.bench import free_port
from planqa.eval.load import serving, wait_until_up

CHROMA = shutil.which("chroma") or str(Path(sys.executable).parent / "chroma")


def wait_for(url: str, proc: subprocess.Popen[bytes], log: Path, seconds: float) -> None:
    try:
        wait_until_up(url, proc, seconds)
    except RuntimeError as err:
        pytest.fail(f"{err}: " + log.read_text("utf-8", "replace")[-2000:])


@dataclass
class ChromaServer:
    """``chroma run --path`` on a fixed port, so that it can be stopped and started again at the same URL."""

    folder: Path
    port: int
    proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        if not Path(CHROMA).exists():
            pytest.fail("the chromadb package installs a `chroma` command; it is missing")
        log = self.folder / "server.log"
        with open(log, "ab") as out:
            self.proc = subprocess.Popen(
                [CHROMA, "run", "--path", str(self.folder / "db"), "--host", "127.0.0.1", "--port", str(self.port)],
                stdout=out,
                stderr=out,
            )
        wait_for(f"{self.url}/api/v2/heartbeat", self.proc, log, 60)

    def kill(self) -> None:
        """Gone at once, as in a crash or a pulled cable: no graceful shutdown."""
        if self.proc is not None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=30)
            self.proc = None

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(timeout=30)
            self.proc = None


@contextmanager
def chroma_server(folder: Path) -> Iterator[ChromaServer]:
    server = ChromaServer(folder, free_port())
    server.start()
    try:
        yield server
    finally:
        server.stop()


@contextmanager
def planqa_serve(data: Path, **env: str) -> Iterator[str]:
    """``planqa serve`` over ``data`` (its first start ingests the bundled notices); yields its URL."""
    data.mkdir(parents=True, exist_ok=True)
    log = data.parent / f"serve-{data.name}.log"
    with ExitStack() as stack:
        try:
            url, _ = stack.enter_context(serving(data, env, log=log))
        except RuntimeError as err:
            pytest.fail(f"{err}: " + log.read_text("utf-8", "replace")[-2000:])
        yield url


def planqa(data: Path, *args: str, timeout: float = 300, **env: str) -> subprocess.CompletedProcess[str]:
    """One planqa command in its own process, as a user runs it."""
    return subprocess.run(
        [sys.executable, "-m", "planqa.cli", *args],
        env={**os.environ, "PLANQA_DATA_DIR": str(data), **env},
        capture_output=True,
        text=True,
        timeout=timeout,
    )
