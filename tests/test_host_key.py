"""The SSH host key: created once, whole, whoever starts first."""

from __future__ import annotations

import stat
import threading
from pathlib import Path

from mud.net.ssh import HOST_KEY_NAME, load_or_create_host_key


def test_starting_together_every_starter_reads_the_one_whole_key(tmp_path: Path) -> None:
    """Two gateways started at once over one host_keys folder. The key used to be
    created in place, so a second starter could read it half-written and refuse to
    start ("corrupt"): with eight starters at a barrier that happened in most rounds."""
    for round_ in range(30):
        folder = tmp_path / f"keys{round_}"
        barrier = threading.Barrier(8)
        prints: list[str] = []
        errors: list[str] = []

        def start(
            barrier: threading.Barrier = barrier,
            folder: Path = folder,
            prints: list[str] = prints,
            errors: list[str] = errors,
        ) -> None:
            barrier.wait()
            try:
                prints.append(load_or_create_host_key(folder)[1])
            except Exception as exc:  # any failure to start is what this test is about
                errors.append(repr(exc))

        threads = [threading.Thread(target=start) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=30)
        assert errors == []
        assert len(set(prints)) == 1 and len(prints) == 8
        names = sorted(p.name for p in folder.iterdir())
        assert names == [HOST_KEY_NAME, HOST_KEY_NAME + ".pub"]  # no scratch file left
        assert stat.S_IMODE((folder / HOST_KEY_NAME).stat().st_mode) == 0o600
