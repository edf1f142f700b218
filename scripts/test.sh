#!/usr/bin/env bash
# The test command (see README): installs what the tests need on a Debian machine
# (Chromium, Java for the HTML checker, Node test clients, the Python MCP SDK) — each step
# skipped when already present — then runs the whole suite: unit tests, fixture snapshots,
# the real corpus, and the real servers driven by real clients and a real browser.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
command -v java >/dev/null 2>&1 || need_apt+=(default-jre-headless)
command -v node >/dev/null 2>&1 || need_apt+=(nodejs npm)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "== installing ${need_apt[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

for dir in tests/search_js tests/browser; do
  if [ -f "$dir/package.json" ] && [ ! -d "$dir/node_modules" ]; then
    echo "== npm install in $dir"
    (cd "$dir" && npm install --no-audit --no-fund --silent)
  fi
done
python3 -c 'import mcp' 2>/dev/null || { echo "== pip install mcp"; python3 -m pip install --quiet mcp; }

echo "== cargo test"
cargo test --release --all-targets -- --test-threads 2
