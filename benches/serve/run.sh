#!/usr/bin/env bash
# Load benchmark of `akimat-kg serve` against the stock `oxigraph serve-read-only` (the oxigraph package from PyPI,
# the same Oxigraph version as the crate) on the same store and the same three queries, with wrk (Debian's package)
# as the load generator. Not a test: it prints throughput and latency, nothing passes or fails.
#
#   benches/serve/run.sh [SECONDS] [CONNECTIONS]
#
# Installs what it needs (wrk, oxigraph from PyPI), builds the release binary, ingests data/regulations into a
# fresh store, starts both servers read-only on it, checks that they give the same answers, then runs each query
# against each server: akimat-kg with its answer cache (the default), akimat-kg with --cache-mb 0, and oxigraph.
# Each run is repeated RUNS times (default 3) and the median throughput is reported.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${1:-10}"
connections="${2:-16}"
runs="${RUNS:-3}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/akimat-kg-target}"

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
command -v oxigraph >/dev/null || python3 -m pip install --quiet --disable-pip-version-check "oxigraph==0.5.*"
cargo build --release --quiet
bin="$CARGO_TARGET_DIR/release/akimat-kg"

work="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
"$bin" --store "$work/store" ingest --quiet data/regulations
triples="$("$bin" --store "$work/store" query --format csv -e 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }' | tail -1)"

port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_for() { for _ in $(seq 100); do curl -sf "$1" >/dev/null && return 0; sleep 0.1; done; echo "no answer from $1" >&2; exit 1; }
p_cache="$(port)"; p_nocache="$(port)"; p_ox="$(port)"
"$bin" --store "$work/store" serve --bind "127.0.0.1:$p_cache" --access-log /dev/null & pids+=($!)
"$bin" --store "$work/store" serve --bind "127.0.0.1:$p_nocache" --cache-mb 0 --access-log /dev/null & pids+=($!)
oxigraph serve-read-only --location "$work/store" --bind "127.0.0.1:$p_ox" >/dev/null 2>&1 & pids+=($!)
wait_for "http://127.0.0.1:$p_cache/health"
wait_for "http://127.0.0.1:$p_nocache/health"
wait_for "http://127.0.0.1:$p_ox/query?query=ASK%7B%7D"

declare -A queries=(
  [institution-lookup]=benches/serve/institution-lookup.rq
  [competence-matrix]=queries/competence-matrix.rq
  [label-filter]=benches/serve/label-filter.rq
)
# The same answers from both servers, or the comparison means nothing.
for name in "${!queries[@]}"; do
  a="$(curl -s -G -H 'Accept: text/csv' --data-urlencode "query@${queries[$name]}" "http://127.0.0.1:$p_nocache/sparql" | sort | md5sum)"
  b="$(curl -s -G -H 'Accept: text/csv' --data-urlencode "query@${queries[$name]}" "http://127.0.0.1:$p_ox/query" | sort | md5sum)"
  rows="$(curl -s -G -H 'Accept: text/csv' --data-urlencode "query@${queries[$name]}" "http://127.0.0.1:$p_ox/query" | tail -n +2 | wc -l)"
  [ "$a" = "$b" ] || { echo "different answers to $name" >&2; exit 1; }
  echo "$name: $rows rows, same answer from both servers"
done

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo
echo "store: $triples triples (data/regulations); wrk: 2 threads, $connections connections, ${seconds}s per run, median of $runs runs"
printf "%-20s %-24s %12s %10s %10s %8s\n" query server "req/s" "p50 ms" "p99 ms" errors
for name in institution-lookup competence-matrix label-filter; do
  for server in "akimat-kg (cache)" "akimat-kg (no cache)" "oxigraph serve-read-only"; do
    case "$server" in
      "akimat-kg (cache)") url="http://127.0.0.1:$p_cache/sparql" ;;
      "akimat-kg (no cache)") url="http://127.0.0.1:$p_nocache/sparql" ;;
      *) url="http://127.0.0.1:$p_ox/query" ;;
    esac
    results=()
    for _ in $(seq "$runs"); do
      results+=("$(QUERY_FILE="${queries[$name]}" wrk -t2 -c"$connections" -d"${seconds}s" -s benches/serve/get.lua "$url" | grep '^RESULT')")
    done
    rps="$(printf '%s\n' "${results[@]}" | sed 's/.*rps=\([0-9.]*\).*/\1/' | median)"
    # The run with the median throughput gives the latencies.
    line="$(printf '%s\n' "${results[@]}" | grep "rps=$rps " | head -1)"
    p50="$(echo "$line" | sed 's/.*p50_ms=\([0-9.]*\).*/\1/')"
    p99="$(echo "$line" | sed 's/.*p99_ms=\([0-9.]*\).*/\1/')"
    errors="$(echo "$line" | sed 's/.*errors=\([0-9]*\) non2xx=\([0-9]*\).*/\1+\2/')"
    printf "%-20s %-24s %12s %10s %10s %8s\n" "$name" "$server" "$rps" "$p50" "$p99" "$errors"
  done
done
