#!/usr/bin/env bash
# Open a build's graph.gexf and graph.graphml with the readers Gephi Lite uses and draw the graph.
#
#   bash scripts/check_gephi_lite.sh [OUTPUT_DIR] [PNG]     (defaults: output, OUTPUT_DIR/gephi-lite.png)
#
# Needs node and npm (it installs graphology and its GEXF, GraphML, ForceAtlas2 and SVG packages
# into a temporary folder) and Debian's chromium for the picture. See docs/exports.md.
set -euo pipefail
out=${1:-output}
png=$(realpath -m "${2:-$out/gephi-lite.png}")
here=$(dirname "$0")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$here/check_gephi_lite.mjs" "$work/"
npm install --prefix "$work" --no-audit --no-fund --silent \
    graphology@0.26.0 graphology-gexf@0.13.2 graphology-graphml@0.5.2 \
    graphology-layout-forceatlas2@0.10.1 graphology-svg@0.1.3
node "$work/check_gephi_lite.mjs" "$out/graph.gexf" "$out/graph.graphml" "$work/graph.svg"
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1400,1400 \
    --screenshot="$png" "file://$work/graph.svg" >/dev/null 2>&1
echo "wrote $png"
