#!/usr/bin/env bash
# Edit-to-visible latency of `vellum serve` versus a full build (see edit-latency.py).
# Usage: scripts/edit-latency.sh [DOCS_DIR] [edit-latency.py options...]
# Without DOCS_DIR the shared corpus tarball is unpacked to a temp dir and its docs used.
# Builds target/release/vellum first.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=""
trap '[ -n "$tmp" ] && rm -rf "$tmp"' EXIT
if [ $# -gt 0 ] && [ -d "$1" ]; then
  docs=$1; shift
else
  tgz=${CORPUS_TGZ:-../shared/corpus/workos-mcp-docs-server-0.1.0.tgz}
  [ -f "$tgz" ] || tgz=/work/shared/corpus/workos-mcp-docs-server-0.1.0.tgz
  tmp=$(mktemp -d)
  tar xzf "$tgz" -C "$tmp"
  docs=$tmp/package/.docs/organized/docs
fi
cargo build --release --quiet
python3 scripts/edit-latency.py "$docs" --bin target/release/vellum "$@"
