"""mud.hub.login: the login and password-change flow as a table of
(stage, input) -> (stage, steps), without an event loop, a store or a world.

Each stage is reached the way a connection reaches it (through the flow's own
transitions, from a fresh flow), so the table never pokes at private state."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mud.core.markup import styled
from mud.core.outputs import Doc, Para, Table
from mud.core.records import Account
from mud.hub.login import (
    ASK_CLASS,
    ASK_NAME,
    FAREWELL,
    SECRET_STAGES,
    ChangePassword,
    CheckCurrent,
    ChooseClass,
    ClassChoice,
    Command,
    Create,
    Echo,
    HangUp,
    LoginFlow,
    LookUp,
    NewLine,
    Prompt,
    SavePassword,
    Send,
    Stage,
    Step,
    Verify,
)

ACCOUNT = Account("Aldebaran", "aldebaran", "scrypt$...", False, 0.0)
CLASSES = (
    ClassChoice("core:fighter", "Fighter", 10, "Steel & nerve"),
    ClassChoice("core:wizard", "Wizard", 6, "Books"),
    ClassChoice("core:warlock", "Warlock", 8, "Pacts"),
)


def err(text: str) -> Send:
    return Send(Doc.text(styled("error", text)))


HIDDEN = [Echo(True), NewLine()]  # every secret line: echo back on, end the hidden line
QUIT_LOGIN = [Echo(True), HangUp(FAREWELL)]
CANCELLED = Send(
    Doc.text(styled("system", "Password change cancelled; your password is unchanged."))
)


def at(stage: Stage, max_line: int = 200) -> LoginFlow:
    """A fresh flow driven to ``stage`` through its own transitions."""
    flow = LoginFlow(max_line=max_line, max_ahead=3)
    flow.greet()
    if stage is Stage.NAME:
        return flow
    if stage is Stage.QUIT:
        flow.take("quit")
        return flow
    if stage in (Stage.CLASS, Stage.PLAYING, Stage.PW_OLD, Stage.PW_NEW, Stage.PW_NEW2):
        flow.take("Aldebaran")
        flow.account_found("Aldebaran", ACCOUNT)
        flow.take("right-password")
        flow.account = ACCOUNT  # what the hub does on a good password
        if stage is Stage.CLASS:
            flow.play()
            flow.ask_class(CLASSES)
            return flow
        flow.play()
        if stage is Stage.PLAYING:
            return flow
        flow.change_password()
        if stage is Stage.PW_OLD:
            return flow
        flow.take("old-password")
        flow.current_checked(True)
        if stage is Stage.PW_NEW:
            return flow
        flow.take("new-password")
        return flow
    flow.take("Aldebaran")
    if stage is Stage.BUSY:
        return flow
    if stage is Stage.PASSWORD:
        flow.account_found("Aldebaran", ACCOUNT)
        return flow
    flow.account_found("Aldebaran", None)
    if stage is Stage.CONFIRM:
        return flow
    flow.take("yes")
    if stage is Stage.NEW_PASSWORD:
        return flow
    flow.take("first-pass")
    assert stage is Stage.NEW_PASSWORD2
    return flow


def test_every_stage_is_reachable_as_a_connection_reaches_it() -> None:
    for stage in Stage:
        assert at(stage).stage is stage


CHOOSE = Send(
    Doc.text(f"Choose a password for {styled('person', 'Aldebaran')} (at least 6 characters).")
)

# (stage, line typed, stage after, steps)
LINES: list[tuple[Stage, str, Stage, list[Step]]] = [
    # the name prompt
    (Stage.NAME, "", Stage.NAME, [ASK_NAME]),
    (Stage.NAME, "   ", Stage.NAME, [ASK_NAME]),
    (Stage.NAME, "quit", Stage.QUIT, QUIT_LOGIN),
    (Stage.NAME, "QUIT", Stage.QUIT, QUIT_LOGIN),
    (Stage.NAME, "x", Stage.NAME, [err("Names are 3 to 16 letters long."), ASK_NAME]),
    (
        Stage.NAME,
        "Al\u200bice",
        Stage.NAME,
        [err("Names may contain only the letters A to Z."), ASK_NAME],
    ),
    (
        Stage.NAME,
        "admin",
        Stage.NAME,
        [err("'admin' is reserved. Please choose another name."), ASK_NAME],
    ),
    (Stage.NAME, "aLDEBARAN", Stage.BUSY, [LookUp("Aldebaran")]),
    (Stage.NAME, "  bob \r\n", Stage.BUSY, [LookUp("Bob")]),
    # "Create X? (yes/no)"
    (Stage.CONFIRM, "yes", Stage.NEW_PASSWORD, [CHOOSE, Echo(False), Prompt("Password:")]),
    (Stage.CONFIRM, " Y ", Stage.NEW_PASSWORD, [CHOOSE, Echo(False), Prompt("Password:")]),
    (Stage.CONFIRM, "no", Stage.NAME, [ASK_NAME]),
    (Stage.CONFIRM, "N", Stage.NAME, [ASK_NAME]),
    (Stage.CONFIRM, "maybe", Stage.CONFIRM, [Prompt("Please answer yes or no:")]),
    (Stage.CONFIRM, "quit", Stage.QUIT, QUIT_LOGIN),
    # the login password: only line noise is stripped from a secret
    (Stage.PASSWORD, "hunter-22", Stage.BUSY, [*HIDDEN, Verify("hunter-22")]),
    (Stage.PASSWORD, " two words \r\n", Stage.BUSY, [*HIDDEN, Verify(" two words ")]),
    (Stage.PASSWORD, "quit", Stage.QUIT, [*HIDDEN, *QUIT_LOGIN]),
    (Stage.PASSWORD, " Quit ", Stage.QUIT, [*HIDDEN, *QUIT_LOGIN]),
    # a new account's password, twice
    (
        Stage.NEW_PASSWORD,
        "abc",
        Stage.NEW_PASSWORD,
        [*HIDDEN, err("Passwords need at least 6 characters."), Echo(False), Prompt("Password:")],
    ),
    (
        Stage.NEW_PASSWORD,
        "ALDEBARAN",
        Stage.NEW_PASSWORD,
        [*HIDDEN, err("Your password must not be your name."), Echo(False), Prompt("Password:")],
    ),
    (
        Stage.NEW_PASSWORD,
        "x" * 129,
        Stage.NEW_PASSWORD,
        [
            *HIDDEN,
            err("Passwords may have at most 128 characters."),
            Echo(False),
            Prompt("Password:"),
        ],
    ),
    (
        Stage.NEW_PASSWORD,
        "second-pass",
        Stage.NEW_PASSWORD2,
        [*HIDDEN, Echo(False), Prompt("Repeat the password:")],
    ),
    (Stage.NEW_PASSWORD, "quit", Stage.QUIT, [*HIDDEN, *QUIT_LOGIN]),
    (Stage.NEW_PASSWORD2, "first-pass", Stage.BUSY, [*HIDDEN, Create("Aldebaran", "first-pass")]),
    (
        Stage.NEW_PASSWORD2,
        "other-pass",
        Stage.NEW_PASSWORD,
        [
            *HIDDEN,
            err("The passwords do not match. Let us try again."),
            Echo(False),
            Prompt("Password:"),
        ],
    ),
    (Stage.NEW_PASSWORD2, "quit", Stage.QUIT, [*HIDDEN, *QUIT_LOGIN]),
    # the class prompt: by number, name, prefix; ambiguous and unknown answers
    (Stage.CLASS, "1", Stage.CLASS, [ChooseClass("core:fighter")]),
    (Stage.CLASS, "3", Stage.CLASS, [ChooseClass("core:warlock")]),
    (Stage.CLASS, "Wizard", Stage.CLASS, [ChooseClass("core:wizard")]),
    (Stage.CLASS, "fig", Stage.CLASS, [ChooseClass("core:fighter")]),
    (Stage.CLASS, "warl", Stage.CLASS, [ChooseClass("core:warlock")]),
    (
        Stage.CLASS,
        "w",
        Stage.CLASS,
        [err("'w' could be any of: wizard, warlock. Type more of the name."), ASK_CLASS],
    ),
    (Stage.CLASS, "4", Stage.CLASS, [err("Please type a number from 1 to 3."), ASK_CLASS]),
    (
        Stage.CLASS,
        "",
        Stage.CLASS,
        [err("Please type the number or the name of a class."), ASK_CLASS],
    ),
    (
        Stage.CLASS,
        "bard",
        Stage.CLASS,
        [err("There is no such class. Type its number or its name from the list."), ASK_CLASS],
    ),
    # quit at the class prompt leaves as the quit command does (the character is in)
    (Stage.CLASS, "Quit", Stage.CLASS, [Command("quit")]),
    # in play, a line is a command, cleaned of control sequences
    (Stage.PLAYING, "look", Stage.PLAYING, [Command("look")]),
    (Stage.PLAYING, "  say hi \x1b[31mred\x1b[0m\x07 ", Stage.PLAYING, [Command("say hi red")]),
    (Stage.PLAYING, "quit", Stage.PLAYING, [Command("quit")]),
    # a run of spaces (tabs, odd spaces) is one: a griefer's emote padded with 150
    # spaces wrapped in them, and its tail began a line as the game's lines do
    (
        Stage.PLAYING,
        "emote shrugs." + " " * 150 + "You feel weaker.\t\u2003(HP 3/12)",
        Stage.PLAYING,
        [Command("emote shrugs. You feel weaker. (HP 3/12)")],
    ),
    # the password command: current, new, repeated
    (Stage.PW_OLD, "old-password", Stage.BUSY, [*HIDDEN, CheckCurrent("old-password")]),
    (Stage.PW_OLD, "quit", Stage.PLAYING, [*HIDDEN, CANCELLED]),
    (
        Stage.PW_NEW,
        "abc",
        Stage.PLAYING,
        [*HIDDEN, err("Passwords need at least 6 characters. Your password is unchanged.")],
    ),
    (
        Stage.PW_NEW,
        "Aldebaran",
        Stage.PLAYING,
        [*HIDDEN, err("Your password must not be your name. Your password is unchanged.")],
    ),
    (
        Stage.PW_NEW,
        "fresh-password",
        Stage.PW_NEW2,
        [*HIDDEN, Echo(False), Prompt("Repeat the new password:")],
    ),
    (Stage.PW_NEW, "QUIT", Stage.PLAYING, [*HIDDEN, CANCELLED]),
    (Stage.PW_NEW2, "new-password", Stage.BUSY, [*HIDDEN, ChangePassword("new-password")]),
    (
        Stage.PW_NEW2,
        "not-the-same",
        Stage.PLAYING,
        [*HIDDEN, err("The passwords do not match. Your password is unchanged.")],
    ),
    (Stage.PW_NEW2, "quit", Stage.PLAYING, [*HIDDEN, CANCELLED]),
    # after the end nothing a line says does anything
    (Stage.QUIT, "look", Stage.QUIT, []),
]


@pytest.mark.parametrize(
    ("stage", "line", "after", "steps"),
    LINES,
    ids=[f"{s.value}:{line[:20]!r}" for s, line, _, _ in LINES],
)
def test_a_line_at_each_prompt(stage: Stage, line: str, after: Stage, steps: list[Step]) -> None:
    flow = at(stage)
    assert flow.receive(line) == steps
    assert flow.stage is after


def test_every_prompt_is_covered_by_the_table_with_quit() -> None:
    quit_at = {stage for stage, line, _, _ in LINES if line.strip().lower() == "quit"}
    assert quit_at == set(Stage) - {Stage.BUSY, Stage.QUIT}


@pytest.mark.parametrize("stage", [s for s in Stage if s is not Stage.BUSY])
def test_a_line_over_the_limit_does_nothing_but_say_so(stage: Stage) -> None:
    flow = at(stage, max_line=50)
    too_long = "quit" + " " * 47
    steps = flow.receive(too_long)
    error = err("That line is too long (51 characters; the limit is 50). Nothing was done.")
    assert error in steps
    assert flow.stage is stage
    # Asked again at once (a player at a login prompt was left with no prompt at all),
    # and at a secret prompt the unechoed line is ended first.
    prompts = [s for s in steps if isinstance(s, Prompt)]
    if stage in (Stage.PLAYING, Stage.QUIT):
        assert steps == [error]
    else:
        assert len(prompts) == 1 and steps[-1] == prompts[0]
    if stage in SECRET_STAGES:
        assert steps[0] == NewLine()


def test_the_password_being_confirmed_is_kept_only_until_the_confirmation_ends() -> None:
    for stage, second in (
        (Stage.NEW_PASSWORD2, "first-pass"),
        (Stage.NEW_PASSWORD2, "other-pass"),
        (Stage.NEW_PASSWORD2, "quit"),
        (Stage.PW_NEW2, "new-password"),
        (Stage.PW_NEW2, "not-the-same"),
        (Stage.PW_NEW2, "quit"),
    ):
        flow = at(stage)
        assert flow.pending in ("first-pass", "new-password")
        flow.receive(second)
        assert flow.pending == ""
    flow = at(Stage.PW_NEW2)
    flow.hang_up()  # the connection closes mid-confirmation (kicked, banned, timed out)
    assert flow.pending == "" and flow.stage is Stage.QUIT


# (stage, what came back, stage after, steps)
RESULTS: list[tuple[Stage, Callable[[LoginFlow], list[Step]], Stage, list[Step]]] = [
    (
        Stage.NAME,
        lambda f: f.greet(),
        Stage.NAME,
        [Send(Doc.text(styled("system", "Welcome, traveller."))), ASK_NAME],
    ),
    (
        Stage.BUSY,
        lambda f: f.account_found("Aldebaran", ACCOUNT),
        Stage.PASSWORD,
        [Echo(False), Prompt("Password:")],
    ),
    (
        Stage.BUSY,
        lambda f: f.account_found("Aldebaran", None),
        Stage.CONFIRM,
        [Prompt("There is no one called Aldebaran here yet. Create Aldebaran? (yes/no)")],
    ),
    (
        # A new character may not take an NPC's name ("attack crake" would mean either).
        Stage.BUSY,
        lambda f: f.account_found("Crake", None, npc="Crake"),
        Stage.NAME,
        [err("'Crake' is what people here call Crake. Please choose another name."), ASK_NAME],
    ),
    (
        # A new name that would pass for an admin's is refused, naming the admin.
        Stage.BUSY,
        lambda f: f.account_found("Oberonn", None, keeper="Oberon"),
        Stage.NAME,
        [
            err(
                "'Oberonn' is too like the name of Oberon, who keeps this world. Please"
                " choose another name."
            ),
            ASK_NAME,
        ],
    ),
    (
        # "yes" typed as a name by a player who expected "Create ...?" is not offered.
        Stage.BUSY,
        lambda f: f.account_found("Yes", None),
        Stage.NAME,
        [
            err("'Yes' reads as an answer or a command, not a name. Please choose another."),
            ASK_NAME,
        ],
    ),
    (
        # An account that has such a name (made before the rule) still logs in.
        Stage.BUSY,
        lambda f: f.account_found("Look", ACCOUNT),
        Stage.PASSWORD,
        [Echo(False), Prompt("Password:")],
    ),
    (
        # An account made before the NPC existed still logs in.
        Stage.BUSY,
        lambda f: f.account_found("Aldebaran", ACCOUNT, npc="Aldebaran"),
        Stage.PASSWORD,
        [Echo(False), Prompt("Password:")],
    ),
    (Stage.BUSY, lambda f: f.wrong_password(), Stage.NAME, [err("Wrong password."), ASK_NAME]),
    (
        Stage.BUSY,
        lambda f: f.name_busy(),
        Stage.NAME,
        [err("Someone is creating that name right now. Choose another."), ASK_NAME],
    ),
    (
        Stage.BUSY,
        lambda f: f.name_taken(),
        Stage.NAME,
        [err("That name was just taken. Choose another."), ASK_NAME],
    ),
    # a stale "taken" (the flow moved on) is ignored
    (Stage.NAME, lambda f: f.name_taken(), Stage.NAME, []),
    (
        Stage.BUSY,
        lambda f: f.not_created(),
        Stage.NAME,
        [
            err(
                "Your character could not be created: the world cannot be saved just now. "
                "Please try again in a little while."
            ),
            ASK_NAME,
        ],
    ),
    (
        Stage.PLAYING,
        lambda f: f.change_password(),
        Stage.PW_OLD,
        [Echo(False), Prompt("Current password:")],
    ),
    (
        Stage.PW_OLD,
        lambda f: f.receive("old-password") and f.too_many_attempts(),
        Stage.PLAYING,
        [err("Too many failed attempts. Try again later.")],
    ),
    (
        Stage.PW_OLD,
        lambda f: f.receive("old-password") and f.current_checked(False),
        Stage.PLAYING,
        [err("That is not your current password. Nothing changed.")],
    ),
    (
        Stage.PW_OLD,
        lambda f: f.receive("old-password") and f.current_checked(True),
        Stage.PW_NEW,
        [Echo(False), Prompt("New password:")],
    ),
    (
        Stage.PW_NEW2,
        lambda f: f.receive("new-password") and f.password_hashed("scrypt$new"),
        Stage.PLAYING,
        [
            SavePassword("aldebaran", "scrypt$new"),
            Send(Doc.text(styled("good", "Your password has been changed."))),
        ],
    ),
]


@pytest.mark.parametrize(("stage", "result", "after", "steps"), RESULTS)
def test_a_result_the_flow_waited_for(
    stage: Stage, result: Callable[[LoginFlow], list[Step]], after: Stage, steps: list[Step]
) -> None:
    flow = at(stage)
    assert result(flow) == steps
    assert flow.stage is after


def test_the_class_prompt_lists_every_class_by_number() -> None:
    flow = at(Stage.PLAYING)
    steps = flow.ask_class(CLASSES)
    assert flow.stage is Stage.CLASS and steps[1] == ASK_CLASS
    first = steps[0]
    assert isinstance(first, Send)
    intro, table = first.doc.blocks
    assert intro == Para("Choose your calling (type its number or its name; quit to leave):")
    assert isinstance(table, Table)
    # One column of names (played, round 53, by a screen-reader player: "1, Class:
    # fighter, Name: Fighter, ..." read each name twice), the short name after it when
    # it is another word.
    assert table.header == ("#", "Class", "Hit die", "About")
    assert [row[0] for row in table.rows] == ["1", "2", "3"]
    assert table.rows[0][1:] == ("{bold}Fighter{/}", "d10", "Steel & nerve")
    sent = flow.ask_class([ClassChoice("core:cleric", "Lamp-Keeper", 8, "Lamps")])[0]
    assert isinstance(sent, Send)
    lamps = sent.doc.blocks[1]
    assert isinstance(lamps, Table) and lamps.rows[0][1] == "{bold}Lamp-Keeper{/} (cleric)"
    # Not a short name whose words the name has already (round 56, Lanternfall at 40
    # columns: "(lantern_monk" and ")" on two lines).
    sent = flow.ask_class([ClassChoice("lf:lantern_monk", "Lantern Monk", 8, "Lamps")])[0]
    assert isinstance(sent, Send)
    monks = sent.doc.blocks[1]
    assert isinstance(monks, Table) and monks.rows[0][1] == "{bold}Lantern Monk{/}"
    flow.play()
    assert flow.stage is Stage.PLAYING and flow.choices == ()


def test_a_new_character_is_greeted_once() -> None:
    flow = at(Stage.PLAYING)
    flow.first = True
    assert flow.greet_first() and not flow.greet_first()


# -- typed-ahead lines ---------------------------------------------------------------------


def test_lines_typed_while_busy_wait_and_are_taken_in_order_once_it_answers() -> None:
    flow = at(Stage.NAME)
    assert flow.receive("aldebaran") == [LookUp("Aldebaran")]
    # An auto-login sent the password and a command right behind the name.
    assert flow.receive("right-password") == []
    assert flow.receive("look") == []
    assert flow.stage is Stage.BUSY and list(flow.ahead) == ["right-password", "look"]
    assert flow.waiting and flow.pop_ahead() is None  # nothing is taken while busy
    flow.account_found("Aldebaran", ACCOUNT)
    # Not busy now, but earlier lines still wait: a new one queues behind them.
    assert flow.holding and flow.receive("say hi") == []
    line = flow.pop_ahead()
    assert line == "right-password"
    assert flow.take(line) == [*HIDDEN, Verify("right-password")]
    assert flow.pop_ahead() is None  # busy again: the rest waits for the answer
    flow.account = ACCOUNT
    flow.play()
    taken = []
    while (line := flow.pop_ahead()) is not None:
        taken += flow.take(line)
    assert taken == [Command("look"), Command("say hi")]
    assert not flow.waiting


def test_one_line_more_than_may_wait_hangs_up_and_drops_them_all() -> None:
    flow = at(Stage.BUSY)
    for n in range(3):
        assert flow.receive(f"line {n}") == []
    steps = flow.receive("one too many")
    assert steps == [
        HangUp(
            Doc.text(
                styled(
                    "error",
                    "More than 3 lines arrived while the server was busy with your login. Goodbye.",
                )
            )
        )
    ]
    assert flow.stage is Stage.QUIT and not flow.ahead and not flow.waiting


def test_lines_typed_ahead_of_a_quit_are_never_taken() -> None:
    flow = at(Stage.BUSY)
    flow.receive("quit")
    flow.receive("hunter-22")
    flow.wrong_password()
    assert flow.take(flow.pop_ahead() or "") == QUIT_LOGIN
    assert flow.pop_ahead() is None and not flow.ahead


def test_a_link_dead_character_is_taken_over_by_logging_in_again() -> None:
    # The takeover itself is the hub's (it hangs up the old connection); for the new
    # connection's flow it is an ordinary login that ends in play, with lines typed
    # during the check taken as commands.
    flow = at(Stage.PASSWORD)
    assert flow.receive("right-password") == [*HIDDEN, Verify("right-password")]
    flow.receive("look")
    flow.account = ACCOUNT
    flow.play()
    assert flow.take(flow.pop_ahead() or "") == [Command("look")]


# -- whatever is typed -------------------------------------------------------------------

SECRET = "Sw0rdfish-secret"


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(
                ["aldebaran", "yes", "no", "quit", SECRET, "x", "", "fig", "1", "look"]
            ),
            st.text(max_size=60),
        ),
        max_size=12,
    ),
    st.lists(st.sampled_from(["found", "new", "wrong", "checked", "busy", "play"]), max_size=12),
)
def test_no_input_raises_or_shows_a_secret_and_pending_never_outlives_its_stage(
    lines: list[str], results: list[str]
) -> None:
    flow = LoginFlow(max_line=50, max_ahead=3)
    steps: list[Step] = flow.greet()
    for n, line in enumerate(lines):
        steps += flow.receive(line)
        while (ahead := flow.pop_ahead()) is not None:
            steps += flow.take(ahead)
        if n < len(results) and flow.stage is Stage.BUSY:
            match results[n]:
                case "found":
                    steps += flow.account_found("Aldebaran", ACCOUNT)
                case "new":
                    steps += flow.account_found("Aldebaran", None)
                case "wrong":
                    steps += flow.wrong_password()
                case "checked":
                    steps += flow.current_checked(True)
                case "busy":
                    steps += flow.name_busy()
                case _:
                    flow.account = ACCOUNT
                    flow.play()
        if flow.stage not in (Stage.NEW_PASSWORD2, Stage.PW_NEW2):
            assert flow.pending == ""
    for step in steps:
        # A secret appears only in the step that needs it, never in output.
        if isinstance(step, Send | Prompt | HangUp):
            assert SECRET not in repr(step)
