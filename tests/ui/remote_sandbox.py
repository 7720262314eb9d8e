"""The sandbox company in a process of its own (`intacct-wizard sandbox --json`), for
measurements where the simulated Intacct must not share the wizard's interpreter: a real
Intacct is another machine, so its work must not count against the wizard's GUI thread."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from types import TracebackType


@dataclass(frozen=True)
class RemoteCredentials:
    sender_id: str
    sender_password: str
    company_id: str
    user_id: str
    user_password: str
    entities: tuple[str, ...]


class RemoteSandbox:
    """Looks like `wizard.sandbox.Sandbox` to the wizard (endpoint, credentials, scenarios)."""

    def __init__(self, records: int) -> None:
        self._process = subprocess.Popen(
            [sys.executable, "-m", "wizard", "sandbox", "--json", "--records", str(records)],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert self._process.stdout is not None
        line = self._process.stdout.readline()
        if not line:
            self.stop()
            raise RuntimeError("the sandbox process did not start")
        info = json.loads(line)
        self.endpoint: str = info["endpoint"]
        self.credentials = RemoteCredentials(
            info["sender_id"],
            info["sender_password"],
            info["company_id"],
            info["user_id"],
            info["user_password"],
            tuple(info["entities"]),
        )
        self.scenarios: frozenset[str] = frozenset()

    def stop(self) -> None:
        if self._process.poll() is None:
            self._process.terminate()
            self._process.wait(timeout=10)

    def __enter__(self) -> RemoteSandbox:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
