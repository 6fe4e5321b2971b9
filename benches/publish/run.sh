#!/usr/bin/env bash
# Publish benchmark (a benchmark, not a test: it prints figures, nothing passes or fails).
#
#   benches/publish/run.sh [SIZES…]        (default: 10000; RUNS=3 runs each, medians reported)
#   PROFILE=debug benches/publish/run.sh …  (the dev build, whose dependencies are optimised, saves a release build)
#
# For each size N: generates N regulations (tools/gen-corpus, seed 1), ingests them with the release binary, then
# publishes the store to each real remote store, started fresh on 127.0.0.1 for every run: Oxigraph's server
# (PyPI's `oxigraph`, Graph Store PUT) and Virtuoso (Debian's `virtuoso-opensource`, Graph Store PUT, with
# --no-default-graph). Reports wall time, triples sent per second and whether the remote check passed.
# Fuseki is not measured: its server comes only from Maven Central, which this machine cannot reach.
set -euo pipefail
cd "$(dirname "$0")/../.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000)
runs="${RUNS:-3}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/akimat-kg-target}"
command -v oxigraph >/dev/null || python3 -m pip install --quiet --disable-pip-version-check "oxigraph==0.5.*"
command -v virtuoso-t >/dev/null || { apt-get update -qq && apt-get install -y -qq virtuoso-opensource >/dev/null; }
profile="${PROFILE:-release}"
if [ "$profile" = release ]; then
  cargo build --release --quiet --bin akimat-kg --bin gen-corpus
else
  cargo build --quiet --bin akimat-kg --bin gen-corpus
fi
bin="$CARGO_TARGET_DIR/$profile/akimat-kg"
gen="$CARGO_TARGET_DIR/$profile/gen-corpus"
work="${WORK:-$(mktemp -d /var/tmp/akimat-kg-publish.XXXXXX)}"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_for() { for _ in $(seq 600); do curl -sf -o /dev/null "$1" && return 0; sleep 0.2; done; echo "no answer from $1" >&2; exit 1; }

# Starts a remote store in folder $2; prints "pid endpoint graph-store update-endpoint extra-options".
start_oxigraph() {
  local port; port="$(free_port)"
  oxigraph serve --location "$1" --bind "127.0.0.1:$port" >/dev/null 2>&1 &
  wait_for "http://127.0.0.1:$port/query?query=ASK%7B%7D"
  echo "$! http://127.0.0.1:$port/query http://127.0.0.1:$port/store http://127.0.0.1:$port/update"
}
start_virtuoso() {
  local d="$1" sql http; sql="$(free_port)"; http="$(free_port)"; mkdir -p "$d"
  cat >"$d/virtuoso.ini" <<EOF
[Database]
DatabaseFile = $d/virtuoso.db
ErrorLogFile = $d/virtuoso.log
LockFile = $d/virtuoso.lck
TransactionFile = $d/virtuoso.trx
xa_persistent_file = $d/virtuoso.pxa
[TempDatabase]
DatabaseFile = $d/virtuoso-temp.db
TransactionFile = $d/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:$sql
DisableUnixSocket = 1
DirsAllowed = ., $d
NumberOfBuffers = 170000
MaxDirtyBuffers = 130000
[HTTPServer]
ServerPort = 127.0.0.1:$http
ServerRoot = $d
ServerThreads = 10
[SPARQL]
ResultSetMaxRows = 10000000
MaxQueryExecutionTime = 3600
MaxQueryCostEstimationTime = 0
EOF
  virtuoso-t +foreground +configfile "$d/virtuoso.ini" >/dev/null 2>&1 &
  local pid=$!
  wait_for "http://127.0.0.1:$http/sparql?query=ASK%7B%7D"
  isql-vt "127.0.0.1:$sql" dba dba exec="GRANT SPARQL_UPDATE TO \"SPARQL\"; DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 7);" >/dev/null
  echo "$pid http://127.0.0.1:$http/sparql http://127.0.0.1:$http/sparql-graph-crud http://127.0.0.1:$http/sparql --no-default-graph"
}

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); build: $profile; runs: $runs, medians"
printf "%-8s %-10s %10s %12s %12s %s\n" docs store "wall s" triples "triples/s" check
for n in "${sizes[@]}"; do
  corpus="$work/corpus-$n"
  "$gen" --count "$n" --seed 1 --out "$corpus" >/dev/null
  "$bin" --store "$work/store-$n" ingest --quiet "$corpus" >/dev/null
  for store in oxigraph virtuoso; do
    walls=(); triples=0; check=""
    for r in $(seq "$runs"); do
      remote="$work/remote-$store-$r"
      read -r pid endpoint gsp update extra < <("start_$store" "$remote")
      pids+=("$pid")
      start=$(date +%s.%N)
      # shellcheck disable=SC2086
      "$bin" --store "$work/store-$n" publish --endpoint "$endpoint" --graph-store "$gsp" \
        --update-endpoint "$update" $extra >"$work/publish.log" 2>&1 || true
      end=$(date +%s.%N)
      walls+=("$(echo "$end - $start" | bc -l)")
      summary="$(tail -1 "$work/publish.log")"
      triples="$(grep -o 'sending [0-9]* graphs, [0-9]* triples' "$work/publish.log" | awk '{print $4}' || true)"
      check="$(echo "$summary" | sed -n 's/.*remote check: //p')"
      kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true
      rm -rf "$remote"
    done
    wall="$(printf '%s\n' "${walls[@]}" | median)"
    printf "%-8s %-10s %10.1f %12s %12.0f %s\n" "$n" "$store" "$wall" "${triples:-?}" \
      "$(echo "${triples:-0} / $wall" | bc -l)" "${check:-$summary}"
  done
done
