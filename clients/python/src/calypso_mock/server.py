"""Starting calypso-mock as a child process and reading the URL it listens on."""

from __future__ import annotations

import collections
import os
import re
import shutil
import signal
import subprocess
import threading
from typing import Callable, Deque, List, Optional, Sequence

#: The start-up line, in JSON or pretty logs: "calypso-mock listening on http://127.0.0.1:41234 (API ...".
_LISTENING = re.compile(r"calypso-mock listening on (http://[^\s\"()]+)")

#: A free port, an in-memory database, logs we can read, and Calypso's retry schedule times 0.001
#: (the first retry after 30 ms), as the JS library's startCalypsoMock has it.
SERVER_ARGS = ["--port", "0", "--host", "127.0.0.1", "--db", ":memory:", "--log-format", "json",
               "--log-level", "info", "--webhook-retry-scale", "0.001"]

#: `npx --yes calypso-mock` may download the package first.
START_TIMEOUT_S = 120.0


def server_command(which: Callable[[str], Optional[str]] = shutil.which) -> List[str]:
    """`calypso-mock` when it is on PATH, else `npx --yes calypso-mock`."""
    found = which("calypso-mock")
    if found is not None:
        return [found]
    npx = which("npx")
    if npx is not None:
        return [npx, "--yes", "calypso-mock"]
    raise RuntimeError("calypso-mock: neither calypso-mock nor npx is on PATH; install Node.js 20.19+ or set CALYPSO_MOCK_URL to a running server")


class ServerProcess:
    """A server of our own: started in a process group of its own, stopped with it."""

    def __init__(self, command: Optional[Sequence[str]] = None, timeout: float = START_TIMEOUT_S) -> None:
        args = [*(command or server_command()), *SERVER_ARGS]
        self.output: Deque[str] = collections.deque(maxlen=200)
        self._listening = threading.Event()
        self.url = ""
        self._process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                         text=True, errors="replace", start_new_session=os.name == "posix")
        # The server logs every request: read its output to the end, or a full pipe would stall it.
        self._reader = threading.Thread(target=self._read, name="calypso-mock-output", daemon=True)
        self._reader.start()
        if not self._listening.wait(timeout) or not self.url:
            self.stop()
            tail = "".join(self.output) or "(no output)"
            raise RuntimeError(f"calypso-mock did not start within {timeout:g} s ({' '.join(args)}):\n{tail}")

    def _read(self) -> None:
        assert self._process.stdout is not None
        for line in self._process.stdout:
            self.output.append(line)
            found = None if self.url else _LISTENING.search(line)
            if found is not None:
                self.url = found.group(1)
                self._listening.set()
        self._listening.set()  # exited before listening: stop waiting

    def stop(self) -> None:
        if self._process.poll() is None:
            self._signal(signal.SIGTERM)
            try:
                self._process.wait(10)
            except subprocess.TimeoutExpired:
                self._signal(signal.SIGKILL if os.name == "posix" else signal.SIGTERM)
                self._process.wait(10)
        self._reader.join(5)
        if self._process.stdout is not None:
            self._process.stdout.close()

    def _signal(self, sig: int) -> None:
        try:
            if os.name == "posix":
                os.killpg(self._process.pid, sig)  # npx and the node process it started
            else:
                self._process.terminate()
        except ProcessLookupError:
            pass
