"""`fidelity serve` under load: start-up, warm one-page check latency, 20 concurrent requests,
peak memory.

    .venv/bin/python bench/bench_serve.py                 # packaged MiniLM, as an editor runs it
    .venv/bin/python bench/bench_serve.py --embedder none --repeat 3

A fresh `fidelity serve` process (empty FIDELITY_HOME, loopback port) is started; the draft is
a one-page retelling of the seed story (seeds/001, a number and a hedge changed) checked
against five sources (the five seed articles). Printed:

  start-up          seconds until /v1/health answers "ok" (the models load before that)
  first check       the first request (empty caches)
  warm, same draft  the same request again (article and run caches hit)
  warm, edited      a new edit of the draft each time (the sources come from the cache, the
                    draft is analysed afresh): what an editor sees while revising
  20 concurrent     20 requests at once: how many were answered (200) and refused (503);
                    anything else is a failure
  peak RSS          the server process's high-water mark (VmHWM), in MB

Targets (issue #22): warm one-page check <= 1.5 s on 2 cores; 20 concurrent all answered or
refused cleanly; peak RSS <= 1.5 GB. Nothing here touches the network (loopback only).
"""

from __future__ import annotations

import argparse
import concurrent.futures
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _sources() -> list[dict[str, str]]:
    return [{"text": path.read_text("utf-8")} for path in sorted(SEEDS.glob("*.txt"))][:5]


def _draft(edit: int) -> dict[str, str]:
    text = sorted(SEEDS.glob("*.txt"))[1].read_text("utf-8")
    text = text.replace(" said", " claimed", 1)
    return {"text": text + f"\n\nThe desk added paragraph number {edit} for this revision.\n"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--embedder", default="minilm", choices=("minilm", "none"))
    parser.add_argument("--repeat", type=int, default=5, help="warm requests of each kind")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--queue", type=int, default=8)
    args = parser.parse_args()

    port = _free_port()
    home = tempfile.mkdtemp(prefix="fidelity-bench-serve-")
    env = {**os.environ, "FIDELITY_HOME": home, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    command = [
        sys.executable, "-m", "fidelity.cli", "serve", "--port", str(port),
        "--embedder", args.embedder, "--workers", str(args.workers), "--queue", str(args.queue),
        "--baseline", str(Path(home) / "baseline.json"),
    ]  # fmt: skip
    started = time.perf_counter()
    server = subprocess.Popen(command, env=env, cwd=home, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(base_url=base, timeout=300, trust_env=False) as client:
            while True:
                if server.poll() is not None:
                    print(server.stderr.read() if server.stderr else "", file=sys.stderr)
                    print("the server exited", file=sys.stderr)
                    return 1
                try:
                    if client.get("/v1/health").json().get("status") == "ok":
                        break
                except httpx.TransportError:
                    pass
                time.sleep(0.2)
            startup = time.perf_counter() - started
            sources = _sources()

            def check(edit: int) -> tuple[int, float]:
                begin = time.perf_counter()
                response = client.post(
                    "/v1/check", json={"draft": _draft(edit), "sources": sources}
                )
                return response.status_code, time.perf_counter() - begin

            first_status, first = check(0)
            assert first_status == 200, first_status
            same = [check(0)[1] for _ in range(args.repeat)]
            edited = [check(100 + n)[1] for n in range(args.repeat)]

            with concurrent.futures.ThreadPoolExecutor(max_workers=20) as pool:
                begin = time.perf_counter()
                statuses = list(pool.map(lambda n: check(1000 + n)[0], range(20)))
                burst = time.perf_counter() - begin
            peak = _peak_rss_mb(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)

    chars = len(_draft(0)["text"])
    print(f"fidelity serve (embedder {args.embedder}, workers {args.workers}, "
          f"queue {args.queue}); draft {chars} characters, {len(sources)} sources")  # fmt: skip
    print(f"start-up (models loaded)  {startup:6.2f} s")
    print(f"first check               {first:6.2f} s")
    print(f"warm, same draft          {statistics.median(same):6.2f} s median "
          f"(min {min(same):.2f}, max {max(same):.2f})")  # fmt: skip
    print(f"warm, edited draft        {statistics.median(edited):6.2f} s median "
          f"(min {min(edited):.2f}, max {max(edited):.2f})  target <= 1.5 s")  # fmt: skip
    answered, refused = statuses.count(200), statuses.count(503)
    other = len(statuses) - answered - refused
    print(f"20 concurrent             {answered} answered, {refused} refused (503), "
          f"{other} other, in {burst:.1f} s")  # fmt: skip
    print(f"peak RSS (server)         {peak:6.0f} MB  target <= 1536 MB")
    return 0 if other == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
