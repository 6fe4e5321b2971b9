#!/usr/bin/env bash
# Replaces the vendored YASGUI files by those of another @zazuko/yasgui version from the npm registry.
set -euo pipefail
version="${1:?usage: vendor/yasgui/update.sh VERSION}"
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "@zazuko/yasgui@$version" >/dev/null && tar xzf ./*.tgz)
cp "$work/package/build/yasgui.min.js" "$work/package/build/yasgui.min.css" "$here/"
grep -q '"license": "MIT"' "$work/package/package.json" || echo "warning: the licence is no longer MIT; check it" >&2
sha256sum "$here/yasgui.min.js" "$here/yasgui.min.css"
echo "now update the version and digests in $here/README.md"
