#!/usr/bin/env python3
"""Build performance at scale: the real corpus and synthetic trees from vellum-gen.

For each tree, runs `vellum build` several times (each into an empty output dir; the first
run starts with an empty highlight cache, the others reuse it) under /usr/bin/time, then
twice more into the existing output (a rebuild; the second, reported, finds the spare
output the first kept, as a writer's repeated builds do), and reports
the median wall time of the warm runs (the cold one has its own column), the rebuild time, CPU time (user + sys), peak RSS, the
per-stage times vellum prints, the output size, the search-index size (raw and gzipped) and
the first-search download bound (index.json + the largest term shard + the largest doc
chunk, gzipped). Fits the growth exponent of wall time (and of each stage) against pages
over the synthetic sizes, and prints Markdown. Before a size, the time and memory it would
need are extrapolated from the sizes already run; a size predicted to exceed the budget
is skipped and reported as such. Standard library only; see scripts/bench.sh.
"""

import argparse
import gzip
import math
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

STAGES = ["load", "parse", "render", "link", "emit", "write"]
BUILT_RE = re.compile(
    r"Built (\d+) pages .* in (\d+) ms \(load (\d+) · parse (\d+) · render (\d+) · link (\d+) · emit (\d+) · write (\d+) ms\); (\d+) errors, (\d+) warnings"
)
TIME_RE = re.compile(r"^BENCH-TIME ([\d.]+) ([\d.]+) ([\d.]+) (\d+)$", re.M)


def clear(out):
    """Removes the output and the spare copy vellum keeps beside it for the next build."""
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(out.parent / f".{out.name}.vellum-prev", ignore_errors=True)


def build_once(binary, src, out, timeout, clean=True):
    """One build (from nothing when `clean`); returns a dict of measurements."""
    if clean:
        clear(out)
    cmd = ["/usr/bin/time", "-f", "BENCH-TIME %e %U %S %M", binary, "build", str(src), "-o", str(out)]
    # A cache dir of the benchmark's own, so the first run starts cold whatever ran before.
    env = {**os.environ, "VELLUM_CACHE_DIR": str(out.parent / "cache")}
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env)
    built, t = BUILT_RE.search(p.stderr), TIME_RE.search(p.stderr)
    if not built or not t:
        sys.exit(f"unexpected output from {' '.join(cmd)} (exit {p.returncode}):\n{p.stderr[-3000:]}")
    g = [int(x) for x in built.groups()]
    return {
        "built": g[0],
        "stages": dict(zip(STAGES, g[2:8])),
        "errors": g[8],
        "warnings": g[9],
        "wall": float(t.group(1)),
        "cpu": float(t.group(2)) + float(t.group(3)),
        "rss_mb": int(t.group(4)) / 1024,
    }


def gz_size(path):
    return len(gzip.compress(path.read_bytes(), compresslevel=6))


def sizes(out):
    """Output, search-index and first-search sizes in bytes."""
    total = sum(f.stat().st_size for f in out.rglob("*") if f.is_file())
    search = [f for f in (out / "search").iterdir() if f.is_file()] if (out / "search").is_dir() else []
    gz = {f.name: gz_size(f) for f in search}
    first = gz.get("index.json", 0)
    for prefix in ("s-", "d-"):
        first += max((v for k, v in gz.items() if k.startswith(prefix)), default=0)
    return {
        "output": total,
        "search_raw": sum(f.stat().st_size for f in search),
        "search_gz": sum(gz.values()),
        "search_files": len(search),
        "first_search_gz": first,
    }


def measure(name, binary, src, pages, runs, work, timeout):
    out = work / f"out-{name.replace(' ', '-')}"
    load = os.getloadavg()[0]  # other work on the machine skews the figures; shown in the table
    results = []
    for i in range(runs):
        r = build_once(binary, src, out, timeout)
        print(f"  {name} run {i + 1}/{runs}: {r['wall']:.2f} s wall, {r['rss_mb']:.0f} MB, {r['stages']}", file=sys.stderr)
        results.append(r)
    build_once(binary, src, out, timeout, clean=False)
    rebuild = build_once(binary, src, out, timeout, clean=False)
    print(f"  {name} rebuild: {rebuild['wall']:.2f} s wall, {rebuild['rss_mb']:.0f} MB", file=sys.stderr)
    # The first run has a column of its own (cold highlight cache); medians are over the others.
    warm = results[1:] or results
    med = lambda key: statistics.median(r[key] for r in warm)  # noqa: E731
    row = {
        "name": name,
        "pages": pages,
        "built": results[0]["built"],
        "runs": runs,
        "wall": med("wall"),
        "wall_cold": results[0]["wall"],
        "rebuild": rebuild["wall"],
        "cpu": med("cpu"),
        "rss_mb": max(r["rss_mb"] for r in results),
        "stages": {s: statistics.median(r["stages"][s] for r in warm) for s in STAGES},
        "errors": results[0]["errors"],
        "warnings": results[0]["warnings"],
        "load": load,
    }
    row.update(sizes(out))
    clear(out)
    return row


def fit(xs, ys):
    """Least-squares slope of log y against log x (the growth exponent)."""
    lx, ly = [math.log(x) for x in xs], [math.log(max(y, 1e-3)) for y in ys]
    mx, my = statistics.mean(lx), statistics.mean(ly)
    den = sum((a - mx) ** 2 for a in lx)
    return sum((a - mx) * (b - my) for a, b in zip(lx, ly)) / den if den else float("nan")


def predict(rows, pages, key):
    """Extrapolate `key` to `pages` from the two largest synthetic rows."""
    a, b = rows[-2:] if len(rows) >= 2 else (rows[-1], rows[-1])
    k = fit([a["pages"], b["pages"]], [a[key], b[key]]) if a is not b else 1.0
    return b[key] * (pages / b["pages"]) ** k


def machine():
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.processor())
    mem = next(int(l.split()[1]) for l in open("/proc/meminfo") if l.startswith("MemTotal"))
    return os.cpu_count(), cpu, mem / 1024 / 1024


def mb(n):
    return f"{n / 1e6:.1f}"


def report(rows, synth, skipped, gen_times, out_root):
    nproc, cpu, mem = machine()
    fs = subprocess.run(["df", "--output=fstype", str(out_root)], capture_output=True, text=True).stdout.split()[-1:]
    print(f"Machine: {nproc} cores ({cpu}), {mem:.1f} GiB RAM; outputs on {''.join(fs) or '?'}; {time.strftime('%Y-%m-%d %H:%M %Z')}\n")
    print("| Tree | Pages (built) | Runs | Wall s (median) | Wall s, cold cache | Rebuild s | CPU s | Peak RSS MB | Output MB | Search MB raw / gz (files) | First search KB gz | Errors / warnings | Load avg before |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---|---:|")
    for r in rows:
        print(
            f"| {r['name']} | {r['pages']} ({r['built']}) | {r['runs']} | {r['wall']:.2f} | {r['wall_cold']:.2f} | {r['rebuild']:.2f} | {r['cpu']:.2f} | {r['rss_mb']:.0f} | {mb(r['output'])} "
            f"| {mb(r['search_raw'])} / {mb(r['search_gz'])} ({r['search_files']}) | {r['first_search_gz'] / 1e3:.0f} | {r['errors']} / {r['warnings']} | {r['load']:.1f} |"
        )
    print("\nTime per stage (ms, median; as printed by `vellum build`):\n")
    print("| Tree | " + " | ".join(STAGES) + " | per page (ms) |")
    print("|---|" + "---:|" * (len(STAGES) + 1))
    for r in rows:
        per = 1000 * r["wall"] / r["pages"]
        print(f"| {r['name']} | " + " | ".join(f"{r['stages'][s]:.0f}" for s in STAGES) + f" | {per:.2f} |")
    if len(synth) >= 2:
        xs = [r["pages"] for r in synth]
        print(f"\nGrowth exponent over {', '.join(str(x) for x in xs)} synthetic pages (log-log slope; 1.0 = linear):\n")
        print("| Measure | Exponent |\n|---|---:|")
        for label, ys in [("wall", [r["wall"] for r in synth]), ("CPU", [r["cpu"] for r in synth]), ("peak RSS", [r["rss_mb"] for r in synth]),
                          ("output size", [r["output"] for r in synth]), ("search index", [r["search_raw"] for r in synth])] + \
                         [(f"stage {s}", [r["stages"][s] for r in synth]) for s in STAGES]:
            print(f"| {label} | {fit(xs, ys):.2f} |")
    if gen_times:
        print("\nGenerating the synthetic trees (vellum-gen): " + ", ".join(f"{n} pages {t:.1f} s" for n, t in gen_times))
    for s in skipped:
        print(f"\nSkipped: {s}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", required=True)
    ap.add_argument("--gen", required=True)
    ap.add_argument("--corpus", type=Path, help="docs dir of the real corpus")
    ap.add_argument("--work", type=Path, required=True, help="scratch dir (trees and outputs)")
    ap.add_argument("--out-root", type=Path, help="write the outputs here instead (e.g. a tmpfs, to leave the disk out)")
    ap.add_argument("--sizes", default="1000,10000", help="synthetic sizes, comma-separated")
    ap.add_argument("--large", action="store_true", help="also 100000 pages")
    ap.add_argument("--runs", type=int, default=5, help="runs for the corpus and trees up to 2000 pages")
    ap.add_argument("--large-runs", type=int, default=1, help="runs for trees above 2000 pages")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--budget-min", type=float, default=10, help="skip a size predicted to take longer than this per build")
    args = ap.parse_args()

    sizes_ = [int(s) for s in args.sizes.split(",") if s]
    if args.large and 100000 not in sizes_:
        sizes_.append(100000)
    mem_mb = machine()[2] * 1024
    rows, synth, skipped, gen_times = [], [], [], []
    timeout = args.budget_min * 60 * 3
    out_root = args.out_root or args.work
    out_root.mkdir(parents=True, exist_ok=True)
    if args.corpus:
        pages = sum(1 for p in args.corpus.rglob("*.md*") if not any(part.startswith("_") for part in p.relative_to(args.corpus).parts))
        print(f"corpus: {pages} pages", file=sys.stderr)
        rows.append(measure("corpus", args.bin, args.corpus, pages, max(args.runs, 5), out_root, timeout))
    for n in sorted(sizes_):
        if len(synth) >= 1:
            wall, rss = predict(synth, n, "wall"), predict(synth, n, "rss_mb")
            if wall > args.budget_min * 60 or rss > 0.85 * mem_mb:
                skipped.append(f"{n} pages: predicted {wall / 60:.0f} min and {rss / 1024:.1f} GB peak RSS per build "
                               f"(budget {args.budget_min:.0f} min, {mem_mb / 1024:.0f} GB RAM)")
                continue
        src = args.work / f"gen-{n}"
        shutil.rmtree(src, ignore_errors=True)
        t0 = time.monotonic()
        subprocess.run([args.gen, str(src), "--pages", str(n), "--seed", str(args.seed)], check=True)
        gen_times.append((n, time.monotonic() - t0))
        row = measure(f"synthetic {n}", args.bin, src, n, args.runs if n <= 2000 else args.large_runs, out_root, timeout)
        shutil.rmtree(src, ignore_errors=True)
        rows.append(row)
        synth.append(row)
    report(rows, synth, skipped, gen_times, out_root)


if __name__ == "__main__":
    main()
