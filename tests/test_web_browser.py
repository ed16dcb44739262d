"""The web client page in a real headless Chromium (Debian's ``chromium`` and
``chromium-driver``), driven by Selenium, against the real server on loopback.

Skipped cleanly when the browser or its driver is missing (``.ci/run`` installs both).
Screenshots at 1280x800 and 390x844 are written to ``tests/artifacts/``.
Selenium's calls block, so each runs in a worker thread while the server runs in the
test's event loop.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import socket
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any, TypeVar

import pytest
from fake_openai import FakeOpenAI, Fault
from mudclient import TelnetPlayer, login_existing, login_new, make_config, running_server

webdriver = pytest.importorskip("selenium.webdriver")
from selenium.common.exceptions import WebDriverException  # noqa: E402
from selenium.webdriver.chrome.options import Options  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
ARENA = str(Path(__file__).resolve().parent / "packs" / "arena")
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
T = TypeVar("T")

if (CHROMIUM is None or DRIVER is None) and os.environ.get("CI") == "true":
    # CI installs both (.ci/run): there a missing browser is a broken run, not a skip.
    raise RuntimeError("CI run without chromium and chromedriver")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None or DRIVER is None, reason="chromium and chromedriver are not installed"
)


class Browser:
    """One headless Chromium tab, with async wrappers around Selenium's blocking calls."""

    def __init__(self, driver: Any) -> None:
        self.driver = driver

    async def call(self, fn: Callable[..., T], *args: Any) -> T:
        return await asyncio.to_thread(fn, *args)

    async def open(self, url: str) -> None:
        await self.call(self.driver.get, url)

    async def output(self) -> str:
        text: str = await self.call(
            lambda: self.driver.find_element(By.ID, "output").get_attribute("textContent")
        )
        return text

    async def wait_for(self, pattern: str, timeout: float = 15.0, *, where: str = "") -> str:
        """Wait until ``pattern`` appears in the output (or in element ``where``)."""
        regex = re.compile(pattern)
        text = ""
        try:
            async with asyncio.timeout(timeout):
                while True:
                    if where:
                        text = await self.call(
                            lambda: self.driver.find_element(By.ID, where).get_attribute(
                                "textContent"
                            )
                        )
                    else:
                        text = await self.output()
                    if regex.search(text):
                        return text
                    await asyncio.sleep(0.1)
        except TimeoutError:
            tail = text[-1500:]
            message = f"timed out waiting for {pattern!r}; page shows:\n{tail}"
            raise AssertionError(message) from None

    async def type(self, line: str) -> None:
        def send() -> None:
            box = self.driver.find_element(By.ID, "input")
            box.send_keys(line)
            box.send_keys(Keys.ENTER)

        await self.call(send)

    async def attr(self, element: str, name: str) -> str:
        value: str = await self.call(
            lambda: self.driver.find_element(By.ID, element).get_attribute(name) or ""
        )
        return value

    async def screenshot(self, name: str, width: int, height: int) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / name
        await self.call(self.driver.set_window_size, width, height)
        await asyncio.sleep(0.3)
        await self.call(self.driver.save_screenshot, str(path))
        return path


@pytest.fixture
async def browser(tmp_path: Path) -> AsyncIterator[Browser]:
    options = Options()
    options.binary_location = str(CHROMIUM)
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1280,800",
        f"--user-data-dir={tmp_path / 'chromium'}",
    ):
        options.add_argument(flag)
    try:
        driver = await asyncio.to_thread(
            webdriver.Chrome, service=Service(executable_path=str(DRIVER)), options=options
        )
    except WebDriverException as exc:  # pragma: no cover - a broken browser install
        pytest.skip(f"chromium would not start: {exc.msg}")
    try:
        yield Browser(driver)
    finally:
        await asyncio.to_thread(driver.quit)


async def login_in_page(page: Browser, name: str, cls: str = "fighter") -> None:
    await page.wait_for("What is your name")
    await page.type(name)
    await page.wait_for(r"yes/no")
    await page.type("yes")
    await page.wait_for("Password:")
    assert await page.attr("input", "type") == "password"  # the page masks it
    await page.type("browser-pass")
    await page.wait_for("Repeat the password")
    assert await page.attr("input", "type") == "password"
    await page.type("browser-pass")
    text = await page.wait_for("Exits:|Your class")
    if "Your class" in text and "Exits:" not in text.split("Your class")[-1]:
        await page.type(cls)
        await page.wait_for("Exits:")
    assert await page.attr("input", "type") == "text"


async def test_browser_and_telnet_players_meet_and_the_page_works(
    tmp_path: Path, browser: Browser
) -> None:
    async with running_server(make_config(tmp_path)) as srv:
        await browser.open(f"http://127.0.0.1:{srv.web_port}/")
        await browser.wait_for("connected", where="state")
        await login_in_page(browser, "Pagey")
        # GMCP put to use: the room name and its exits as buttons.
        room = await browser.attr("room", "textContent")
        assert room
        exits = await browser.call(
            lambda: [b.text for b in browser.driver.find_elements(By.CSS_SELECTOR, "#exits button")]
        )
        assert exits

        telnet = await TelnetPlayer.connect(srv.telnet_port)
        await login_new(telnet, "Termy")
        telnet.send("say greetings, page")
        await browser.wait_for("Termy says.*greetings, page")
        await browser.wait_for("Termy", where="channels")
        await browser.type("say greetings, terminal")
        await telnet.expect("Pagey says.*greetings, terminal")
        # A search: the engine's check and the builder's own text reach the page.
        await browser.type("search the room carefully")
        await browser.wait_for(r"WIS check \d+ vs DC \d+", timeout=20)
        # Moving by clicking an exit button is seen by the telnet player.
        await browser.call(
            lambda: browser.driver.find_element(By.CSS_SELECTOR, "#exits button").click()
        )
        await telnet.expect("Pagey (leaves|goes|heads)")
        # History: arrow up brings back the commands, the clicked exit last.
        for expected in ("south", "search the room carefully"):
            await browser.call(
                lambda: browser.driver.find_element(By.ID, "input").send_keys(Keys.ARROW_UP)
            )
            assert await browser.attr("input", "value") in (expected, exits[0])
        await browser.screenshot("web-1280x800.png", 1280, 800)
        await browser.screenshot("web-390x844.png", 390, 844)
        await telnet.close()


async def test_the_hp_bar_follows_a_fight(tmp_path: Path, browser: Browser) -> None:
    # Reduced motion turns the bar's transition off, so what is drawn is final at once.
    await browser.call(
        browser.driver.execute_cdp_cmd,
        "Emulation.setEmulatedMedia",
        {"features": [{"name": "prefers-reduced-motion", "value": "reduce"}]},
    )
    async with running_server(make_config(tmp_path, content=(ARENA,))) as srv:
        await browser.open(f"http://127.0.0.1:{srv.web_port}/")
        await login_in_page(browser, "Fighty", cls="gladiator")
        await browser.wait_for(r"HP \d+/\d+", where="hptext")
        before = await browser.attr("hpbar", "aria-valuenow")
        assert int(before) > 0
        assert "width: 100%" in await browser.attr("hpfill", "style")
        drawn = await browser.call(
            browser.driver.execute_script,
            "const f = document.getElementById('hpfill').getBoundingClientRect();"
            "const b = document.getElementById('hpbar').getBoundingClientRect();"
            "return [f.width, b.width];",
        )
        assert drawn[0] == pytest.approx(drawn[1], abs=1)  # the fill is drawn, full width
        full = await browser.attr("hptext", "textContent")
        await browser.type("north")
        await browser.wait_for("Brute")
        await browser.type("attack brute")
        await browser.wait_for(r"falls, badly hurt", timeout=20)
        await browser.wait_for(rf"^(?!{re.escape(full)}$)HP \d+/\d+", where="hptext")
        after = await browser.attr("hpbar", "aria-valuenow")
        assert int(after) < int(before)
        width = float(re.findall(r"width: ([\d.]+)%", await browser.attr("hpfill", "style"))[0])
        assert width < 100 * int(after) / int(before) + 1
        assert "low" in await browser.attr("hpfill", "class")
        drawn = await browser.call(
            browser.driver.execute_script,
            "return document.getElementById('hpfill').getBoundingClientRect().width;",
        )
        assert drawn < 9 * 16 * int(after) / int(before) + 2


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_the_page_reconnects_after_a_server_restart(tmp_path: Path, browser: Browser) -> None:
    port = _free_port()
    config = make_config(tmp_path, web_port=port)
    async with running_server(config):
        await browser.open(f"http://127.0.0.1:{port}/")
        await browser.wait_for("What is your name")
    await browser.wait_for("reconnecting", where="state")
    async with running_server(config):
        await browser.wait_for("^connected$", where="state", timeout=30)
        text = await browser.output()
        assert text.count("What is your name") >= 2


async def test_screen_reader_mode_dark_scheme_and_keyboard_only(
    tmp_path: Path, browser: Browser
) -> None:
    await browser.call(
        browser.driver.execute_cdp_cmd,
        "Emulation.setEmulatedMedia",
        {"features": [{"name": "prefers-color-scheme", "value": "dark"}]},
    )
    async with running_server(make_config(tmp_path)) as srv:
        await browser.open(f"http://127.0.0.1:{srv.web_port}/")
        background = await browser.call(
            browser.driver.execute_script,
            "return getComputedStyle(document.body).backgroundColor;",
        )
        assert background == "rgb(16, 16, 20)"  # the dark palette
        # Keyboard only: the command line has focus from the start.
        focused = await browser.call(
            browser.driver.execute_script, "return document.activeElement.id;"
        )
        assert focused == "input"
        await login_in_page(browser, "Readers")
        assert await browser.attr("output", "role") == "log"
        assert await browser.attr("output", "aria-live") == "polite"
        # Shift+Tab reaches the screen-reader toggle; Space presses it.
        await browser.call(
            lambda: browser.driver.find_element(By.ID, "reader").send_keys(Keys.SPACE)
        )
        assert await browser.attr("reader", "aria-pressed") == "true"
        await browser.type("look")
        text = await browser.wait_for(r"(?s)>\s*look.*Exits:", timeout=10)
        tail = text.split("look")[-1]
        assert "┌" not in tail and "│" not in tail  # plain linear text, no box drawing
        spans_with_colour = await browser.call(
            browser.driver.execute_script,
            "const all = [...document.querySelectorAll('#output span')];"
            "const at = all.map(s => s.textContent).lastIndexOf('look');"
            "return all.slice(at + 1).filter(s => s.style.color).length;",
        )
        assert spans_with_colour == 0


NARRATION = ("The ", "lantern ", "light ", "wavers ", "and ", "the ", "shadows ", "lean ", "in.")


async def test_narration_streams_into_the_page_word_by_word(
    tmp_path: Path, browser: Browser
) -> None:
    quiet = Fault("text", tokens=("Rain ", "taps ", "the ", "glass."))
    async with FakeOpenAI(default=quiet) as fake:
        async with running_server(make_config(tmp_path, llm=fake)) as srv:
            await browser.open(f"http://127.0.0.1:{srv.web_port}/")
            await login_in_page(browser, "Streamy")
            await fake.wait_requests(1)  # the opening narration
            await browser.wait_for("Rain taps the glass.")
            fake.script(Fault("drip", tokens=NARRATION, interval=0.4))
            await browser.type("I hold the lantern high and wait")
            # Part of the sentence is on screen before the rest has been written.
            partial = await browser.wait_for(r"The lantern light", timeout=20)
            assert "shadows lean in." not in partial
            await browser.wait_for(r"The lantern light wavers and the shadows lean in\.")


async def test_after_a_dropped_connection_the_page_logs_back_in_by_name(
    tmp_path: Path, browser: Browser
) -> None:
    # Played in the browser: every reconnect (a server restart, a network blip) left the
    # player at a bare "What is your name?", the last room's buttons still in the header.
    port = _free_port()
    config = make_config(tmp_path, web_port=port)
    async with running_server(config):
        await browser.open(f"http://127.0.0.1:{port}/")
        await login_in_page(browser, "Wren")
        await browser.wait_for("Common Room", where="room")
    await browser.wait_for("reconnecting", where="state")
    assert await browser.attr("room", "textContent") == ""  # not in the game meanwhile
    async with running_server(config):
        await browser.wait_for(
            r"Connected again\. Logging in as Wren: type your password\.", timeout=30
        )
        await browser.wait_for("Password:")
        assert await browser.attr("input", "type") == "password"
        await browser.type("browser-pass")
        await browser.wait_for("Common Room", where="room")


async def test_a_line_past_the_limit_is_not_sent_and_stays_in_the_box(
    tmp_path: Path, browser: Browser
) -> None:
    # Played: an 18,904-character paste closed the socket (the frame limit) and logged
    # the player out without a word.
    async with running_server(make_config(tmp_path)) as srv:
        await browser.open(f"http://127.0.0.1:{srv.web_port}/")
        await login_in_page(browser, "Paster")
        await browser.call(
            browser.driver.execute_script,
            "document.getElementById('input').value = 'say ' + 'x'.repeat(2500);",
        )
        await browser.call(lambda: browser.driver.find_element(By.ID, "send").click())
        await browser.wait_for(r"That line is too long \(2504 characters; the limit is 2000\)")
        assert len(await browser.attr("input", "value")) == 2504
        assert await browser.attr("state", "textContent") == "connected"


async def test_a_takeover_does_not_send_the_page_back_to_the_login_over_and_over(
    tmp_path: Path, browser: Browser
) -> None:
    # Played: a second tab took the character over; the first reconnected at once to a
    # new login, timed out two minutes later, and reconnected again, for as long as it
    # stayed open.
    async with running_server(make_config(tmp_path)) as srv:
        await browser.open(f"http://127.0.0.1:{srv.web_port}/")
        await login_in_page(browser, "Twice")
        other = await TelnetPlayer.connect(srv.telnet_port)
        await login_existing(other, "Twice", "browser-pass")
        await browser.wait_for("taken over by a new connection")
        await browser.wait_for("^disconnected$", where="state")
        await asyncio.sleep(2.5)  # where a reconnect would have come by now
        assert await browser.attr("state", "textContent") == "disconnected"
        assert (await browser.output()).count("What is your name") == 1
        await other.close()


async def test_the_width_follows_the_pane_when_its_scrollbar_appears(
    tmp_path: Path, browser: Browser
) -> None:
    # Played: 110 columns were measured before the story pane had a scrollbar, 109 after,
    # and every full line left a word alone at the start of the next until the window
    # was resized.
    async with running_server(make_config(tmp_path)) as srv:
        await browser.open(f"http://127.0.0.1:{srv.web_port}/")
        await login_in_page(browser, "Wide")
        for _ in range(4):
            await browser.type("look")
            await asyncio.sleep(0.3)
        scrolls = await browser.call(
            browser.driver.execute_script,
            "const o = document.getElementById('output'); return o.scrollHeight > o.clientHeight;",
        )
        assert scrolls
        await asyncio.sleep(0.6)  # the resize is sent after a short settle
        columns = await browser.call(browser.driver.execute_script, "return window.mud.columns();")
        # What the server wraps this player's text to: the pane's width as it is now.
        hub = srv.hub
        session = hub._conns[hub._conn_of["wide"]].session
        assert session.term.width == columns


async def test_leaving_the_page_leaves_the_game_at_once(tmp_path: Path, browser: Browser) -> None:
    # Played: after the page was left for another, the character stood in the room for
    # minutes, not link-dead, and what was said to it meanwhile was lost.
    async with running_server(make_config(tmp_path)) as srv:
        await browser.open(f"http://127.0.0.1:{srv.web_port}/")
        await login_in_page(browser, "Leaver")
        cole = await TelnetPlayer.connect(srv.telnet_port)
        await login_new(cole, "Cole")
        await browser.wait_for("Cole steps into view")
        await browser.open("about:blank")
        await cole.expect(r"Leaver goes still, lost in thought \(link-dead\)", timeout=5)
        await cole.close()


async def test_a_tab_in_the_background_counts_what_is_for_the_player_in_its_title(
    tmp_path: Path, browser: Browser
) -> None:
    # The browser player's finding: with the game in a background tab, a tell and a
    # fight's "Your turn!" went unseen. The title counts them until the tab is back.
    def hidden(on: bool) -> None:
        browser.driver.execute_script(
            "Object.defineProperty(document, 'hidden', {configurable: true, get: () => %s});"
            "document.dispatchEvent(new Event('visibilitychange'));" % ("true" if on else "false")
        )

    async with running_server(make_config(tmp_path)) as srv:
        await browser.open(f"http://127.0.0.1:{srv.web_port}/")
        await login_in_page(browser, "Wren")
        cole = await TelnetPlayer.connect(srv.telnet_port)
        await login_new(cole, "Cole")
        await browser.wait_for("Cole steps into view")
        cole.send("tell wren seen at once")
        await browser.wait_for("seen at once")
        assert await browser.call(lambda: browser.driver.title) == "mud"
        await browser.call(hidden, True)
        cole.send("say nothing for you")
        await browser.wait_for("nothing for you")
        assert await browser.call(lambda: browser.driver.title) == "mud"
        cole.send("tell wren are you there?")
        cole.send("wren, hello?")
        await browser.wait_for(r"Cole asks you, 'Hello\?'")
        assert await browser.call(lambda: browser.driver.title) == "(2) mud"
        await browser.call(hidden, False)
        assert await browser.call(lambda: browser.driver.title) == "mud"
        await cole.close()


async def _pressed(browser: Browser) -> None:
    """Wait (up to 5 s) until the screen-reader button shows the mode on."""
    for _ in range(50):
        if await browser.attr("reader", "aria-pressed") == "true":
            return
        await asyncio.sleep(0.1)
    raise AssertionError("the screen-reader button never showed the mode on")


async def test_the_screen_reader_button_shows_the_games_setting(
    tmp_path: Path, browser: Browser
) -> None:
    # The browser player's finding: after a reload, the button said "off" while the game
    # read to the player linearly (the character keeps the setting). The game tells the
    # page (GMCP Char.Settings), however it was set.
    async with running_server(make_config(tmp_path)) as srv:
        await browser.open(f"http://127.0.0.1:{srv.web_port}/")
        await login_in_page(browser, "Sable")
        assert await browser.attr("reader", "aria-pressed") == "false"
        await browser.type("screenreader on")  # typed, not the button
        await browser.wait_for("Screen reader mode is now on")
        await _pressed(browser)
        await browser.type("quit")
        await browser.wait_for("Reconnect now|Goodbye|Farewell|safe travels", timeout=10)
        await browser.open(f"http://127.0.0.1:{srv.web_port}/")  # a fresh page
        assert await browser.attr("reader", "aria-pressed") == "false"
        await browser.wait_for("What is your name")
        await browser.type("Sable")
        await browser.wait_for("Password:")
        await browser.type("browser-pass")
        await browser.wait_for("Exits:")
        await _pressed(browser)
        assert "Screen reader mode: on" in await browser.call(
            lambda: browser.driver.find_element(By.ID, "reader").text
        )
