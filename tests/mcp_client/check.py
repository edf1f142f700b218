"""End-to-end check of `vellum mcp` with the official MCP Python SDK (`pip install mcp`).

Usage: check.py BIN SOURCE [--changelog FILE] [--query Q --expect PAGE] [--calls N] [--no-http]

Starts `BIN mcp SOURCE` over stdio, once per protocol era (the `initialize` handshake and
the 2026 per-request envelope), and checks every tool with good and bad arguments, the
resources, a path-traversal attempt, an unknown tool, and N sequential calls; then the same
over Streamable HTTP (`--http 0`, N/10 calls). A raw pass
also checks that stdout carries nothing but JSON-RPC. Exits non-zero on the first failure.
"""

import argparse
import asyncio
import json
import subprocess
import sys
import threading
import time

from mcp import Client, MCPError, StdioServerParameters

TOOLS = {"search_docs", "read_doc", "list_docs", "get_changelog"}
SECRETS = ("root:", "/bin/bash", "/bin/sh", "[package]")


def check(cond, what):
    if not cond:
        raise AssertionError(what)


def text_of(result):
    return "\n".join(c.text for c in result.content if getattr(c, "type", "") == "text")


async def ok(client, tool, args):
    r = await client.call_tool(tool, args)
    check(not r.is_error, f"{tool} {args} failed: {text_of(r)[:500]}")
    return text_of(r), r


async def tool_error(client, tool, args, needle=""):
    r = await client.call_tool(tool, args)
    t = text_of(r)
    check(r.is_error, f"{tool} {args} should be a tool error, got: {t[:300]}")
    check(needle.lower() in t.lower(), f"{tool} {args}: error {t[:300]!r} lacks {needle!r}")
    check(not any(s in t for s in SECRETS), f"{tool} {args} leaked: {t[:300]}")
    return t


async def protocol_error(coro, what):
    try:
        await coro
    except MCPError as e:
        return e
    raise AssertionError(f"{what} should be a protocol error")


def serve_args(args):
    return ["mcp", args.source] + (["--changelog", args.changelog] if args.changelog else [])


async def session(args, mode, url=None, calls=None):
    server = url or StdioServerParameters(command=args.bin, args=serve_args(args))
    label = f"{'http' if url else 'stdio'}/{mode}"
    calls = args.calls if calls is None else calls
    async with Client(server, mode=mode, read_timeout_seconds=60) as client:
        # initialize / discover
        check(client.server_info is not None and client.server_info.name == "vellum", f"server info: {client.server_info}")
        caps = client.server_capabilities
        check(caps.tools is not None and caps.resources is not None, f"capabilities: {caps}")
        instructions = client.instructions or ""
        check(all(t in instructions for t in ("search_docs", "read_doc", "list_docs")), f"instructions: {instructions}")

        # tools/list: names, schemas, descriptions
        tools = {t.name: t for t in (await client.list_tools()).tools}
        check(set(tools) == TOOLS, f"tools: {sorted(tools)}")
        for t in tools.values():
            s = t.input_schema
            check(s.get("type") == "object" and s.get("additionalProperties") is False, f"{t.name} schema: {s}")
            check(len(t.description or "") > 40, f"{t.name} description too short")
        check(tools["search_docs"].input_schema.get("required") == ["query"], "search_docs requires query")
        check(tools["read_doc"].input_schema.get("required") == ["path"], "read_doc requires path")
        check("limit" in tools["search_docs"].input_schema["properties"], "search_docs has limit")

        # search_docs
        text, r = await ok(client, "search_docs", {"query": args.query})
        hits = (r.structured_content or {}).get("hits", [])
        check(hits, f"no hits for {args.query!r}: {text[:300]}")
        check(hits[0]["page"] == args.expect, f"first hit for {args.query!r} is {hits[0]['page']}, expected {args.expect}")
        check("read_doc" in text and args.expect in text, f"search text: {text[:300]}")
        text, r = await ok(client, "search_docs", {"query": args.query, "limit": 1})
        check(len(r.structured_content["hits"]) == 1, "limit 1")
        await ok(client, "search_docs", {"query": "zzzqqqxxyy"})
        await tool_error(client, "search_docs", {}, "query")
        await tool_error(client, "search_docs", {"query": 5}, "")
        await tool_error(client, "search_docs", {"query": ""}, "empty")
        await tool_error(client, "search_docs", {"query": "   "}, "empty")
        for bad in (0, -1, 10**9, 10**30):
            await tool_error(client, "search_docs", {"query": args.query, "limit": bad}, "")
        await tool_error(client, "search_docs", {"query": args.query, "limit": "ten"}, "")
        await tool_error(client, "search_docs", {"query": args.query, "bogus": 1}, "bogus")

        # read_doc: every spelling, anchors, unknown paths, traversal
        text, _ = await ok(client, "read_doc", {"path": args.expect})
        check(text.startswith("# ") and "Navigation for " + args.expect in text, f"read_doc text: {text[:300]}")
        bare = args.expect.strip("/")
        for spelling in (bare, args.expect + "/", args.expect + ".md", args.expect + ".html", "docs://" + bare):
            t, _ = await ok(client, "read_doc", {"path": spelling})
            check(t == text, f"read_doc {spelling!r} differs from {args.expect!r}")
        anchored = next((h["path"] for h in hits if "#" in h["path"]), None)
        if anchored:
            t, _ = await ok(client, "read_doc", {"path": anchored})
            check(t.startswith("[Requested section:"), f"anchor note missing: {t[:200]}")
        t, _ = await ok(client, "read_doc", {"path": args.expect + "#no-such-anchor"})
        check(t.startswith("[No section #no-such-anchor"), f"missing-anchor note: {t[:200]}")
        t = await tool_error(client, "read_doc", {"path": args.expect + "x"}, "no page")
        check(args.expect in t, f"suggestions for a typo should include {args.expect}: {t}")
        for evil in ("../../../etc/passwd", "/etc/passwd", "file:///etc/passwd", "docs://../../etc/passwd", "/..%2f..%2fetc/passwd", "../../Cargo.toml", "~/.ssh/id_rsa", "\u0000"):
            await tool_error(client, "read_doc", {"path": evil}, "no page")
        await tool_error(client, "read_doc", {}, "path")
        await tool_error(client, "read_doc", {"path": 12}, "")
        await tool_error(client, "read_doc", {"path": "x" * 5000}, "longer")

        # list_docs
        text, _ = await ok(client, "list_docs", {})
        check(text.startswith("# Documentation sections"), f"list_docs: {text[:200]}")
        folder = text.split("folder `", 1)[1].split("`", 1)[0]
        t, _ = await ok(client, "list_docs", {"path": folder})
        check(t.startswith("# ") and " — /" in t, f"list_docs {folder}: {t[:300]}")
        await ok(client, "list_docs", {"path": args.expect})
        await tool_error(client, "list_docs", {"path": "/no/such/section"}, "no page")
        await tool_error(client, "list_docs", {"path": 3}, "")

        # get_changelog
        if args.changelog:
            t, _ = await ok(client, "get_changelog", {})
            check(t.startswith("# Changelog:"), f"changelog: {t[:200]}")
            dates = [line[3:13] for line in t.splitlines() if line.startswith("## ")]
            check(dates == sorted(dates, reverse=True), "changelog newest first")
            t, _ = await ok(client, "get_changelog", {"limit": 2, "since": "2000-01-01"})
            check(t.count("\n## ") == 2, f"limit 2: {t[:300]}")
            t, _ = await ok(client, "get_changelog", {"since": "2999-01-01"})
            check("No changelog entries" in t, t)
        else:
            await tool_error(client, "get_changelog", {}, "no changelog")
        await tool_error(client, "get_changelog", {"since": "last week"}, "YYYY-MM-DD")
        await tool_error(client, "get_changelog", {"limit": 0}, "limit")

        # unknown tool: a protocol error, and the server keeps running
        e = await protocol_error(client.call_tool("no_such_tool", {}), "unknown tool")
        check("unknown tool `no_such_tool`" in e.message, f"unknown tool message: {e.message}")

        # resources: paginate through all, read some, reject unknown ones
        uris, cursor, pages = [], None, 0
        while True:
            page = await client.list_resources(cursor=cursor)
            pages += 1
            for res in page.resources:
                check(res.uri.startswith("docs://") and res.mime_type == "text/markdown", f"resource {res}")
                uris.append(res.uri)
            cursor = page.next_cursor
            if not cursor or pages > 100:
                break
        check(len(uris) == len(set(uris)) and uris, f"{len(uris)} resources, duplicates?")
        check("docs://" + bare in uris, f"docs://{bare} not listed")
        templates = await client.list_resource_templates()
        check(templates.resource_templates[0].uri_template == "docs://{path}", "template")
        got = await client.read_resource("docs://" + bare)
        check(got.contents[0].text.startswith("# ") and got.contents[0].mime_type == "text/markdown", "resource read")
        await client.read_resource(uris[-1])
        for bad in ("docs://no/such/page", "docs://../../etc/passwd", "file:///etc/passwd"):
            e = await protocol_error(client.read_resource(bad), f"read_resource {bad}")
            check(not any(s in e.message for s in SECRETS), f"{bad} leaked: {e.message}")
        await protocol_error(client.list_resources(cursor="not-a-number"), "bad cursor")

        # many sequential calls
        start = time.perf_counter()
        for i in range(calls):
            tool, call_args = [
                ("search_docs", {"query": args.query, "limit": 5}),
                ("read_doc", {"path": args.expect}),
                ("list_docs", {}),
                ("search_docs", {"query": f"word{i}"}),
            ][i % 4]
            r = await client.call_tool(tool, call_args)
            check(not r.is_error, f"call {i} {tool} failed: {text_of(r)[:200]}")
        elapsed = time.perf_counter() - start
        print(f"[{label}] protocol {client.protocol_version}: {calls} sequential calls in {elapsed:.2f}s ({elapsed / max(calls, 1) * 1000:.2f} ms/call), {len(uris)} resources in {pages} pages")


def over_http(args):
    """The same checks over Streamable HTTP: `--http 0` picks a free port and prints it."""
    proc = subprocess.Popen([args.bin] + serve_args(args) + ["--http", "0"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        url = None
        for line in proc.stderr:
            if "Streamable HTTP at " in line:
                url = line.split("Streamable HTTP at ", 1)[1].split()[0]
                break
        check(url and url.startswith("http://127.0.0.1:"), f"no HTTP address printed (exit code {proc.poll()})")
        threading.Thread(target=proc.stderr.read, daemon=True).start()
        for mode in args.modes.split(","):
            asyncio.run(session(args, mode, url, calls=max(args.calls // 10, 1)))
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def raw_stdout_is_json_rpc(args):
    """Drive the server with raw JSON lines: every stdout line must be a JSON-RPC message."""
    cmd = [args.bin, "mcp", args.source]
    msgs = [
        {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "raw", "version": "0"}}},
        {"jsonrpc": "2.0", "method": "notifications/initialized"},
        {"jsonrpc": "2.0", "id": 2, "method": "tools/list"},
        {"jsonrpc": "2.0", "id": 3, "method": "tools/call", "params": {"name": "nope", "arguments": {}}},
        {"jsonrpc": "2.0", "id": 4, "method": "no/such/method"},
        {"jsonrpc": "2.0", "id": 5, "method": "tools/call", "params": {"name": "read_doc", "arguments": {"path": "../../../etc/passwd"}}},
    ]
    stdin = "".join(json.dumps(m) + "\n" for m in msgs)
    out = subprocess.run(cmd, input=stdin, capture_output=True, text=True, timeout=120)
    lines = [line for line in out.stdout.splitlines() if line.strip()]
    by_id = {}
    for line in lines:
        msg = json.loads(line)
        check(msg.get("jsonrpc") == "2.0", f"not JSON-RPC on stdout: {line[:200]}")
        if "id" in msg:
            by_id[msg["id"]] = msg
    check(by_id[1]["result"]["protocolVersion"] == "2025-06-18", f"negotiated {by_id[1]}")
    check(len(by_id[2]["result"]["tools"]) == 4, "raw tools/list")
    err = by_id[3].get("error", {})
    check(err.get("code") == -32602 and "search_docs" in err.get("message", ""), f"unknown tool must be a protocol error naming the tools: {by_id[3]}")
    check("error" in by_id[4], f"unknown method must be a protocol error: {by_id[4]}")
    check(by_id[5]["result"]["isError"] is True and "root:" not in json.dumps(by_id[5]), f"traversal: {by_id[5]}")
    check("vellum mcp:" in out.stderr, f"start-up line missing from stderr: {out.stderr[:300]}")
    print(f"raw: {len(lines)} JSON-RPC lines on stdout, nothing else")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("bin")
    p.add_argument("source")
    p.add_argument("--changelog")
    p.add_argument("--query", default="test sso")
    p.add_argument("--expect", default="/sso/test-sso")
    p.add_argument("--calls", type=int, default=1000)
    p.add_argument("--modes", default="legacy,auto")
    p.add_argument("--no-http", action="store_true", help="skip the Streamable HTTP pass")
    args = p.parse_args()
    raw_stdout_is_json_rpc(args)
    for mode in args.modes.split(","):
        asyncio.run(session(args, mode))
    if not args.no_http:
        over_http(args)
    print("mcp check: ok")


def failures(e):
    """The assertion messages inside `e`, unwrapping anyio's exception groups."""
    if isinstance(e, AssertionError):
        return [str(e)]
    return [m for sub in getattr(e, "exceptions", ()) for m in failures(sub)]


if __name__ == "__main__":
    try:
        main()
    except Exception as e:
        msgs = failures(e)
        if not msgs:
            raise
        print("mcp check FAILED: " + "; ".join(msgs), file=sys.stderr)
        sys.exit(1)
