"""Latency of `search_docs` through the real MCP protocol over stdio.

Usage: bench.py BIN SOURCE [--calls N] [--warmup N] [--sdk]

Starts `BIN mcp SOURCE`, measures start-up (spawn → initialize answered), then times N
sequential `tools/call search_docs` round trips after a warm-up and prints p50/p95/p99.
By default it writes JSON-RPC lines to the pipe itself, so the figures are the server's
plus one pipe round trip; `--sdk` goes through the official Python SDK client instead
(adds the SDK's own per-call overhead).
"""

import argparse
import asyncio
import json
import statistics
import subprocess
import time

QUERIES = [
    "test sso", "create organization", "directory sync webhooks", "magic link", "audit logs export",
    "list users", "createOrganization", "saml certificate", "redirect uri", "mfa totp",
    "roles and permissions", "admin portal", "domain verification", "events api", "session cookie",
]


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def report(label, times_ms):
    print(f"{label}: n={len(times_ms)} p50={pct(times_ms, 50):.3f} ms p95={pct(times_ms, 95):.3f} ms "
          f"p99={pct(times_ms, 99):.3f} ms mean={statistics.mean(times_ms):.3f} ms")


def raw(args):
    t0 = time.perf_counter()
    proc = subprocess.Popen([args.bin, "mcp", args.source], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True, bufsize=1)

    def call(i, method, params):
        proc.stdin.write(json.dumps({"jsonrpc": "2.0", "id": i, "method": method, "params": params}) + "\n")
        proc.stdin.flush()
        msg = json.loads(proc.stdout.readline())
        assert msg.get("id") == i and "result" in msg, msg
        return msg["result"]

    call(0, "initialize", {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "bench", "version": "0"}})
    print(f"start-up (spawn, compile, index, initialize): {(time.perf_counter() - t0) * 1000:.0f} ms")
    proc.stdin.write(json.dumps({"jsonrpc": "2.0", "method": "notifications/initialized"}) + "\n")
    times = []
    for i in range(args.warmup + args.calls):
        q = QUERIES[i % len(QUERIES)]
        t = time.perf_counter()
        r = call(i + 1, "tools/call", {"name": "search_docs", "arguments": {"query": q}})
        dt = (time.perf_counter() - t) * 1000
        assert not r.get("isError"), r
        if i >= args.warmup:
            times.append(dt)
    proc.stdin.close()
    proc.wait(timeout=10)
    report("search_docs round trip (raw JSON-RPC over stdio)", times)


async def sdk(args):
    from mcp import Client, StdioServerParameters
    async with Client(StdioServerParameters(command=args.bin, args=["mcp", args.source]), mode="legacy") as c:
        times = []
        for i in range(args.warmup + args.calls):
            t = time.perf_counter()
            r = await c.call_tool("search_docs", {"query": QUERIES[i % len(QUERIES)]})
            dt = (time.perf_counter() - t) * 1000
            assert not r.is_error
            if i >= args.warmup:
                times.append(dt)
        report("search_docs round trip (Python SDK client)", times)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("bin")
    p.add_argument("source")
    p.add_argument("--calls", type=int, default=2000)
    p.add_argument("--warmup", type=int, default=200)
    p.add_argument("--sdk", action="store_true")
    args = p.parse_args()
    raw(args)
    if args.sdk:
        asyncio.run(sdk(args))


if __name__ == "__main__":
    main()
