"""The operator packaging: the systemd unit passes systemd-analyze, the Dockerfile keeps
its promises (non-root, state in a volume, every door's port). Docker cannot run here, so the
Dockerfile is checked as text against what the README says of it."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
UNIT = ROOT / "packaging" / "mud.service"


def verify(unit_text: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    # The unit names /opt/mud/bin/mud, which verify requires to exist: point it at this
    # checkout's installed command instead; nothing else is changed.
    mud = Path(shutil.which("mud") or ROOT / ".venv" / "bin" / "mud")
    path = tmp_path / "mud.service"
    path.write_text(unit_text.replace("/opt/mud/bin/mud", str(mud)))
    return subprocess.run(
        ["systemd-analyze", "verify", str(path)], capture_output=True, text=True, timeout=60
    )


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="needs systemd-analyze")
def test_the_systemd_unit_passes_systemd_analyze_verify(tmp_path: Path) -> None:
    text = UNIT.read_text(encoding="utf-8")
    result = verify(text, tmp_path)
    assert result.returncode == 0 and result.stderr == "", result.stderr
    # The check is real: a mistake in the same unit is caught.
    broken = verify(text.replace("Restart=on-failure", "Restart=sometimes"), tmp_path)
    assert "restart specifier" in broken.stderr, broken.stderr


def test_the_unit_restarts_on_failure_but_not_on_a_bad_configuration() -> None:
    settings = dict(
        line.split("=", 1)
        for line in UNIT.read_text(encoding="utf-8").splitlines()
        if "=" in line and not line.startswith("#")
    )
    assert settings["Restart"] == "on-failure"
    assert settings["RestartPreventExitStatus"] == "2"  # mud.cli.EXIT_CONFIG
    assert settings["ExecReload"] == "/bin/kill -HUP $MAINPID"
    assert settings["Environment"] == "MUD_STATE_DIR=/var/lib/mud"
    assert settings["StateDirectory"] == "mud" and settings["User"] == "mud"


def test_the_dockerfile_runs_unprivileged_with_state_in_a_volume() -> None:
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    instructions = [line for line in text.splitlines() if line and not line.startswith(("#", " "))]
    users = [line.split()[1] for line in instructions if line.startswith("USER ")]
    assert users and users[-1] not in ("root", "0")
    assert 'VOLUME ["/var/lib/mud"]' in instructions
    assert re.search(r"MUD_STATE_DIR=/var/lib/mud\b", text)
    exposed = {p for line in instructions if line.startswith("EXPOSE ") for p in line.split()[1:]}
    assert exposed == {"4000", "2222", "4080"}  # telnet, SSH, the browser door
    assert 'ENTRYPOINT ["mud"]' in instructions and 'CMD ["serve"]' in instructions
    # The build context: only what the install needs, never local state or secrets.
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    assert {".venv", "*.db", "host_keys", ".git"} <= set(ignored)
    copied = [line.split()[1:-1] for line in instructions if line.startswith("COPY ")]
    assert sorted(p for group in copied for p in group) == sorted(
        ["pyproject.toml", "README.md", "mud", "content"]
    )
