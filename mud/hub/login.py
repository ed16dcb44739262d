"""Login, account creation, class choice and password change as one explicit state machine.

One job: decide, for one connection, what a line typed at a login prompt (or the result
of a background job the flow waited for) means, and what the hub must do about it. Pure:
no asyncio, no store, no world, no clock. The hub owns one ``LoginFlow`` per connection,
feeds it every input line (``receive``) and every result it waited for (``account_found``,
``verified``, ``hashed`` ...), and carries out the returned steps in order: plain frozen
values (``Send``, ``Prompt``, ``Echo``, ``LookUp``, ``Verify``, ``Create`` ...). Nothing
here knows about sessions; everything here is decided from the flow's own state and the
input, so it is tested as a table of (stage, input) -> (stage, steps).

Contract:
- ``stage`` is one of ``Stage`` (its values are the names the hub's string modes had,
  for reading; nothing compares them as strings).
- While the stage is ``BUSY`` (a lookup, a hash, a load is under way) or earlier lines
  still wait, a received line is queued (``ahead``), at most ``max_ahead`` of them; one
  more and the flow asks the hub to hang up. ``pop_ahead`` hands them back in order once
  the flow can take them.
- The password being confirmed (``pending``) lives only here and is wiped when the
  confirmation ends either way and when the flow ends (``hang_up``). Secrets are never
  cleaned or echoed; they appear only inside the step that needs them (``Verify``,
  ``CheckCurrent``, ``Create``, ``ChangePassword``).
- Methods never raise for any input text; a result that arrives in a stage that no longer
  expects it is handled as the hub always did (the hub filters stale connections).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from enum import Enum

from attrs import frozen

from mud.core.markup import esc, styled, tag
from mud.core.outputs import Doc, Para, Table
from mud.core.records import Account
from mud.engine import accounts
from mud.render.sanitize import clean, fold_width, tame_marks

#: What switches screen-reader mode at the name prompt ("sr" is too short for a name;
#: "screenreader" alone is taken as the mode, not as a character's name).
_READER_WORDS = {
    "sr": True,
    "screenreader": True,
    "screenreader on": True,
    "screen reader": True,
    "screen reader on": True,
    "sr off": False,
    "screenreader off": False,
    "screen reader off": False,
}
_READER_ON = (
    "Screen reader mode is on: plain text, no art, boxes or colour, lines not broken."
    " Type screenreader off at any time to leave it."
)
_READER_OFF = "Screen reader mode is off."


class Stage(Enum):
    """Where a connection is in its flow."""

    NAME = "name"
    CONFIRM = "confirm"
    PASSWORD = "password"
    NEW_PASSWORD = "new_password"
    NEW_PASSWORD2 = "new_password2"
    CLASS = "class"
    PLAYING = "playing"
    PW_OLD = "pw_old"
    PW_NEW = "pw_new"
    PW_NEW2 = "pw_new2"
    BUSY = "busy"
    QUIT = "quit"


#: Stages whose input is a secret: never cleaned into logs, never echoed.
SECRET_STAGES = frozenset(
    {
        Stage.PASSWORD,
        Stage.NEW_PASSWORD,
        Stage.NEW_PASSWORD2,
        Stage.PW_OLD,
        Stage.PW_NEW,
        Stage.PW_NEW2,
    }
)
_CHANGE_STAGES = frozenset({Stage.PW_OLD, Stage.PW_NEW, Stage.PW_NEW2})

# -- steps: what the hub carries out, in order ---------------------------------------------


@frozen
class Send:
    """Send this document to the connection (it counts as output: a prompt follows)."""

    doc: Doc


@frozen
class NewLine:
    """End the line the client left open at a hidden prompt (an empty doc, no prompt)."""


@frozen
class Prompt:
    """Show this login prompt."""

    text: str


@frozen
class Echo:
    """Turn the client's local echo on or off (off while a password is typed)."""

    on: bool


@frozen
class LookUp:
    """Refuse the name if it is banned (hang up); else look the account up in the
    background and report with ``account_found``."""

    name: str


@frozen
class Verify:
    """Check the login password of ``flow.account`` (through the attempt gate), then
    report with ``verified`` (or hang up when throttled)."""

    secret: str


@frozen
class CheckCurrent:
    """Check the current password in the change flow (through the attempt gate): report
    with ``current_checked``, or ``too_many_attempts`` when the gate refuses."""

    secret: str


@frozen
class Create:
    """Create the account ``name`` with this password (hash in the background), unless
    that name is being created right now (then report ``name_busy``)."""

    name: str
    secret: str


@frozen
class ChangePassword:
    """Hash the new password in the background, then report with ``password_hashed``."""

    secret: str


@frozen
class SavePassword:
    """Write the account's new password hash (a state write: acknowledged once committed)."""

    name_key: str
    pw_hash: str


@frozen
class Command:
    """Run this (cleaned) line as a game command for the connection's character."""

    text: str


@frozen
class ChooseClass:
    """The player picked this class id (the hub applies the new sheet, then ``play``)."""

    cls: str


@frozen
class ReaderMode:
    """Switch the connection's screen-reader mode on or off before any character is
    played (typed at the name prompt); the character made or entered next keeps it."""

    on: bool


@frozen
class HangUp:
    """Close the connection with this farewell (the flow is already over)."""

    farewell: Doc


Step = (
    Send
    | NewLine
    | Prompt
    | Echo
    | LookUp
    | Verify
    | CheckCurrent
    | Create
    | ReaderMode
    | ChangePassword
    | SavePassword
    | Command
    | ChooseClass
    | HangUp
)


@frozen
class ClassChoice:
    """A class as the class prompt lists it (an ``accounts.Calling``): ``gifts`` are its
    powers as (name, description, verbs), ``proficient`` its abilities and skills and
    ``abilities`` its starting scores, so a question of which can do what is answered."""

    id: str
    name: str
    hit_die: int
    description: str
    gifts: tuple[tuple[str, str, tuple[str, ...]], ...] = ()
    proficient: tuple[str, ...] = ()
    abilities: tuple[tuple[str, int], ...] = ()


def _also_called(choice: ClassChoice) -> str:
    """ " (cleric)" after a class whose short name (its id's) is another word than its
    name, as the class prompt lists it; "" when the two are one ("fighter", Fighter)."""
    short = choice.id.split(":", 1)[-1]
    # Nor one whose words its name has already ("lantern_monk" of the Lantern Monk: read
    # at 40 columns as "(lantern_monk" and ")" on two lines).
    named = set(re.split(r"[\s_-]+", choice.name.casefold()))
    if (
        short.casefold() == choice.name.casefold()
        or set(re.split(r"[_-]+", short.casefold())) <= named
    ):
        return ""
    return f" ({esc(short)})"


FAREWELL = Doc.text(styled("system", "Farewell, traveller."))
ASK_NAME = Prompt("What is your name?")
ASK_CLASS = Prompt("Your class:")


_NOT_UTF8 = (
    "Your client sends text that is not UTF-8, so its accented letters reach the others"
    " as '\ufffd'. Set its character set to UTF-8 (a MUD client: its charset setting;"
    " telnet or SSH in a terminal: a UTF-8 locale, such as LANG=C.UTF-8)."
)
#: Yes and no as players answered "Create X? (yes/no)" in their own languages.
_YES = frozenset("y yes yeah yep sure ok ja oui si sí da да はい うん 是 是的 好 네 예".split())  # noqa: SIM905
_NO = frozenset("n no nope nah nein non нет いいえ 不 不是 아니요".split())  # noqa: SIM905


def _error(text: str) -> Send:
    return Send(Doc.text(styled("error", text)))


#: The prompt that asks again for the current stage's line (after a line was refused
#: whole); play has its own prompt, sent by the hub.
_ASK_AGAIN: dict[Stage, tuple[Step, ...]] = {
    Stage.NAME: (ASK_NAME,),
    Stage.CONFIRM: (Prompt("Please answer yes or no:"),),
    Stage.PASSWORD: (Prompt("Password:"),),
    Stage.NEW_PASSWORD: (Prompt("Password:"),),
    Stage.NEW_PASSWORD2: (Prompt("Repeat the password:"),),
    Stage.CLASS: (ASK_CLASS,),
    Stage.PW_OLD: (Prompt("Current password:"),),
    Stage.PW_NEW: (Prompt("New password:"),),
    Stage.PW_NEW2: (Prompt("Repeat the new password:"),),
}


class LoginFlow:
    """One connection's login and password-change state. Owned by the hub's ``_Conn``."""

    __slots__ = (
        "_offered",
        "_pending",
        "_stage",
        "_told_charset",
        "account",
        "ahead",
        "choices",
        "chosen_reader",
        "first",
        "max_ahead",
        "max_line",
        "name",
    )

    def __init__(self, *, max_line: int = 2000, max_ahead: int = 64) -> None:
        self._stage = Stage.NAME
        self.max_line = max_line
        self.max_ahead = max_ahead
        self.name = ""
        self.account: Account | None = None
        # A character new to the world: greeted and shown the opening once it arrives.
        self.first = False
        self.choices: tuple[ClassChoice, ...] = ()
        # Lines typed ahead while the flow waits for a background job (raw text, secrets
        # included: they are only ever handed to the stage that reads them).
        # A list, not a deque: the flow lives as long as the connection, and an empty
        # deque allocates a 64-slot block (issue 16); at most max_ahead lines wait.
        self.ahead: list[str] = []
        self._pending = ""
        self._told_charset = False  # told once that the client's text is not UTF-8
        # Screen-reader mode switched at the name prompt (None: not touched there); the
        # character entered next keeps it as its own setting.
        self.chosen_reader: bool | None = None
        # The class the class prompt just asked about ("Did you mean rogue?"): a yes
        # to the next line takes it.
        self._offered = ""

    @property
    def stage(self) -> Stage:
        return self._stage

    @property
    def pending(self) -> str:
        """The new password typed once and awaiting its repetition ("" otherwise)."""
        return self._pending

    @property
    def holding(self) -> bool:
        """True while a received line would be queued rather than taken."""
        return self._stage is Stage.BUSY or bool(self.ahead)

    @property
    def waiting(self) -> bool:
        """True while lines must wait: the flow is busy, or earlier lines still wait."""
        return self._stage is not Stage.QUIT and (self._stage is Stage.BUSY or bool(self.ahead))

    # -- lines --------------------------------------------------------------------------

    def receive(self, raw: str) -> list[Step]:
        """A line as it arrives from the client: queued while the flow waits (typed
        ahead), else handled now. Too many queued lines: hang up."""
        if self.holding:
            if len(self.ahead) >= self.max_ahead:
                return self._end(
                    Doc.text(
                        styled(
                            "error",
                            f"More than {self.max_ahead} lines arrived while the "
                            "server was busy with your login. Goodbye.",
                        )
                    )
                )
            self.ahead.append(raw)
            return []
        return self.take(raw)

    def pop_ahead(self) -> str | None:
        """The next typed-ahead line, if the flow can take one now (not busy, not over)."""
        if self.ahead and self._stage not in (Stage.BUSY, Stage.QUIT):
            return self.ahead.pop(0)
        return None

    def take(self, raw: str) -> list[Step]:
        """Handle one line in the current stage (the hub never calls it while busy)."""
        if len(raw) > self.max_line:
            # A secret stage's line was not echoed: end it before the error.
            lead: list[Step] = [NewLine()] if self._stage in SECRET_STAGES else []
            return [
                *lead,
                _error(
                    f"That line is too long ({len(raw)} characters; the limit "
                    f"is {self.max_line}). Nothing was done."
                ),
                *_ASK_AGAIN.get(self._stage, ()),
            ]
        stage = self._stage
        if stage in SECRET_STAGES:
            # Secrets are never cleaned into logs or echoed; only stripped of line noise.
            return self._secret(raw.strip("\r\n"))
        if stage is Stage.NAME:
            # Validate what was typed, not the cleaned text: an invisible character in a
            # name is refused outright rather than silently removed.
            return self._on_name(raw.strip())
        # Marks piled on a letter are cut too (played by a griefer: one letter and
        # 1,500 marks reached the room, 498 of them after the line's cut). A run of
        # spaces is one space: played by a griefer, an emote padded with 150 spaces
        # wrapped there, and "You feel weaker. (HP 3/12)" began a line of its own.
        text = " ".join(fold_width(tame_marks(clean(raw))).split())
        if stage is Stage.PLAYING:
            if "\ufffd" in text and not self._told_charset:
                # Played from Latin-1 clients with no character set agreed: every
                # accented letter reached the room as "�", and the sender never knew.
                self._told_charset = True
                return [_error(_NOT_UTF8), Command(text)]
            return [Command(text)]
        if stage is Stage.CONFIRM:
            return self._on_confirm(text)
        if stage is Stage.CLASS:
            return self._on_class(text)
        return []

    def _on_name(self, text: str) -> list[Step]:
        if not text:
            return self.ask_name()
        if text.lower() == "quit":
            return self._quit()
        reader = _READER_WORDS.get(" ".join(text.lower().split()))
        if reader is not None:
            # Played by a blind player: the art and the boxes came first, and nothing
            # said screen-reader mode existed until the README, 6,450 words in.
            said = _READER_ON if reader else _READER_OFF
            self.chosen_reader = reader
            return [ReaderMode(reader), Send(Doc.text(styled("system", said))), *self.ask_name()]
        name, problem = accounts.validate_name(text)
        if name is None:
            return [_error(problem), *self.ask_name()]
        self._stage = Stage.BUSY
        return [LookUp(name)]

    def _on_confirm(self, text: str) -> list[Step]:
        """Create the character asked about? Yes and no in the languages players here
        answered in (played: "ja", "oui", "nein" and "いいえ" were "Please answer yes or
        no:" until they gave up and typed English)."""
        answer = text.lower()
        if answer == "quit":
            return self._quit()
        if answer.rstrip("!.") in _YES:
            self._stage = Stage.NEW_PASSWORD
            return [
                Send(
                    Doc.text(
                        f"Choose a password for {styled('person', self.name)} "
                        f"(at least {accounts.MIN_PASSWORD} characters)."
                    )
                ),
                Echo(False),
                Prompt("Password:"),
            ]
        if answer.rstrip("!.") in _NO:
            return self.ask_name()
        return [Prompt("Please answer yes or no:")]

    def _on_class(self, text: str) -> list[Step]:
        if text.lower() == "quit":
            # The character is already in the world (unseen): leave exactly as the quit
            # command does; the class is asked next time.
            return [Command("quit")]
        offered, self._offered = self._offered, ""
        answer = " ".join(text.lower().split()).rstrip("!.")
        if offered and answer in _YES:
            # Played: "Did you mean rogue?", then "yes" was "There is no such class."
            text = offered
        elif offered and answer in _NO:
            return [Send(Doc.text("Then type its number or its name from the list.")), ASK_CLASS]
        choices = [(c.id, c.name) for c in self.choices]
        choice, problem = accounts.match_class(choices, text)
        advice, offer = accounts.class_advice(self.choices, text)
        if choice is None and advice:
            # "idk which one is easiest?" (played by a newcomer: "There is no such
            # class."): advice, and a yes takes the class it offers.
            self._offered = next(c.name for c in self.choices if c.id == offer)
            return [Send(Doc.text(advice)), ASK_CLASS]
        if choice is None:
            self._offered = accounts.class_asked_about(choices, text)
            return [_error(problem), ASK_CLASS]
        return [ChooseClass(choice)]

    def _secret(self, secret: str) -> list[Step]:
        steps: list[Step] = [Echo(True), NewLine()]
        stage = self._stage
        # No password may be this short (accounts.MIN_PASSWORD), so "quit" is a command.
        if secret.strip().lower() == "quit":
            if stage in _CHANGE_STAGES:
                self._pending = ""
                self._stage = Stage.PLAYING
                return [
                    *steps,
                    Send(
                        Doc.text(
                            styled(
                                "system", "Password change cancelled; your password is unchanged."
                            )
                        )
                    ),
                ]
            return steps + self._quit()
        if stage is Stage.PASSWORD:
            self._stage = Stage.BUSY
            return [*steps, Verify(secret)]
        if stage is Stage.NEW_PASSWORD:
            problem = accounts.password_problem(secret, self.name)
            if problem:
                return [*steps, _error(problem), Echo(False), Prompt("Password:")]
            self._pending = secret
            self._stage = Stage.NEW_PASSWORD2
            return [*steps, Echo(False), Prompt("Repeat the password:")]
        if stage is Stage.NEW_PASSWORD2:
            matched = secret == self._pending
            self._pending = ""
            if not matched:
                self._stage = Stage.NEW_PASSWORD
                return [
                    *steps,
                    _error("The passwords do not match. Let us try again."),
                    Echo(False),
                    Prompt("Password:"),
                ]
            self._stage = Stage.BUSY
            return [*steps, Create(self.name, secret)]
        if stage is Stage.PW_OLD:
            self._stage = Stage.BUSY
            return [*steps, CheckCurrent(secret)]
        if stage is Stage.PW_NEW:
            problem = accounts.password_problem(secret, self.name)
            if problem:
                self._stage = Stage.PLAYING
                return [*steps, _error(problem + " Your password is unchanged.")]
            self._pending = secret
            self._stage = Stage.PW_NEW2
            return [*steps, Echo(False), Prompt("Repeat the new password:")]
        # Stage.PW_NEW2
        matched = secret == self._pending
        self._pending = ""
        if not matched:
            self._stage = Stage.PLAYING
            return [*steps, _error("The passwords do not match. Your password is unchanged.")]
        self._stage = Stage.BUSY
        return [*steps, ChangePassword(secret)]

    def _quit(self) -> list[Step]:
        """``quit`` at a login or creation prompt: leave without logging in."""
        return [Echo(True), *self._end(FAREWELL)]

    def _end(self, farewell: Doc) -> list[Step]:
        self.hang_up()
        return [HangUp(farewell)]

    # -- transitions the hub starts, and the results it waited for ----------------------

    def greet(self) -> list[Step]:
        """A new connection without pre-authentication: welcome, then ask the name."""
        return [Send(Doc.text(styled("system", "Welcome, traveller."))), *self.ask_name()]

    def ask_name(self) -> list[Step]:
        """Back to the name prompt."""
        self._stage = Stage.NAME
        return [ASK_NAME]

    def busy(self) -> None:
        """A background job the flow waits for has started (pre-authentication, a load)."""
        self._stage = Stage.BUSY

    def account_found(
        self,
        name: str,
        account: Account | None,
        *,
        npc: str = "",
        keeper: str = "",
        crowded: str = "",
    ) -> list[Step]:
        """The lookup for ``name`` came back: ask its password, or offer to create it.
        ``npc``: who in the world goes by that name (an NPC's name or one of its
        aliases, as a sentence names them: "Crake", "the bog rat"); a new character may
        not take it ("attack crake", and a narration's "Crake", would mean either).
        ``keeper``: the admin a new name would pass for (``accounts.imitates``); it is
        refused too. ``crowded``: why this address may make no new character now (the
        hub's count); the name is then not offered."""
        self.name = name
        if account is not None:
            self.account = account
            self._stage = Stage.PASSWORD
            return [Echo(False), Prompt("Password:")]
        if crowded:
            return [_error(crowded), *self.ask_name()]
        if npc:
            return [
                _error(f"'{name}' is what people here call {npc}. Please choose another name."),
                *self.ask_name(),
            ]
        if keeper:
            return [
                _error(
                    f"'{name}' is too like the name of {keeper}, who keeps this world."
                    " Please choose another name."
                ),
                *self.ask_name(),
            ]
        problem = accounts.new_name_problem(name)
        if problem:
            return [_error(problem), *self.ask_name()]
        self._stage = Stage.CONFIRM
        return [Prompt(f"There is no one called {name} here yet. Create {name}? (yes/no)")]

    def wrong_password(self) -> list[Step]:
        """The login password was wrong: start over at the name."""
        return [_error("Wrong password."), *self.ask_name()]

    def benched(self, name: str, seconds: int) -> list[Step]:
        """``name`` was cut off for flooding and may not come back for ``seconds``."""
        return [
            _error(
                f"{name} was disconnected for sending too fast, and may come back in"
                f" {seconds} seconds."
            ),
            *self.ask_name(),
        ]

    def name_busy(self) -> list[Step]:
        """Someone else is creating the same name at this moment."""
        return [
            _error("Someone is creating that name right now. Choose another."),
            *self.ask_name(),
        ]

    def name_taken(self) -> list[Step]:
        """The account could not be created: the name was taken meanwhile. Ignored unless
        the flow still waits for that creation."""
        if self._stage is not Stage.BUSY:
            return []
        return [_error("That name was just taken. Choose another."), *self.ask_name()]

    def not_created(self) -> list[Step]:
        """The account could not be created: the store cannot write."""
        return [
            _error(
                "Your character could not be created: the world cannot be saved just "
                "now. Please try again in a little while."
            ),
            *self.ask_name(),
        ]

    def ask_class(self, classes: Sequence[ClassChoice]) -> list[Step]:
        """The character has no class yet: list the classes and ask for one."""
        self._stage = Stage.CLASS
        self.choices = tuple(classes)
        # One column names the class, its short name after it where that is another
        # word (played by a screen-reader player: "1, Class: fighter, Name: Fighter, ..."
        # read each name twice).
        rows = tuple(
            (
                str(number),
                tag("bold", esc(c.name)) + _also_called(c),
                f"d{c.hit_die}",
                esc(c.description),
            )
            for number, c in enumerate(self.choices, start=1)
        )
        table = Doc(
            (
                Para("Choose your calling (type its number or its name; quit to leave):"),
                Table(rows, header=("#", "Class", "Hit die", "About")),
            )
        )
        return [Send(table), ASK_CLASS]

    def play(self) -> None:
        """The connection is bound to its character in the world: lines are commands."""
        self._stage = Stage.PLAYING
        self.choices = ()

    def greet_first(self) -> bool:
        """True once for a character new to the world (it is greeted once it arrives)."""
        first, self.first = self.first, False
        return first

    def change_password(self) -> list[Step]:
        """The ``password`` command: ask the current password."""
        self._stage = Stage.PW_OLD
        return [Echo(False), Prompt("Current password:")]

    def too_many_attempts(self) -> list[Step]:
        """The gate refused to check the current password (too many failures)."""
        self._stage = Stage.PLAYING
        return [_error("Too many failed attempts. Try again later.")]

    def current_checked(self, ok: bool) -> list[Step]:
        """The current password was checked: ask the new one, or stop."""
        if not ok:
            self._stage = Stage.PLAYING
            return [_error("That is not your current password. Nothing changed.")]
        self._stage = Stage.PW_NEW
        return [Echo(False), Prompt("New password:")]

    def password_hashed(self, pw_hash: str) -> list[Step]:
        """The new password is hashed: save it and say so."""
        if self.account is None:
            return []
        self._stage = Stage.PLAYING
        return [
            SavePassword(self.account.name_key, pw_hash),
            Send(Doc.text(styled("good", "Your password has been changed."))),
        ]

    def hang_up(self) -> None:
        """The flow is over (the connection is being closed): forget every secret."""
        self._stage = Stage.QUIT
        self._pending = ""
        self.ahead.clear()
        self.choices = ()


__all__ = [
    "ASK_CLASS",
    "ASK_NAME",
    "FAREWELL",
    "SECRET_STAGES",
    "ChangePassword",
    "CheckCurrent",
    "ChooseClass",
    "ClassChoice",
    "Command",
    "Create",
    "Echo",
    "HangUp",
    "LoginFlow",
    "LookUp",
    "NewLine",
    "Prompt",
    "SavePassword",
    "Send",
    "Stage",
    "Step",
    "Verify",
]
