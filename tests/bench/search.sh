#!/usr/bin/env bash
# Search benchmark: prints, for the example site and a generated site of
# 10,000 initiatives, the index size on disk, the build time with and
# without the index, the bytes a typical query downloads and the query time
# in headless Chromium. Needs what .ci/run installs (node modules, Chromium).
#   bash tests/bench/search.sh [N_INITIATIVES]
set -euo pipefail
cd "$(dirname "$0")/../.."
n=${1:-10000}
cargo build --release -q
bin=$PWD/target/release/mieruka
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$work"' EXIT

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
build_ms() { # root out [--no-search]
  "$bin" build --root "$1" --out "$2" ${3:-} | sed -n 's/.* in \([0-9]*\) ms$/\1/p'
}

bench() { # name root runs queries
  local name=$1 root=$2 runs=$3 queries=$4
  echo "== $name"
  local with=() without=()
  for _ in $(seq "$runs"); do with+=("$(build_ms "$root" "$work/$name")"); done
  for _ in $(seq "$runs"); do without+=("$(build_ms "$root" "$work/$name-plain" --no-search)"); done
  echo "  pages: $(find "$work/$name" -name '*.html' | wc -l) HTML files"
  local w o
  w=$(printf '%s\n' "${with[@]}" | median)
  o=$(printf '%s\n' "${without[@]}" | median)
  echo "  build time (median of $runs): $w ms with the index, $o ms without: the index takes $((w - o)) ms, $(((w - o) / 2)) ms per language"
  for dir in search/idx en/search/idx; do
    echo "  index $dir: $(du -s --apparent-size --block-size=1K "$work/$name/$dir" | cut -f1) KB in $(find "$work/$name/$dir" -type f | wc -l) files"
  done
  local port=$((20000 + RANDOM % 20000))
  node tests/bench/static_server.mjs "$work/$name" "$port" &
  local pid=$!
  sleep 1
  node tests/bench/search_query.mjs --base "http://127.0.0.1:$port/" --queries "$queries"
  kill "$pid"
}

bench example "$PWD" 3 "子育て,待機児童,防災,DX,令和5年度,オンライン,情報政策課,電子申請,小中学校,未着手,公共施設,コンピューター,xyzzy"
python3 tests/bench/generate_site.py "$work/gen" "$n" >/dev/null
bench "generated-$n" "$work/gen" 1 "推進,子育て,令和5年度,計画,検討,情報政策課,電子申請,公共施設,実施,xyzzy"
