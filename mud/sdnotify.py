"""systemd's notify protocol (``sd_notify``) over its Unix datagram socket.

``mud.app`` builds a ``Notifier`` from the environment systemd sets (``NOTIFY_SOCKET``,
and ``WATCHDOG_USEC`` when the unit has ``WatchdogSec=``), says ``READY=1`` once the
doors listen and ``STOPPING=1`` on shutdown, and hands ``ping`` to the hub, which calls
it from every tick it handles: a game actor that stops turning stops pinging, and
systemd restarts the service. Without ``NOTIFY_SOCKET`` nothing is sent.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Callable, Mapping

log = logging.getLogger("mud.sdnotify")


class Notifier:
    """Sends notify messages to one socket address; never raises (a lost datagram is
    logged once at debug level, since the game must not fail because systemd went)."""

    def __init__(self, address: str, watchdog_usec: int | None, clock: Callable[[], float]) -> None:
        # An address starting with '@' is in the abstract namespace.
        self._address = "\0" + address[1:] if address.startswith("@") else address
        self._clock = clock
        self.watchdog_interval = watchdog_usec / 1_000_000 if watchdog_usec else None
        self._last_ping: float | None = None
        self._sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC)
        self._sock.setblocking(False)

    @classmethod
    def from_env(cls, environ: Mapping[str, str], clock: Callable[[], float]) -> Notifier | None:
        """A Notifier when ``NOTIFY_SOCKET`` is set, else None. The watchdog is used only
        if ``WATCHDOG_USEC`` is set and ``WATCHDOG_PID`` (if set) is this process."""
        address = environ.get("NOTIFY_SOCKET", "")
        if not address:
            return None
        usec: int | None = None
        pid = environ.get("WATCHDOG_PID")
        if environ.get("WATCHDOG_USEC") and (not pid or pid == str(os.getpid())):
            try:
                usec = int(environ["WATCHDOG_USEC"])
            except ValueError:
                log.warning(
                    "WATCHDOG_USEC=%r is not a number; no watchdog", environ["WATCHDOG_USEC"]
                )
        return cls(address, usec if usec and usec > 0 else None, clock)

    def notify(self, message: str) -> bool:
        """Send one message ('READY=1', 'STOPPING=1', 'WATCHDOG=1'). True if sent."""
        try:
            self._sock.sendto(message.encode("utf-8"), self._address)
        except OSError as exc:
            log.debug("sd_notify %s failed: %s", message, exc)
            return False
        return True

    def ping(self) -> None:
        """Tell the watchdog we are alive, at most three times per watchdog interval."""
        if self.watchdog_interval is None:
            return
        now = self._clock()
        if self._last_ping is not None and now - self._last_ping < self.watchdog_interval / 3:
            return
        if self.notify("WATCHDOG=1"):
            self._last_ping = now

    def close(self) -> None:
        self._sock.close()
