#!/usr/bin/env bash
# What the materialised union costs, and what reading the named graphs through Oxigraph's own union view would cost
# instead (a benchmark, not a test: it prints figures, nothing passes or fails).
#
#   benches/scale/union.sh [N]        (default 1000 generated regulations; RUNS=3 runs each, medians reported)
#
# The store keeps its default graph equal to the union, as a set, of its named graphs (docs/model.md). For N
# generated regulations this script ingests them, then
# - counts the quads of the named graphs and the triples of the default graph, and times Oxigraph's bulk loader on
#   the named graphs alone and on the named graphs plus the default graph (the cost of writing the union);
# - times every query of queries/ with the `oxigraph` command on a copy of the store (its default graph) and on a
#   store of the named graphs alone read with `--union-default-graph` (Oxigraph's view, which repeats a triple once
#   per graph holding it), with a timeout of TIMEOUT seconds (default 30), and says whether the rows are the same.
set -euo pipefail
cd "$(dirname "$0")/../.."
n="${1:-1000}"
runs="${RUNS:-3}"
limit="${TIMEOUT:-30}"
source benches/scale/setup.sh union
# The wall seconds of a command whose output goes to the file $1.
seconds() { local out="$1" s e; shift; s=$(date +%s.%N); "$@" >"$out" 2>/dev/null || true; e=$(date +%s.%N); echo "$e - $s" | bc -l; }

"$gen" --count "$n" --seed 1 --out "$work/corpus" >/dev/null
"$bin" --store "$work/store" ingest --quiet "$work/corpus" >/dev/null 2>&1
"$bin" --store "$work/store" export --format nquads -o "$work/named.nq"
"$bin" --store "$work/store" export --format ntriples -o "$work/default.nt"
cat "$work/named.nq" "$work/default.nt" >"$work/all.nq"
echo "$n documents: $(wc -l <"$work/named.nq") quads in named graphs, $(wc -l <"$work/default.nt") triples in the default graph"
for what in named all; do
  walls=()
  for r in $(seq "$runs"); do
    rm -rf "$work/ox"
    walls+=("$(seconds /dev/null oxigraph load --location "$work/ox" --file "$work/$what.nq")")
  done
  printf "oxigraph load of %-28s %8.2f s  %s on disk\n" "$([ "$what" = named ] && echo "the named graphs" || echo "named graphs + default graph")" \
    "$(printf '%s\n' "${walls[@]}" | median)" "$(du -sh "$work/ox" | cut -f1)"
done
rm -rf "$work/ox"
oxigraph load --location "$work/ox" --file "$work/named.nq" >/dev/null 2>&1
cp -r "$work/store" "$work/copy"

printf "\n%-32s %12s %12s %8s %8s %s\n" query "union (s)" "view (s)" rows "rows" same
for q in queries/*.rq; do
  name="$(basename "$q" .rq)"
  a=(); b=()
  for r in $(seq "$runs"); do
    a+=("$(seconds "$work/a.csv" timeout "$limit" oxigraph query --location "$work/copy" --query-file "$q" --results-format csv)")
  done
  for r in $(seq "$runs"); do
    b+=("$(seconds "$work/b.csv" timeout "$limit" oxigraph query --location "$work/ox" --union-default-graph --query-file "$q" --results-format csv)")
    # A query past the timeout is not run again.
    [ "$(printf '%.0f' "${b[-1]}")" -lt "$limit" ] || break
  done
  same=no
  cmp -s <(sort "$work/a.csv") <(sort "$work/b.csv") && same=yes
  printf "%-32s %12.3f %12.3f %8d %8d %s\n" "$name" "$(printf '%s\n' "${a[@]}" | median)" \
    "$(printf '%s\n' "${b[@]}" | median)" "$(wc -l <"$work/a.csv")" "$(wc -l <"$work/b.csv")" "$same"
done
