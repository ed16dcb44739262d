"""The password throttle under simultaneous attempts, through both real doors
(issue 15 item 2): attempts are counted before they are hashed, and the address's
budget is one for telnet and SSH together."""

from __future__ import annotations

import asyncio
from pathlib import Path

import asyncssh
import pytest
from hypothesis import given
from hypothesis import strategies as st
from mudclient import ServerHandle, TelnetPlayer, login_new, make_config, running_server

from mud.engine.accounts import LoginGate

# A real scrypt cost (16 MiB, tens of milliseconds), so that simultaneous attempts
# really overlap while they are hashed, as on a production server.
SLOW_HASH = {"hash_n": 2**14, "throttle_limit": 5}


async def _create(port: int, name: str, password: str) -> None:
    player = await TelnetPlayer.connect(port)
    await login_new(player, name, password)
    player.send("quit")
    await player.closed()


async def _ssh_login(port: int, name: str, password: str, source: str = "") -> bool:
    try:
        async with asyncssh.connect(
            "127.0.0.1",
            port,
            local_addr=(source, 0) if source else None,
            username=name,
            password=password,
            known_hosts=None,
            agent_path=None,
            client_keys=None,
            preferred_auth="password",
        ):
            return True
    except asyncssh.PermissionDenied:
        return False


async def test_sixty_simultaneous_ssh_guesses_with_the_right_one_last_stay_out(
    tmp_path: Path,
) -> None:
    config = make_config(tmp_path, limits=SLOW_HASH)
    async with running_server(config) as server:
        await _create(server.telnet_port, "Vault", "the-right-one")
        guesses = [f"wrong-guess-{i}" for i in range(59)] + ["the-right-one"]
        results = await asyncio.gather(
            *(_ssh_login(server.ssh_port, "Vault", guess) for guess in guesses)
        )
        assert results[-1] is False, "the right password got in behind 59 wrong ones"
        assert not any(results)


async def _telnet_to_password(port: int, name: str, source: str = "") -> TelnetPlayer:
    player = await TelnetPlayer.connect(port, source=source)
    await player.expect("What is your name")
    player.send(name)
    await player.expect("Password:")
    return player


async def test_ten_simultaneous_wrong_telnet_passwords_are_not_all_hashed(
    tmp_path: Path,
) -> None:
    config = make_config(tmp_path, limits=SLOW_HASH)
    async with running_server(config) as server:
        await _create(server.telnet_port, "Vault", "the-right-one")
        players = [await _telnet_to_password(server.telnet_port, "Vault") for _ in range(10)]
        for player in players:  # all at once: nothing is read in between
            player.send("wrong-guess")
        answers = [
            await player.expect("Wrong password|Too many failed logins") for player in players
        ]
        hashed = sum(a.endswith("Wrong password") for a in answers)
        refused = sum(a.endswith("Too many failed logins") for a in answers)
        assert hashed == 5 and refused == 5, answers
        for player in players:
            await player.close()


async def _telnet_wrong(port: int, password: str, source: str = "") -> None:
    player = await _telnet_to_password(port, "Vault", source)
    player.send(password)
    await player.expect("Wrong password")
    await player.close()


async def test_ssh_failures_spend_the_telnet_budget(tmp_path: Path) -> None:
    config = make_config(tmp_path, limits={"throttle_limit": 3})
    async with running_server(config) as server:
        await _create(server.telnet_port, "Vault", "the-right-one")
        for i in range(3):
            assert not await _ssh_login(server.ssh_port, "Vault", f"wrong-{i}")
        # The address spent its budget over SSH: telnet refuses it too, right or not.
        player = await _telnet_to_password(server.telnet_port, "Vault")
        player.send("the-right-one")
        await player.expect("Too many failed logins")
        out = await player.closed()
        assert "Exits:" not in out


async def test_telnet_failures_spend_the_ssh_budget(tmp_path: Path) -> None:
    config = make_config(tmp_path, limits={"throttle_limit": 3})
    async with running_server(config) as server:
        await _create(server.telnet_port, "Vault", "the-right-one")
        for i in range(3):
            await _telnet_wrong(server.telnet_port, f"wrong-{i}")
        assert not await _ssh_login(server.ssh_port, "Vault", "the-right-one")


async def test_an_unknown_ssh_account_counts_like_a_wrong_password(tmp_path: Path) -> None:
    config = make_config(tmp_path, limits={"throttle_limit": 2})
    async with running_server(config) as server:
        await _create(server.telnet_port, "Vault", "the-right-one")
        assert not await _ssh_login(server.ssh_port, "Nobody", "whatever-1")
        assert not await _ssh_login(server.ssh_port, "Noone", "whatever-2")
        assert not await _ssh_login(server.ssh_port, "Vault", "the-right-one")


async def _lock_out(server: ServerHandle, door: str = "telnet") -> None:
    """Spend Vault's account budget (4) from four strangers' addresses through ``door``;
    a fifth stranger is refused even with the right password."""
    for i in range(4):
        source = f"127.0.0.{20 + i}"
        if door == "ssh":
            assert not await _ssh_login(server.ssh_port, "Vault", f"wrong-{i}", source)
        else:
            await _telnet_wrong(server.telnet_port, f"wrong-{i}", source)
    if door == "ssh":
        assert not await _ssh_login(server.ssh_port, "Vault", "the-right-one", "127.0.0.99")
        return
    stranger = await _telnet_to_password(server.telnet_port, "Vault", source="127.0.0.99")
    stranger.send("the-right-one")
    await stranger.expect("Too many failed logins")
    await stranger.close()


@pytest.mark.parametrize("door", ["telnet", "ssh"])
async def test_the_owners_address_passes_a_lockout_strangers_caused_after_a_restart(
    tmp_path: Path, door: str
) -> None:
    # Played by a griefer (round 40): four addresses, five wrong passwords each, and the
    # owner was refused for a minute from any address that had not logged into the
    # account since the server started. The addresses are kept with the account now.
    config = make_config(tmp_path, limits={"throttle_account_limit": 4})
    async with running_server(config) as server:
        await _create(server.telnet_port, "Vault", "the-right-one")  # from 127.0.0.1
    async with running_server(config) as server:  # the gate starts empty
        # Over SSH nothing asks the hub for the account first (a password comes
        # before any lookup): the SSH check reads the kept addresses itself.
        await _lock_out(server, door)
        if door == "ssh":
            assert await _ssh_login(server.ssh_port, "Vault", "the-right-one")
        else:
            owner = await _telnet_to_password(server.telnet_port, "Vault")
            owner.send("the-right-one")
            await owner.expect("Exits:")
            await owner.close()
        # Another address the owner never used is still held to the account's budget.
        assert not await _ssh_login(server.ssh_port, "Vault", "wrong", source="127.0.0.98")


async def test_an_address_logged_in_from_is_known_only_to_its_own_account(
    tmp_path: Path,
) -> None:
    config = make_config(tmp_path, limits={"throttle_account_limit": 4})
    async with running_server(config) as server:
        await _create(server.telnet_port, "Vault", "the-right-one")
        other = await TelnetPlayer.connect(server.telnet_port, source="127.0.0.5")
        await login_new(other, "Tenant", "tenants-own")
        other.send("quit")
        await other.closed()
    async with running_server(config) as server:
        await _lock_out(server)
        # Tenant's address logged into Tenant, not Vault: it meets Vault's budget.
        player = await _telnet_to_password(server.telnet_port, "Vault", source="127.0.0.5")
        player.send("the-right-one")
        await player.expect("Too many failed logins")
        await player.close()


# -- the gate itself -----------------------------------------------------------------


def test_gate_counts_attempts_before_they_finish() -> None:
    gate = LoginGate(3, 60.0, account_limit=10)
    assert [gate.begin("1.2.3.4", "vault", 0.0) for _ in range(5)] == [True] * 3 + [False] * 2
    for _ in range(3):
        gate.end("1.2.3.4", "vault", False, 1.0)
    assert not gate.begin("1.2.3.4", "vault", 2.0)
    assert gate.begin("1.2.3.4", "vault", 62.0)  # the failures left the window


def test_gate_account_budget_spans_addresses_and_success_clears() -> None:
    gate = LoginGate(5, 60.0, account_limit=4)
    for i in range(4):
        assert gate.begin(f"10.0.0.{i}", "vault", 0.0)
        gate.end(f"10.0.0.{i}", "vault", False, 0.0)
    assert not gate.begin("10.0.0.9", "vault", 1.0)
    assert gate.begin("10.0.0.9", "other", 1.0)
    gate.end("10.0.0.9", "other", True, 1.0)
    assert gate.begin("10.0.0.0", "Vault", 61.0)
    gate.end("10.0.0.0", "Vault", True, 61.0)
    assert gate.begin("10.0.0.0", "vault", 61.0)


def test_strangers_guessing_from_many_addresses_do_not_lock_the_owner_out() -> None:
    # Played by a griefer: "Vicky" and a wrong password from eight addresses, and the
    # real Vicky was told "Too many failed logins. Try again in 1 seconds." six times in
    # seven. An address that has logged into the account is not held to its budget.
    gate = LoginGate(5, 60.0, account_limit=4)
    assert gate.begin("127.0.0.1", "vicky", 0.0)
    gate.end("127.0.0.1", "vicky", True, 0.0)  # the owner, yesterday evening
    for i in range(8):
        if gate.begin(f"127.0.0.{20 + i}", "vicky", 1.0):
            gate.end(f"127.0.0.{20 + i}", "vicky", False, 1.0)
    assert not gate.begin("127.0.0.99", "vicky", 2.0)  # a stranger meets the budget
    assert gate.retry_after("127.0.0.99", 2.0, "vicky") == 59.0  # and is told its end
    assert gate.begin("127.0.0.1", "vicky", 2.0)  # the owner does not
    gate.end("127.0.0.1", "vicky", True, 2.0)
    # Their own address's budget still holds them as it holds anyone.
    for _ in range(5):
        assert gate.begin("127.0.0.1", "vicky", 3.0)
        gate.end("127.0.0.1", "vicky", False, 3.0)
    assert not gate.begin("127.0.0.1", "vicky", 4.0)


@given(st.lists(st.tuples(st.booleans(), st.booleans()), max_size=60))
def test_gate_never_lets_more_than_limit_attempts_through_a_window(
    steps: list[tuple[bool, bool]],
) -> None:
    """Whatever the interleaving of starts and wrong answers, an address never gets more
    than ``limit`` attempts admitted in one window without a success."""
    gate = LoginGate(5, 60.0, account_limit=100)
    flying = 0
    admitted = 0
    for start, finish in steps:
        if start and gate.begin("1.1.1.1", "vault", 0.0):
            flying += 1
            admitted += 1
        if finish and flying:
            flying -= 1
            gate.end("1.1.1.1", "vault", False, 0.0)
    assert admitted <= 5
