#!/usr/bin/env bash
# Prints the Mermaid picture of Terrain's modules from Maven's own dependency graph (run-time
# arrows between Terrain modules; test-scope ones left out). Paste it into docs/architecture.md:
# ArchitectureTest fails when the picture and the poms differ, and checks the classes against it.
set -euo pipefail
cd "$(dirname "$0")/.."
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
if ! mvn -B -q -Dstyle.color=never dependency:tree -Dincludes=fr.terrain -DoutputType=dot \
  -DoutputFile="$out/\${project.artifactId}.dot" >"$out/maven.log" 2>&1; then
  cat "$out/maven.log" >&2
  exit 1
fi
echo "graph BT"
cat "$out"/*.dot \
  | grep -- '->' \
  | grep -v ':test"' \
  | sed -E 's/.*"fr\.terrain:terrain-([a-z-]+):[^"]*" -> "fr\.terrain:terrain-([a-z-]+):.*/  \1 --> \2/' \
  | grep -vE '^  (e2e|testkit) ' \
  | LC_ALL=C sort -u
