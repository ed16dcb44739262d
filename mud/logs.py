"""Operator logs: one line per event on stderr, as ``key=value`` pairs (logfmt).

Every line reads ``<UTC time> level=<level> logger=<name> event=<what> key=value ...``
(or ``msg="..."`` for a plain log message), so ``grep``, ``journalctl`` and fail2ban can
match it. Values with spaces, quotes, ``=`` or control characters are double-quoted
with backslash escapes; a line never contains a raw newline, whatever a client typed.

``configure_logging`` is the one place the process's logging is set up (``mud.cli``
calls it at start and again on SIGHUP). ``log_event`` is what the rest of the code calls
for an operator event: ``log_event(log, "login_failed", name=name, addr=peer)``. Fields
whose name looks like a secret (``password``, ``api_key``, ...) are always redacted.

Events written today: ``connect``, ``connect_refused``, ``login``, ``login_failed``,
``login_throttled``, ``account_created``, ``takeover``, ``kick``, ``reload``,
``reload_done``, ``config_reload``, ``shutdown``, ``crash``, ``login_refused``,
``admin_action`` (hub and app); ``admin_action``, ``backup``, ``restore`` (``mud.admin``);
``retention_pruned``, ``retention_failed`` (``mud.retention``); ``health_failed``
(``mud.metrics``);
``dm_failover``, ``breaker_open``, ``breaker_close``, ``budget_warning``, ``budget_cap``
(the DM).
"""

from __future__ import annotations

import asyncio
import logging
import re
import sys
import time
from typing import Any, TextIO

# Libraries that talk a lot at INFO (asyncssh logs ~25 lines per login) or log
# parameters at DEBUG (aiosqlite): held at ``libraries`` level, WARNING by default.
LIBRARIES = (
    "asyncssh",
    "telnetlib3",
    "aiosqlite",
    "websockets",
    "openai",
    "httpx",
    "httpcore",
    # The names the openai SDK's HTTP client logs under in its newer releases (one line
    # at INFO for every request, each breaker probe included).
    "httpx2",
    "httpcore2",
    "asyncio",
)
_HASH = re.compile(r"scrypt\$[^\s'\",)\]]*")
_SECRET_FIELD = re.compile(r"(passw(or)?d|secret|api_?key|token_value|pw_hash)", re.IGNORECASE)
_BARE = re.compile(r"^[A-Za-z0-9_.:/@+\-,\[\]]+$")
_HANDLER_NAME = "mud-stderr"


def quote(value: object) -> str:
    """A logfmt value: bare if safe, else double-quoted with escapes (one line always)."""
    text = "" if value is None else str(value)
    if text and _BARE.match(text):
        return text
    escaped = (
        text.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\r", "\\r")
        .replace("\t", "\\t")
    )
    escaped = "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in escaped)
    return f'"{escaped}"'


class LogfmtFormatter(logging.Formatter):
    """Formats records as one logfmt line (see the module docstring)."""

    def format(self, record: logging.LogRecord) -> str:
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
        parts = [
            f"{stamp}.{int(record.msecs):03d}Z",
            f"level={record.levelname.lower()}",
            f"logger={quote(record.name)}",
        ]
        event = getattr(record, "mud_event", None)
        if event is not None:
            parts.append(f"event={quote(event)}")
            fields: dict[str, Any] = getattr(record, "mud_fields", {})
            parts.extend(f"{key}={quote(value)}" for key, value in fields.items())
        else:
            parts.append(f"msg={quote(record.getMessage())}")
        if record.exc_info:
            parts.append(f"exc={quote(self.formatException(record.exc_info))}")
        return " ".join(parts)


def log_event(
    logger: logging.Logger, event: str, *, level: int = logging.INFO, **fields: Any
) -> None:
    """Write one operator event. Called anywhere in the server; never raises for a field
    value (everything is rendered with ``str``); secret-looking fields are redacted."""
    if not logger.isEnabledFor(level):
        return
    safe = {k: ("<redacted>" if _SECRET_FIELD.search(k) else v) for k, v in fields.items()}
    logger.log(level, event, extra={"mud_event": event, "mud_fields": safe})


def watch_task(logger: logging.Logger, task: asyncio.Task[Any]) -> None:
    """Log ``task`` if it ever ends by itself: a loop meant to run until it is cancelled
    (a bus link's sender, its heartbeat) that dies of an unexpected exception otherwise
    dies silently, its owner holding a finished task, and everything it carried stops
    with no trace in any log. Called by the owner right after creating the task."""

    def ended(done: asyncio.Task[Any]) -> None:
        if done.cancelled():
            return
        exc = done.exception()
        log_event(
            logger,
            "task_died",
            level=logging.ERROR,
            task=done.get_name(),
            error=repr(exc) if exc is not None else "returned",
        )
        if exc is not None:
            logger.error("task %s died", done.get_name(), exc_info=exc)

    task.add_done_callback(ended)


class _RedactHashes(logging.Filter):
    """Replaces anything shaped like a stored password hash in a record's message, so no
    level and no logger can write one (a last guard behind the quiet library loggers: at
    DEBUG the SQLite driver logs every statement's parameters)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "scrypt$" in message:
            record.msg, record.args = _HASH.sub("scrypt$<redacted>", message), None
        return True


def configure_logging(
    level: str = "INFO",
    *,
    libraries: str = "WARNING",
    chat: bool = False,
    stream: TextIO | None = None,
) -> None:
    """Set up the process's logging: one logfmt handler on stderr at ``level`` (a level
    name), library loggers at ``libraries``, chat lines (logger ``mud.chat``, DEBUG) only
    when ``chat``; password hashes are redacted whatever the levels. Safe to call again
    (SIGHUP): the handler is replaced, not duplicated. Unknown level names mean INFO."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if handler.get_name() == _HANDLER_NAME:
            root.removeHandler(handler)
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.set_name(_HANDLER_NAME)
    handler.setFormatter(LogfmtFormatter())
    handler.addFilter(_RedactHashes())
    root.addHandler(handler)
    root.setLevel(_level(level))
    for name in LIBRARIES:
        logging.getLogger(name).setLevel(_level(libraries))
    logging.getLogger("mud.chat").setLevel(logging.DEBUG if chat else logging.WARNING)


def _level(name: str) -> int:
    value = logging.getLevelName(str(name).upper())
    return value if isinstance(value, int) else logging.INFO
