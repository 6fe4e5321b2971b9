# Sourced by the scale benchmarks (run.sh, union.sh) from the repository's top folder: installs the `oxigraph`
# command and /usr/bin/time when missing, builds the release binaries, and sets `bin`, `gen`, `work` (a fresh folder
# under /var/tmp named after $1, removed at exit; $WORK to choose it) and `median` (of numbers on standard input).
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/akimat-kg-target}"
command -v oxigraph >/dev/null || python3 -m pip install --quiet --disable-pip-version-check "oxigraph==0.5.*"
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
cargo build --release --quiet --bin akimat-kg --bin gen-corpus
bin="$CARGO_TARGET_DIR/release/akimat-kg"
gen="$CARGO_TARGET_DIR/release/gen-corpus"
work="${WORK:-$(mktemp -d "/var/tmp/akimat-kg-$1.XXXXXX")}"
trap 'rm -rf "$work"' EXIT
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
