"""The SSH door. The only module that imports asyncssh.

``ssh -p 2222 play@host`` needs no SSH authentication and lands at the in-game login,
exactly like telnet. Any other user name is an account: a registered public key logs
straight in, otherwise the account password is asked by SSH itself. Decisions about
accounts are not made here: an ``Authenticator`` (supplied by ``mud.app``) answers them.

Refused: exec requests, subsystems (sftp, scp), port forwarding, agent and X11
forwarding, and a second session on one connection. Terminal type and size come from
the PTY request; window changes re-wrap output. Without a PTY (``ssh -T``) the game
runs in plain text with input split into lines here.

Host keys: an ed25519 key is created in the host key directory on first start (mode
0600, created exclusively so it is never overwritten) and reused afterwards. A key
that cannot be read or parsed stops startup with ``HostKeyError``.
"""

from __future__ import annotations

import asyncio
import codecs
import contextlib
import logging
import os
import tempfile
import warnings
from pathlib import Path
from typing import Any, Protocol

from attrs import evolve, frozen

from mud.core.events import Connected, Disconnected, LineIn, Resized
from mud.core.markup import styled
from mud.core.outputs import Doc
from mud.core.ports import EventSink
from mud.logs import log_event
from mud.net.admission import EVICTED, PLAYING, SILENT, SPOKEN, Admission, ByteBudget, Ticket
from mud.net.lineedit import LineEditor
from mud.net.sendq import SendQueue
from mud.net.session import (
    ConnIds,
    InputQueue,
    LineSplitter,
    Session,
    SlowInput,
    finish_tasks,
    post_input,
    reset_abort,
)
from mud.net.terminal import clamp_size, term_info

with warnings.catch_warnings():
    # asyncssh 2.24 under cryptography 51 warns "DSA is deprecated" at import: five
    # warnings with their source lines at the top of every server's start, of a key
    # type this server never makes (its host key is Ed25519). Only that warning.
    warnings.filterwarnings("ignore", message="DSA is deprecated")
    import asyncssh

log = logging.getLogger(__name__)

GUEST_USERS = frozenset({"play", "guest", "new"})
HOST_KEY_NAME = "ssh_host_ed25519_key"


class HostKeyError(RuntimeError):
    """The host key exists but cannot be used, or cannot be created."""


class Authenticator(Protocol):
    """Account checks for SSH logins, provided by ``mud.app``.

    Both return False for unknown accounts; ``check_password`` applies the per-IP
    throttle before hashing and never logs the password.
    """

    async def check_password(self, name: str, password: str, peer: str) -> bool: ...

    async def check_key(self, name: str, fingerprint: str) -> bool: ...


@frozen
class SshSettings:
    """Knobs for the SSH door (from the server configuration's ``ssh`` section).

    Deadlines of a connection that is not playing yet: ``login_timeout`` to finish SSH
    authentication, from the TCP accept (asyncssh's own timer: a person typing an
    account password at the client's prompt); ``session_timeout`` to open the game
    session once authenticated (a client does that at once; a connection that opens
    nothing is cut off); ``session_deadline`` to open it at all, from the accept (the
    hub's login deadline); ``login_line_deadline`` for a line typed before login, from
    its first byte (``SlowInput``); ``stall_deadline`` for a client with more than
    ``stall_backlog`` bytes of output not taken to take some (``Session``).
    """

    host: str = "0.0.0.0"
    port: int = 2222
    host_keys: str = "host_keys"
    max_buffer: int = 16 * 1024
    max_outbox: int = 256 * 1024
    post_deadline: float = 10.0
    login_timeout: float = 30.0
    session_timeout: float = 10.0
    session_deadline: float = 120.0
    login_line_deadline: float = 20.0
    input_rate: float = 32 * 1024.0
    input_burst: int = 128 * 1024
    inbox_high: int = 32
    inbox_low: int = 8
    backlog: int = 4096
    stall_backlog: int = 64 * 1024
    stall_deadline: float = 5.0


@frozen
class PublicKeyInfo:
    fingerprint: str
    text: str
    comment: str


def parse_public_key(text: str) -> PublicKeyInfo:
    """Parse an OpenSSH public key line. Raises ValueError with a readable message."""
    try:
        key = asyncssh.import_public_key(text.strip())
    except (asyncssh.KeyImportError, ValueError, TypeError) as exc:
        raise ValueError(f"not an OpenSSH public key ({exc})") from exc
    exported = key.export_public_key("openssh").decode("ascii").strip()
    parts = exported.split()
    comment = " ".join(text.strip().split()[2:])[:60]
    return PublicKeyInfo(
        fingerprint=key.get_fingerprint("sha256"),
        text=" ".join(parts[:2]),
        comment=comment,
    )


def load_or_create_host_key(directory: str | Path) -> tuple[Any, str]:
    """The server's host key and its SHA256 fingerprint. Raises HostKeyError."""
    folder = Path(directory)
    path = folder / HOST_KEY_NAME
    if not path.exists():
        try:
            folder.mkdir(parents=True, exist_ok=True)
            key = asyncssh.generate_private_key("ssh-ed25519")
            data = key.export_private_key("openssh")
            # Written whole under a private name, then linked into place: a second
            # process starting at the same moment (two gateways sharing one folder)
            # never reads a half-written key, and exactly one key wins.
            fd, name = tempfile.mkstemp(prefix=f".{HOST_KEY_NAME}.", dir=folder)
            scratch = Path(name)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            try:
                os.link(scratch, path)
                (folder / (HOST_KEY_NAME + ".pub")).write_bytes(key.export_public_key("openssh"))
            finally:
                scratch.unlink(missing_ok=True)
        except FileExistsError:
            pass  # another process created it first: use theirs
        except OSError as exc:
            raise HostKeyError(f"cannot create SSH host key {path}: {exc.strerror}") from exc
    try:
        key = asyncssh.read_private_key(str(path))
    except OSError as exc:
        raise HostKeyError(f"cannot read SSH host key {path}: {exc.strerror}") from exc
    except (asyncssh.KeyImportError, ValueError) as exc:
        raise HostKeyError(
            f"SSH host key {path} is corrupt or not a private key ({exc}); "
            "move it away to generate a new one"
        ) from exc
    return key, key.get_fingerprint("sha256")


class SshLink:
    """A ``Link`` over an asyncssh channel opened for bytes: what the session rendered and
    encoded is written as it is. With a PTY the door edits the line itself (``editor``):
    output that arrives while a line is being typed starts on a fresh line and the
    unfinished line is drawn again after it."""

    def __init__(self, chan: Any, editor: LineEditor | None = None) -> None:
        self._chan = chan
        self._editor = editor
        self._resume = asyncio.Event()
        self._resume.set()

    def escape(self, data: bytes) -> bytes:
        return data

    def write(self, data: bytes) -> None:
        if self._chan.is_closing():
            return
        editor = self._editor
        typed = editor.shown() if editor is not None else ""
        if typed:
            if not data.startswith(b"\r\n"):
                data = b"\r\n" + data
            data += typed.encode("utf-8", "replace")
        self._chan.write(data)

    def echo(self, text: str) -> None:
        """Write the line editor's echo (typed text, erasures, line ends)."""
        if text and not self._chan.is_closing():
            self._chan.write(text.encode("utf-8", "replace"))

    def buffered(self) -> int:
        return int(self._chan.get_write_buffer_size())

    async def drain(self) -> None:
        await self._resume.wait()

    def pause(self) -> None:
        self._resume.clear()

    def resume(self) -> None:
        self._resume.set()

    def set_echo(self, echo: bool) -> None:
        # Without a PTY the client echoes locally and cannot be told otherwise.
        if self._editor is not None:
            self._editor.echo = echo

    def prompt_suffix(self) -> bytes:
        return b""

    def data(self, package: str, payload: object) -> bytes:
        return b""  # SSH has no out-of-band channel for MUD client data

    def close(self) -> None:
        self._resume.set()
        with contextlib.suppress(Exception):
            self._chan.exit(0)

    def abort(self) -> None:
        self._resume.set()
        with contextlib.suppress(Exception):
            reset_abort(self._chan.get_extra_info("connection"))


def _both_resized(old: LineIn | Resized, new: LineIn | Resized) -> bool:
    # Window sizes are not input: a resize still waiting is replaced by the newer one.
    return isinstance(old, Resized) and isinstance(new, Resized)


class _GameSession(asyncssh.SSHServerSession[bytes]):
    """One SSH shell channel: the game. Everything else a client asks for is refused.

    The channel carries bytes (opened with ``encoding=None``): input is decoded once
    (UTF-8, a bad byte becomes U+FFFD) and split into lines by ``LineSplitter`` like
    telnet's, or, with a PTY, edited by ``LineEditor``; output is written as the session
    encoded it.
    """

    def __init__(self, door: SshDoor, server: _Server) -> None:
        self._door = door
        self._server = server
        self._chan: Any = None
        self._link: SshLink | None = None
        self._session: Session | None = None
        self._term = term_info("dumb")
        self._pty = False
        settings = door.settings
        # Input flow control: events wait here for the hub; above ``inbox_high`` the
        # channel stops reading (SSH's window then holds the client back) and reading
        # resumes at ``inbox_low``. Nothing is dropped and nobody is cut off for it:
        # flooding is the hub's decision.
        self._input: InputQueue[LineIn | Resized] = InputQueue(
            settings.inbox_high,
            min(settings.inbox_low, settings.inbox_high - 1),
            self._pause,
            self._resume,
            coalesce=_both_resized,
        )
        self._decoder = codecs.getincrementaldecoder("utf-8")("replace")
        self._splitter = LineSplitter(settings.max_buffer)
        self._editor: LineEditor | None = None
        self._budget: ByteBudget | None = None
        self._slow = SlowInput(settings.login_line_deadline, self._too_slow)
        self._task: asyncio.Task[None] | None = None
        self.conn = 0

    def connection_made(self, chan: Any) -> None:
        self._chan = chan
        settings = self._door.settings
        loop = asyncio.get_running_loop()
        self._budget = ByteBudget(settings.input_rate, settings.input_burst, loop.time())

    def pty_requested(
        self, term_type: str, term_size: tuple[int, int, int, int], term_modes: Any
    ) -> bool:
        width, height = clamp_size(term_size[0] or 80, term_size[1] or 24)
        self._term = evolve(
            term_info(term_type, width=width, height=height), width_known=bool(term_size[0])
        )
        self._pty = True
        return True

    def shell_requested(self) -> bool:
        return True

    def exec_requested(self, command: str) -> bool:
        log.info("ssh: refused exec request")
        return False

    def subsystem_requested(self, subsystem: str) -> bool:
        log.info("ssh: refused subsystem %r", subsystem[:20])
        return False

    def session_started(self) -> None:
        door = self._door
        self.conn = conn = door.ids.allocate()
        if self._pty:
            self._editor = LineEditor(door.settings.max_buffer)
        self._link = SshLink(self._chan, self._editor)
        term = self._term if self._pty else evolve(term_info("dumb"), width=80)
        self._session = Session(
            conn,
            self._link,
            term,
            max_outbox=door.settings.max_outbox,
            stall_backlog=door.settings.stall_backlog,
            stall_deadline=door.settings.stall_deadline,
            sendq=SendQueue.of(self._chan.get_extra_info("socket")),
        )
        self._session.start()
        self._slow.attach(self._session)
        self._task = asyncio.get_running_loop().create_task(self._pump(conn), name=f"ssh-{conn}")
        door.track(self._task)
        self._server.session_opened(self._session)

    async def _pump(self, conn: int) -> None:
        assert self._session is not None
        session = self._session
        door = self._door
        reason = "closed"
        try:
            door.sink.attach(session)
            await door.post(
                Connected(
                    conn=conn,
                    door="ssh",
                    peer=self._server.peer,
                    term=session.term,
                    preauth=self._server.account,
                )
            )
            while not session.closing:
                event = await self._input.next()
                if event is None:
                    reason = "eof"
                    break
                if isinstance(event, Resized):
                    # Resizes were coalesced: only the latest size is worth a re-wrap.
                    term = evolve(session.term, width=event.term.width, height=event.term.height)
                    session.update_term(evolve(term, width_known=True))
                    event = Resized(conn=conn, term=session.term)
                else:
                    session.note_input()
                # Waits as long as the hub needs: meanwhile the queue fills and pauses
                # the channel.
                await post_input(door.sink, event, session, door.settings.post_deadline)
        except (ConnectionError, OSError, TimeoutError) as exc:
            reason = f"error: {exc.__class__.__name__}"
        finally:
            self._slow.stop()
            self._input.discard()
            if reason != "eof":
                session.close()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(
                    asyncio.shield(door.sink.post(Disconnected(conn=conn, reason=reason))), 5.0
                )
            # After EOF (``printf ... | ssh -T``) the channel stays half open: the hub
            # answers every line sent before it, then closes the session itself.
            await session.wait_closing(door.settings.post_deadline)
            session.close()
            await session.stop()
            if self._link is not None:
                self._link.close()

    def _pause(self) -> None:
        with contextlib.suppress(Exception):
            self._chan.pause_reading()

    def _resume(self) -> None:
        with contextlib.suppress(Exception):
            self._chan.resume_reading()

    def _end(self) -> None:
        self._slow.stop()
        self._input.end()

    def _too_slow(self) -> None:
        self._cut_off("slow_line")

    def _cut_off(self, reason: str) -> None:
        """Drop what waits, end the input and abort the connection, logging ``reason``."""
        log_event(
            log,
            "conn_cut_off",
            level=logging.WARNING,
            door="ssh",
            addr=self._server.peer,
            reason=reason,
        )
        self._input.clear()
        self._end()
        reset_abort(self._chan.get_extra_info("connection"))

    def data_received(self, data: bytes, datatype: Any) -> None:
        if self._session is None or self._input.ended:
            return
        now = asyncio.get_running_loop().time()
        budget = self._budget
        if budget is not None and not budget.spend(len(data), now):
            self._cut_off("input_budget")
            return
        text = self._decoder.decode(data)
        editor = self._editor
        try:
            if editor is not None:
                edited = editor.feed(text)
                if self._link is not None:
                    self._link.echo(edited.echo)
                lines: list[str] | tuple[str, ...] = edited.lines
                ended = edited.ended
                unfinished = bool(editor.line)
            else:
                lines = self._splitter.feed(text)
                ended = False
                unfinished = self._splitter.pending
        except OverflowError as exc:
            log.info("ssh: %s: %s; dropping", self._server.peer, exc)
            self._end()
            return
        for line in lines:
            self._input.put(LineIn(conn=self.conn, text=line))
        self._slow.mark("line", unfinished, now)
        if ended:
            self._end()

    def terminal_size_changed(self, width: int, height: int, pixwidth: int, pixheight: int) -> None:
        if self._session is None:
            return
        width, height = clamp_size(width or 80, height or 24)
        term = evolve(self._session.term, width=width, height=height)
        self._input.put(Resized(conn=self.conn, term=term))

    def pause_writing(self) -> None:
        if self._link is not None:
            self._link.pause()

    def resume_writing(self) -> None:
        if self._link is not None:
            self._link.resume()

    def eof_received(self) -> bool:
        # True keeps the channel half open, so the answers to input that arrived just
        # before EOF (a script piped into ``ssh -T``) still reach the client.
        self._end()
        return True

    def connection_lost(self, exc: Exception | None) -> None:
        self._end()


class _Server(asyncssh.SSHServer):
    """Per-connection SSH policy: who needs which authentication, one session only."""

    def __init__(self, door: SshDoor) -> None:
        self._door = door
        self.peer = "?"
        self.account: str | None = None
        self._username = ""
        self._sessions = 0
        self._ticket: Ticket | None = None
        self._deadline: asyncio.TimerHandle | None = None
        self._opened = False
        self._conn: Any = None
        # The game session, once opened: whether it plays decides whether admission
        # may make room from this connection.
        self._session: Session | None = None

    def connection_made(self, conn: Any) -> None:
        peer = conn.get_extra_info("peername") or ("?", 0)
        self.peer = str(peer[0])
        loop = asyncio.get_running_loop()
        admission = self._door.admission
        if admission is not None:
            # Counted from the TCP accept: a handshake that never finishes, and a
            # connection that never opens a session, hold a slot like a player does.
            self._ticket = admission.admit(self.peer, "ssh", loop.time())
            if self._ticket is None:
                loop.call_soon(reset_abort, conn)
                return
            self._ticket.watch(self._standing, self._evict)
        # Until the game session opens (authentication included) the connection has
        # this long (the in-game login's deadline); asyncssh's own login timeout ends
        # once authentication succeeds, and a guest needs none.
        self._conn = conn
        self._deadline = loop.call_later(self._door.settings.session_deadline, self._expire, conn)

    def _expire(self, conn: Any) -> None:
        self._deadline = None
        if not self._opened:
            log_event(log, "conn_cut_off", door="ssh", addr=self.peer, reason="no_session")
            reset_abort(conn)

    def auth_completed(self) -> None:
        # Authenticated (a guest at once): a real client opens its session now. One that
        # does not is holding a descriptor for nothing.
        if self._opened or self._conn is None:
            return
        if self._deadline is not None:
            self._deadline.cancel()
        loop = asyncio.get_running_loop()
        self._deadline = loop.call_later(
            self._door.settings.session_timeout, self._expire, self._conn
        )

    def _standing(self) -> int:
        """How this connection stands, for admission making room (``Ticket.watch``): it
        has spoken once its client named a user to authenticate as."""
        if self._session is not None and self._session.playing:
            return PLAYING
        return SPOKEN if self._username or self._opened else SILENT

    def _evict(self) -> None:
        """Admission made room from this connection (never one playing): close it, with
        a word to its player when a game session is open."""
        if self._session is not None:
            self._session.close(Doc.text(styled("error", EVICTED)))
        elif self._conn is not None:
            reset_abort(self._conn)

    def session_opened(self, session: Session) -> None:
        """The game session started: the pre-session deadline no longer applies."""
        self._opened = True
        self._session = session
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def connection_lost(self, exc: Exception | None) -> None:
        self._conn = None
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None
        if self._ticket is not None:
            self._ticket.release()
            self._ticket = None

    def begin_auth(self, username: str) -> bool:
        self._username = username
        # Guests need no SSH auth: the in-game login asks who they are.
        return username.lower() not in GUEST_USERS

    def password_auth_supported(self) -> bool:
        return True

    async def validate_password(self, username: str, password: str) -> bool:
        ok = await self._door.auth.check_password(username, password, self.peer)
        if ok:
            self.account = username
        return ok

    def public_key_auth_supported(self) -> bool:
        return True

    async def validate_public_key(self, username: str, key: Any) -> bool:
        ok = await self._door.auth.check_key(username, key.get_fingerprint("sha256"))
        if ok:
            self.account = username
        return ok

    def session_requested(self) -> Any:
        if self._sessions:
            return False  # one game session per connection
        self._sessions += 1
        return _GameSession(self._door, self)

    def connection_requested(self, *args: Any) -> bool:
        return False

    def server_requested(self, *args: Any) -> bool:
        return False

    def unix_connection_requested(self, *args: Any) -> bool:
        return False

    def unix_server_requested(self, *args: Any) -> bool:
        return False


class SshDoor:
    """Accepts SSH clients. Owned by ``mud.app`` like ``TelnetDoor``."""

    def __init__(
        self,
        settings: SshSettings,
        sink: EventSink,
        ids: ConnIds,
        auth: Authenticator,
        *,
        admission: Admission | None = None,
    ) -> None:
        self.settings = settings
        self.admission = admission
        self.sink = sink
        self.ids = ids
        self.auth = auth
        self._server: Any = None
        self._tasks: set[asyncio.Task[None]] = set()
        self.port = 0
        self.fingerprint = ""

    def track(self, task: asyncio.Task[None]) -> None:
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def post(self, event: Connected | LineIn | Resized) -> None:
        async with asyncio.timeout(self.settings.post_deadline):
            await self.sink.post(event)

    async def start(self) -> int:
        """Load or create the host key, bind and listen. Raises HostKeyError or OSError."""
        key, self.fingerprint = load_or_create_host_key(self.settings.host_keys)
        self._server = await asyncssh.create_server(
            lambda: _Server(self),
            self.settings.host,
            self.settings.port,
            backlog=self.settings.backlog,
            server_host_keys=[key],
            agent_forwarding=False,
            x11_forwarding=False,
            allow_scp=False,
            allow_pty=True,
            # Bytes, not text: the session encodes output once for the client's
            # charset and the door decodes input once (our own line editor with a PTY).
            line_editor=False,
            encoding=None,
            login_timeout=self.settings.login_timeout,
            keepalive_interval=60,
            keepalive_count_max=3,
        )
        sockets = self._server.sockets or []
        self.port = int(sockets[0].getsockname()[1]) if sockets else self.settings.port
        return self.port

    def stop_accepting(self) -> None:
        if self._server is not None:
            self._server.close()

    async def close(self, deadline: float = 3.0) -> None:
        await finish_tasks(self._tasks, deadline)
        if self._server is not None:
            with contextlib.suppress(Exception):
                async with asyncio.timeout(deadline):
                    await self._server.wait_closed()
