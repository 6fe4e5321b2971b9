#!/usr/bin/env bash
# Scale benchmark of ingestion and queries (a benchmark, not a test: it prints figures, nothing passes or fails).
#
#   benches/scale/run.sh [SIZES…]        (default: 1000 10000; RUNS=3 runs each, medians reported)
#
# For each size N: generates N regulations from the shipped corpus (tools/gen-corpus, seed 1), ingests them into
# a fresh store with the release binary (wall time, quads/s, peak RSS from /usr/bin/time; also without the
# compaction the run ends with), exports every quad of the store (named graphs and the default graph) as N-Quads
# and loads the same quads into a fresh Oxigraph store with Oxigraph's own bulk loader (`oxigraph load`, PyPI's
# oxigraph, the same Oxigraph version), then compacts it (`oxigraph optimize`), as the reference limit. On the largest store it then times every query of queries/ (`akimat-kg query`, process start and store
# opening included).
set -euo pipefail
cd "$(dirname "$0")/../.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000)
runs="${RUNS:-3}"
source benches/scale/setup.sh scale

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); runs: $runs, medians"
printf "%-8s %-30s %10s %12s %12s %10s\n" docs what "wall s" "quads" "quads/s" "RSS MB"
for n in "${sizes[@]}"; do
  corpus="$work/corpus-$n"
  "$gen" --count "$n" --seed 1 --out "$corpus" >/dev/null
  walls=(); rsss=(); bares=(); quads=0
  for r in $(seq "$runs"); do
    rm -rf "$work/store-$n"
    /usr/bin/time -f "%e %M" -o "$work/time" "$bin" --store "$work/store-$n" ingest --quiet "$corpus" >"$work/ingest.log" 2>&1 || true
    # The summary line (`N files: … 0 failed; …`), which other lines may follow.
    summary="$(grep -E '^[0-9]+ files: ' "$work/ingest.log" | tail -1)"
    grep -q " 0 failed" <<<"$summary" || { tail -3 "$work/ingest.log"; exit 1; }
    read -r wall rss <"$work/time"
    # The run ends by compacting the store (it says how long that took): the time without it is kept as well.
    compaction="$(sed -n 's/.*store compacted in \([0-9.]*\) s.*/\1/p' <<<"$summary")"
    walls+=("$wall"); rsss+=("$rss"); bares+=("$(echo "$wall - ${compaction:-0}" | bc -l)")
  done
  wall="$(printf '%s\n' "${walls[@]}" | median)"
  rss="$(printf '%s\n' "${rsss[@]}" | median)"
  bare="$(printf '%s\n' "${bares[@]}" | median)"
  # Every quad of the store: the named graphs (documents, provenance, ontology) as N-Quads, then the default graph
  # (the union the store materialises, which a quad export leaves out) as N-Triples, each line of which is an
  # N-Quads line in the default graph. The reference loads exactly these quads.
  "$bin" --store "$work/store-$n" export --format nquads -o "$work/export-$n.nq"
  "$bin" --store "$work/store-$n" export --format ntriples -o "$work/default-$n.nt"
  named="$(wc -l <"$work/export-$n.nq")"
  cat "$work/default-$n.nt" >>"$work/export-$n.nq"
  rm "$work/default-$n.nt"
  quads="$(wc -l <"$work/export-$n.nq")"
  echo "$n documents: $quads quads ($named in named graphs, $((quads - named)) in the default graph)"
  row() { printf "%-8s %-30s %10.2f %12s %12.0f %10s\n" "$n" "$1" "$2" "$quads" "$(echo "$quads / $2" | bc -l)" "$3"; }
  row "akimat-kg ingest" "$wall" "$(echo "$rss / 1024" | bc -l | xargs printf '%.0f')"
  row "  without its compaction" "$bare" ""
  # The reference: Oxigraph's bulk loader, then its compaction (`oxigraph optimize`), which it recommends before
  # reading; each timed on its own.
  lwalls=(); lrss=(); owalls=(); totals=()
  for r in $(seq "$runs"); do
    rm -rf "$work/ox-$n"
    /usr/bin/time -f "%e %M" -o "$work/time" oxigraph load --location "$work/ox-$n" --file "$work/export-$n.nq" >/dev/null 2>&1
    read -r lw lr <"$work/time"
    /usr/bin/time -f "%e" -o "$work/time" oxigraph optimize --location "$work/ox-$n" >/dev/null 2>&1
    read -r ow <"$work/time"
    lwalls+=("$lw"); lrss+=("$lr"); owalls+=("$ow"); totals+=("$(echo "$lw + $ow" | bc -l)")
  done
  lwall="$(printf '%s\n' "${lwalls[@]}" | median)"
  lrss="$(printf '%s\n' "${lrss[@]}" | median)"
  owall="$(printf '%s\n' "${owalls[@]}" | median)"
  total="$(printf '%s\n' "${totals[@]}" | median)"
  row "oxigraph load + optimize" "$total" ""
  row "  oxigraph load (bulk)" "$lwall" "$(echo "$lrss / 1024" | bc -l | xargs printf '%.0f')"
  printf "%-8s %-30s %10.2f\n" "$n" "  oxigraph optimize" "$owall"
  printf "%-8s %-30s %10.2f×\n" "$n" "ingest / (load + optimize)" "$(echo "$wall / $total" | bc -l)"
  printf "%-8s %-30s %10.2f×\n" "$n" "uncompacted: ingest / load" "$(echo "$bare / $lwall" | bc -l)"
  rm -rf "$work/ox-$n" "$work/export-$n.nq"
done

largest="${sizes[-1]}"
echo
echo "queries on the $largest-document store (seconds, median of $runs; process start and store opening included)"
for q in queries/*.rq; do
  ts=()
  for r in $(seq "$runs"); do
    s="$(date +%s%N)"
    # A query past QUERY_TIMEOUT seconds (default 120) is reported as such and not run again.
    timeout "${QUERY_TIMEOUT:-120}" "$bin" --store "$work/store-$largest" query --format csv "$q" >"$work/q.out" || { ts=("timeout"); break; }
    e="$(date +%s%N)"
    ts+=("$(echo "($e - $s) / 1000000000" | bc -l)")
  done
  if [ "${ts[0]}" = timeout ]; then
    printf "%-40s   > %s s\n" "$(basename "$q")" "${QUERY_TIMEOUT:-120}"
  else
    printf "%-40s %8.3f s %8d rows\n" "$(basename "$q")" "$(printf '%s\n' "${ts[@]}" | median)" "$(($(wc -l <"$work/q.out") - 1))"
  fi
done
