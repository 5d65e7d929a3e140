#!/usr/bin/env bash
# Save-to-reload latency of `mieruka serve` (median of several one-file
# edits), on a copy of the example site and on a generated site of 1,000
# initiatives. Prints figures; asserts nothing.
#   bash tests/bench/serve.sh [EDITS]
set -euo pipefail
cd "$(dirname "$0")/../.."
edits=${1:-9}
cargo build --release -q
bin=$PWD/target/release/mieruka
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/example" && cp -r content "$work/example/"
echo "== example site ($(find content -name '*.md' | wc -l) content files), editing one initiative"
python3 tests/bench/serve_latency.py "$bin" "$work/example" \
  "$work/example/content/musashino-johoka7/1-counter-services/01-anytime-anywhere/01-online-counters/01.md" "$edits"
python3 tests/bench/serve_latency.py "$bin" "$work/example" \
  "$work/example/content/musashino-johoka7/1-counter-services/01-anytime-anywhere/01-online-counters/01.md" "$edits" title
python3 tests/bench/generate_site.py "$work/gen" 1000 >/dev/null
echo "== generated site of 1,000 initiatives, editing one initiative"
python3 tests/bench/serve_latency.py "$bin" "$work/gen" "$work/gen/content/bench/001/00501.md" "$edits"
python3 tests/bench/serve_latency.py "$bin" "$work/gen" "$work/gen/content/bench/001/00501.md" "$edits" title
