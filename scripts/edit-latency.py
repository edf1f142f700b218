#!/usr/bin/env python3
"""Edit-to-visible latency of `vellum serve`, measured the way a user sees it.

Copies the docs tree to a temp dir (the input is never modified), starts
`vellum serve` on it, then edits one page N times with random pauses and times each
edit from the write to the moment the changed text is served over HTTP (the page URL is
polled in a tight loop on a keep-alive connection). Prints median and p95, the server's
per-stage times for those rebuilds, and the time of a full `vellum build` for comparison.
Standard library only.
"""

import argparse
import http.client
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

STAGE_RE = re.compile(r"rebuilt in (\d+) ms .*load ([\d.]+) · parse ([\d.]+) · render ([\d.]+) \((\d+) pages\) · link ([\d.]+) · emit ([\d.]+) ms")


def percentile(values, p):
    """Nearest-rank percentile (p in 0..100) of a non-empty list."""
    s = sorted(values)
    k = max(0, min(len(s) - 1, int(round(p / 100 * len(s) + 0.5)) - 1))
    return s[k]


def summary(name, ms):
    return f"{name}: n={len(ms)} median {statistics.median(ms):.1f} ms · p95 {percentile(ms, 95):.1f} ms · min {min(ms):.1f} · max {max(ms):.1f}"


def start_server(binary, docs, extra):
    proc = subprocess.Popen([binary, "serve", str(docs), "--port", "0", *extra], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    log = []
    threading.Thread(target=lambda: log.extend(iter(proc.stderr.readline, "")), daemon=True).start()
    line = proc.stdout.readline()
    m = re.search(r"http://([\d.]+):(\d+)(/\S*)", line)
    if not m:
        proc.kill()
        sys.exit(f"server printed no URL: {line!r}\n{''.join(log)}")
    return proc, log, m.group(1), int(m.group(2)), m.group(3).rstrip("/")


def page_url(base, rel):
    stem = rel.rsplit(".", 1)[0]
    stem = "" if stem == "index" else stem.removesuffix("/index")
    return f"{base}/{stem}/" if stem else f"{base}/"


class Poller:
    """GETs one URL over a persistent connection."""

    def __init__(self, host, port):
        self.host, self.port = host, port
        self.conn = http.client.HTTPConnection(host, port, timeout=10)

    def get(self, path):
        for _ in range(2):
            try:
                self.conn.request("GET", path)
                r = self.conn.getresponse()
                return r.status, r.read()
            except (http.client.HTTPException, OSError):
                self.conn.close()
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=10)
        raise RuntimeError(f"GET {path} failed twice")


def measure_edits(args, docs):
    proc, log, host, port, base = start_server(args.bin, docs, ["--poll"] if args.poll else [])
    try:
        url = page_url(base, args.page)
        poller = Poller(host, port)
        status, _ = poller.get(url)
        if status != 200:
            sys.exit(f"{url}: status {status}")
        path = docs / args.page
        original = path.read_text(encoding="utf-8")
        rng = random.Random(args.seed)
        latencies = []
        for i in range(args.runs):
            time.sleep(rng.uniform(0.1, 0.4))
            marker = f"Latency marker {i} {rng.randrange(10**9)}."
            text = f"{original.rstrip()}\n\n{marker}\n"
            needle = marker.encode()
            t0 = time.perf_counter()
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            while True:
                _, body = poller.get(url)
                if needle in body:
                    break
                if time.perf_counter() - t0 > 10:
                    sys.exit(f"edit {i} never became visible\n{''.join(log[-20:])}")
            latencies.append((time.perf_counter() - t0) * 1000)
        time.sleep(0.3)
        stages = [m.groups() for m in map(STAGE_RE.search, log) if m]
        return latencies, stages, [l for l in log if l.startswith("Built ")]
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def measure_builds(args, docs, out):
    times = []
    line = ""
    for _ in range(args.builds):
        t0 = time.perf_counter()
        r = subprocess.run([args.bin, "build", str(docs), "-o", str(out)], capture_output=True, text=True)
        times.append((time.perf_counter() - t0) * 1000)
        line = next((l for l in r.stderr.splitlines() if l.startswith("Built ")), line)
    return times, line


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("docs", type=Path, help="the docs directory (it is copied; the copy is edited)")
    ap.add_argument("--bin", default="target/release/vellum", help="vellum binary (default: %(default)s)")
    ap.add_argument("--page", default="sso/jit-provisioning.mdx", help="page to edit, relative to the docs dir")
    ap.add_argument("--runs", type=int, default=40, help="number of edits (default: %(default)s)")
    ap.add_argument("--builds", type=int, default=5, help="number of full builds (default: %(default)s)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--poll", action="store_true", help="run the server with --poll")
    args = ap.parse_args()
    if not (args.docs / args.page).is_file():
        sys.exit(f"{args.docs / args.page} does not exist (choose one with --page)")
    with tempfile.TemporaryDirectory(prefix="vellum-latency-") as tmp:
        docs = Path(tmp) / "docs"
        shutil.copytree(args.docs, docs, symlinks=True)
        latencies, stages, first = measure_edits(args, docs)
        builds, build_line = measure_builds(args, docs, Path(tmp) / "out")
    print(f"edited {args.page} {len(latencies)} times (pauses 100-400 ms); server: {first[0].strip() if first else '?'}")
    print(summary("edit → visible over HTTP", latencies))
    if stages:
        cols = list(zip(*stages))
        names = ["rebuild total", "load", "parse", "render", "link", "emit"]
        picks = [cols[0], cols[1], cols[2], cols[3], cols[5], cols[6]]
        parts = [f"{n} {statistics.median(float(x) for x in c):.1f}" for n, c in zip(names, picks)]
        rendered = statistics.median(int(x) for x in cols[4])
        print(f"server rebuilds: n={len(stages)} median ms: " + " · ".join(parts) + f" (pages rendered: median {rendered})")
    print(summary("full `vellum build` (process wall time)", builds))
    if build_line:
        print(f"last build: {build_line.strip()}")
    med, p95 = statistics.median(latencies), percentile(latencies, 95)
    verdict = "within" if med <= 30 and p95 <= 80 else "OUTSIDE"
    print(f"target median ≤ 30 ms, p95 ≤ 80 ms: {verdict} target")


if __name__ == "__main__":
    main()
