#!/usr/bin/env bash
# Build performance at scale (see bench.py): the real corpus and synthetic trees written by
# vellum-gen, as a Markdown report on stdout (progress on stderr).
# Usage: scripts/bench.sh [--sizes 1000,10000] [--large] [--runs N] [--large-runs N] [--budget-min M]
#   --large adds 100000 pages (skipped anyway if predicted to exceed the budget or the RAM).
# Builds target/release/vellum and vellum-gen first. Needs bash, python3 and GNU time.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x /usr/bin/time ] || { echo "bench.sh needs GNU time at /usr/bin/time (apt-get install time)" >&2; exit 2; }
tgz=${CORPUS_TGZ:-../shared/corpus/workos-mcp-docs-server-0.1.0.tgz}
[ -f "$tgz" ] || tgz=/work/shared/corpus/workos-mcp-docs-server-0.1.0.tgz
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tar xzf "$tgz" -C "$work"
cargo build --release --quiet --bin vellum --bin vellum-gen
python3 scripts/bench.py --bin target/release/vellum --gen target/release/vellum-gen \
  --corpus "$work/package/.docs/organized/docs" --work "$work" "$@"
