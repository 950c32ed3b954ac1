"""The login check for ``planqa serve --auth``: constant-time comparison, and a client slowed down
after a few failures, so a password cannot be guessed at the speed of the network."""

from __future__ import annotations

import asyncio
import hmac
import logging
import threading
import time
from collections import deque
from collections.abc import Awaitable, Callable, Sequence

log = logging.getLogger("planqa.login")
FREE_FAILURES = 3  # a typo or two costs nothing
FIRST_DELAY = 1.0  # seconds before the next attempt is answered, doubling with each failure after that
MAX_DELAY = 30.0  # the cap: thirty wrong passwords then take about ten minutes, not half a second
# Failures under all user names together, within a window, count too (guessing over many names).
ALL_USERS_FREE, WINDOW = 20, 600.0


class Login:
    """Gradio's ``auth`` as an async check: the delay is awaited, so other visitors are not blocked."""

    def __init__(
        self,
        pairs: Sequence[tuple[str, str]],
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.pairs, self.sleep, self.clock = list(pairs), sleep, clock
        self.failures: dict[str, int] = {}  # user name → failures in a row
        self.recent: deque[float] = deque()  # times of failures under any name, within WINDOW
        self._lock = threading.Lock()

    def delay(self, username: str) -> float:
        """How long the next attempt for ``username`` waits before it is answered."""
        with self._lock:
            while self.recent and self.recent[0] < self.clock() - WINDOW:
                self.recent.popleft()
            worst = max(self.failures.get(username, 0) - FREE_FAILURES, len(self.recent) - ALL_USERS_FREE)
        return 0.0 if worst < 0 else min(MAX_DELAY, FIRST_DELAY * 2**worst)

    async def check(self, username: str, password: str) -> bool:
        wait = self.delay(username)
        if wait:
            await self.sleep(wait)
        ok = False
        for user, secret in self.pairs:  # every pair compared, in constant time: no timing tells which
            ok |= hmac.compare_digest(username.encode(), user.encode()) & hmac.compare_digest(
                password.encode(), secret.encode()
            )
        with self._lock:
            if ok:
                self.failures.pop(username, None)
                return True
            count = self.failures[username] = self.failures.get(username, 0) + 1
            self.recent.append(self.clock())
        log.warning("login failed for %r (%d in a row; answered after %.0f s)", username, count, wait)
        return False
