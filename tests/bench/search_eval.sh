#!/usr/bin/env bash
# Search evaluation (issue 10): builds the example site with the release
# binary, serves it and runs tests/search_eval/eval.mjs, which prints
# precision, recall of exact matches, ranking violations, time and bytes for
# every query in tests/search_eval/queries.json, then a summary. Figures are
# printed, not asserted (pass --assert to apply the target). Needs what
# .ci/run installs (node modules in tests/browser, Chromium).
#   bash tests/bench/search_eval.sh [eval.mjs options: --verbose, --only q1,q2, --json FILE, --assert]
set -euo pipefail
cd "$(dirname "$0")/../.."
cargo build --release -q
bin=${CARGO_TARGET_DIR:-$PWD/target}/release/mieruka
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$work"' EXIT

"$bin" build --root "$PWD" --out "$work/site" >/dev/null
port=$((20000 + RANDOM % 20000))
node tests/bench/static_server.mjs "$work/site" "$port" &
for _ in $(seq 50); do
  curl -sf -o /dev/null "http://127.0.0.1:$port/" && break
  sleep 0.2
done
node tests/search_eval/eval.mjs --base "http://127.0.0.1:$port/" --dir "$work/site" "$@"
