#!/usr/bin/env bash
# The "Many writers" table of docs/benchmarks.md: filix, naive and ceiling at 1-100 writers in 1 and 4 processes,
# FULL and the events workload at 100x4, and postgres when UPSTREAM is a Postgres connection string.
# Usage: bench/writers-table.sh [seconds]   (build first: dotnet build src/Filix.Cli -c Release)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-5}
filix() { dotnet src/Filix.Cli/bin/Release/net10.0/filix.dll "$@"; }
run() { # mode workload synchronous writers processes [extra args]
  local out
  out=$(filix bench writers --mode "$1" --workload "$2" --synchronous "$3" --writers "$4" --processes "$5" \
        --seconds "$seconds" --json "${@:6}")
  local label=$1
  [ "${*:6}" = "--share-writer off" ] && label="$1 (own writer per process)"
  echo "$out" | python3 -c "import json,sys; d=json.load(sys.stdin); print('| $label | $2 | $3 | $4 | $5 | %d | %s | %s | %s | %d |' % (d['rows_per_sec'], d['p50_ms'], d['p99_ms'], d['max_ms'], d['errors']))"
}
echo "| mode | workload | sync | writers | processes | rows/s | p50 ms | p99 ms | max ms | errors |"
echo "|---|---|---|---:|---:|---:|---:|---:|---:|---:|"
for p in 1 4; do for w in 1 4 10 100; do
  [ "$w" -lt "$p" ] && continue
  for m in filix naive ceiling; do run $m log normal $w $p; done
done; done
run filix log normal 100 4 --share-writer off
for m in filix naive ceiling; do run $m log full 100 4; done
run filix log full 100 4 --share-writer off
for m in filix naive ceiling; do run $m events normal 100 4; done
if [ -n "${UPSTREAM:-}" ]; then
  for wl in log events; do run postgres $wl normal 100 4 --upstream "$UPSTREAM"; done
fi
