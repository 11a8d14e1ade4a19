#!/usr/bin/env bash
# Builds the solution and runs every test project. Ends with "N passed, N failed".
# Needs only the .NET SDK and the PostgreSQL 15 server binaries (found under /usr/lib/postgresql/*/bin, or set
# FILIX_PG_BIN to their folder); there is nothing else to install.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
results="$root/artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"

dotnet build Filix.Schema.sln -c Release -nologo -v quiet

status=0
for project in tests/*/*.csproj; do
  # Support libraries and worker programs are built, not run.
  grep -q "<IsTestProject>false</IsTestProject>" "$project" && continue
  name=$(basename "$project" .csproj)
  echo "== $name"
  dotnet test "$project" -c Release --no-build -nologo \
    --logger "trx;LogFileName=$name.trx" --results-directory "$results" || status=1
done

# Count from the TRX files (one per project), so the total covers every project.
passed=0; failed=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(echo "$counters" | sed -n 's/.* passed="\([0-9]*\)".*/\1/p')
  f=$(echo "$counters" | sed -n 's/.* failed="\([0-9]*\)".*/\1/p')
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
done
echo "$passed passed, $failed failed"
if [ "$failed" -ne 0 ] || [ "$passed" -eq 0 ]; then status=1; fi
exit $status
