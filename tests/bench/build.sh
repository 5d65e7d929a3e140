#!/usr/bin/env bash
# Build time and peak memory of `mieruka build` on generated sites of 1,000,
# 10,000 and 100,000 initiatives (tests/bench/generate_site.py), with and
# without the search index, and the size of the largest page. Prints
# figures (median of RUNS builds into the same output folder, as a staff
# member rebuilds); asserts nothing. The side-by-side comparison with Hugo
# and Pagefind is ../shared/bench/peers/.
#   bash tests/bench/build.sh ["1000 10000 100000"] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/../.."
sizes=${1:-"1000 10000 100000"}
runs=${2:-3}
cargo build --release -q
bin=$PWD/target/release/mieruka
echo "binary: $(stat -c %s "$bin" | awk '{printf "%.1f MB", $1 / 1e6}') (target/release/mieruka)"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
for n in $sizes; do
  python3 tests/bench/generate_site.py "$work/site$n" "$n" >/dev/null
  for mode in --no-search ""; do
    label=${mode:-"with search"}; label=${label/--no-search/no search}
    secs=() mems=()
    for _ in $(seq "$runs"); do
      /usr/bin/time -f "%e %M" -o "$work/time" "$bin" build $mode --root "$work/site$n" --out "$work/out$n" >/dev/null
      read -r s m < "$work/time"
      secs+=("$s"); mems+=("$m")
    done
    s=$(printf '%s\n' "${secs[@]}" | median)
    m=$(printf '%s\n' "${mems[@]}" | median)
    echo "$n initiatives, $label: ${s} s, peak $((m / 1024)) MiB (median of $runs)"
  done
  big=$(find "$work/out$n" -name '*.html' -printf '%s %P\n' | sort -n | tail -1)
  echo "  $(find "$work/out$n" -type f | wc -l) files, $(du -sm --apparent-size "$work/out$n" | cut -f1) MB; largest page ${big% *} bytes (${big#* })"
  rm -rf "$work/out$n" "$work/.out$n.spare" "$work/site$n"
done
