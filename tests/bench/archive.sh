#!/usr/bin/env bash
# What a past report costs the build (issue 14): a generated site of N
# initiatives (tests/bench/generate_site.py) built as it is, then with its
# plan's previous report kept in content/bench/_reports/2022/ (a copy of the
# plan folder reporting on FY2022). Prints the pages and the build time of
# each (median of RUNS), and the time per page of the site and per page the
# past report added; asserts nothing.
#   bash tests/bench/archive.sh [N] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/../.."
n=${1:-10000}
runs=${2:-3}
cargo build --release -q
bin=$PWD/target/release/mieruka
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
python3 tests/bench/generate_site.py "$work/site" "$n" >/dev/null
measure() {
  local secs=() pages=0
  for _ in $(seq "$runs"); do
    /usr/bin/time -f "%e" -o "$work/time" "$bin" build --root "$work/site" --out "$work/out" > "$work/log"
    secs+=("$(cat "$work/time")")
    pages=$(sed -n 's/^built \([0-9]*\) pages.*/\1/p' "$work/log")
  done
  echo "$pages $(printf '%s\n' "${secs[@]}" | median)"
}
read -r p0 t0 <<< "$(measure)"
echo "without a past report: $p0 pages in $t0 s"
mkdir -p "$work/site/content/bench/_reports/2022"
(cd "$work/site/content/bench" && tar cf - --exclude=_reports .) | (cd "$work/site/content/bench/_reports/2022" && tar xf -)
sed -i 's/^reporting_year = "R5"/reporting_year = "R4"/' "$work/site/content/bench/_reports/2022/_plan.md"
read -r p1 t1 <<< "$(measure)"
echo "with its FY2022 report kept: $p1 pages in $t1 s"
awk -v p0="$p0" -v t0="$t0" -v p1="$p1" -v t1="$t1" 'BEGIN {
  printf "time per page: %.2f ms for the site; %.2f ms per page the past report added (%d pages, %.2f s)\n",
    t0 / p0 * 1000, (t1 - t0) / (p1 - p0) * 1000, p1 - p0, t1 - t0 }'
