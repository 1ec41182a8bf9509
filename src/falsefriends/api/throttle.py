"""Login throttling: exponential back-off and a lockout, per account and per client address.

Each failed login is counted against the account's name and against the client's address, within a sliding
window (`login_lock_minutes`, 15 min). The first `FREE_FAILURES` failures cost nothing; after that the next
attempt must wait 1 s, 2 s, 4 s... (at most `MAX_DELAY_S`) after the previous one. At `login_max_failures`
(10) failures in the window the account is locked for `login_lock_minutes`; an address is locked at
`CLIENT_FACTOR` (2) times that (it may be a shared NAT or a proxy). A refused attempt gets 429 with `Retry-After`
and its password is not checked at all. A successful login clears the account's count.

An attempt is counted when it is admitted, before its password is checked, so that parallel guesses cannot all
slip through before the first failure is recorded. The state is in memory, per worker process; the clock is
injected so that tests move time instead of sleeping.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

FREE_FAILURES = 3
MAX_DELAY_S = 60.0
CLIENT_FACTOR = 2
MAX_KEYS = 100_000


@dataclass
class _Record:
    failures: deque[float] = field(default_factory=deque)
    pending: int = 0
    last: float = -math.inf
    locked_until: float = -math.inf


@dataclass(frozen=True)
class Decision:
    """Whether a login attempt may go ahead; when not, how long to wait and whether it is a lock."""

    allowed: bool
    retry_after: float = 0.0
    locked: bool = False


class LoginThrottle:
    def __init__(self, max_failures: int = 10, window_s: float = 15 * 60, lock_s: float = 15 * 60,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.max_failures = max_failures
        self.window_s = window_s
        self.lock_s = lock_s
        self.clock = clock
        self._records: dict[str, _Record] = {}
        self._lock = threading.Lock()

    @staticmethod
    def account_key(name: str) -> str:
        return "user:" + name.casefold()

    @staticmethod
    def client_key(address: str) -> str:
        return "addr:" + address

    def _limit(self, key: str) -> int:
        return self.max_failures * (CLIENT_FACTOR if key.startswith("addr:") else 1)

    def _record(self, key: str, now: float) -> _Record:
        record = self._records.get(key)
        if record is None:
            if len(self._records) >= MAX_KEYS:
                self._sweep(now)
            record = self._records[key] = _Record()
        while record.failures and record.failures[0] <= now - self.window_s:
            record.failures.popleft()
        return record

    def _sweep(self, now: float) -> None:
        quiet = now - self.window_s
        stale = [k for k, r in self._records.items()
                 if r.pending == 0 and r.locked_until <= now and (not r.failures or r.failures[-1] <= quiet)]
        for key in stale:
            del self._records[key]
        if len(self._records) >= MAX_KEYS:  # still full: forget the quietest half rather than grow without bound
            for key in sorted(self._records, key=lambda k: self._records[k].last)[:MAX_KEYS // 2]:
                del self._records[key]

    def _delay(self, count: int) -> float:
        if count < FREE_FAILURES:
            return 0.0
        return float(min(2.0 ** (count - FREE_FAILURES), MAX_DELAY_S))

    def _check(self, key: str, now: float) -> Decision:
        record = self._record(key, now)
        if record.locked_until > now:
            return Decision(False, record.locked_until - now, locked=True)
        wait = record.last + self._delay(len(record.failures) + record.pending) - now
        if wait > 0:
            return Decision(False, wait)
        return Decision(True)

    def admit(self, name: str, address: str) -> Decision:
        """May this attempt check a password? When allowed, it is counted until `failed` or `succeeded`."""
        keys = (self.account_key(name), self.client_key(address))
        with self._lock:
            now = self.clock()
            decisions = [self._check(key, now) for key in keys]
            refused = [d for d in decisions if not d.allowed]
            if refused:
                longest = max(refused, key=lambda d: d.retry_after)
                return Decision(False, longest.retry_after, any(d.locked for d in refused))
            for key in keys:
                record = self._records[key]
                record.pending += 1
                record.last = now
            return Decision(True)

    def failed(self, name: str, address: str) -> list[str]:
        """Record the admitted attempt as a failure; returns the keys ("user:...", "addr:...") it just locked."""
        locked = []
        with self._lock:
            now = self.clock()
            for key in (self.account_key(name), self.client_key(address)):
                record = self._record(key, now)
                record.pending = max(record.pending - 1, 0)
                record.failures.append(now)
                if len(record.failures) >= self._limit(key):
                    record.locked_until = now + self.lock_s
                    record.failures.clear()
                    locked.append(key)
        return locked

    def succeeded(self, name: str, address: str) -> None:
        """The admitted attempt logged in: the account starts afresh; the address keeps its failures."""
        with self._lock:
            now = self.clock()
            account = self._record(self.account_key(name), now)
            self._records[self.account_key(name)] = _Record(last=account.last)
            client = self._record(self.client_key(address), now)
            client.pending = max(client.pending - 1, 0)


def retry_after_header(seconds: float) -> str:
    return str(max(1, math.ceil(seconds)))
