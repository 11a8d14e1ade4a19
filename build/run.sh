#!/usr/bin/env bash
# Creates ./data/<domain>.db for the seven domains, fills empty ones with generated data at the seed's sizes,
# reads it back and prints a report. Extra arguments go to `filix run` (for example --data DIR, --json).
# Needs only the .NET SDK (global.json pins the feature band); packages restore from nuget.org on first use.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v dotnet >/dev/null 2>&1; then
  echo "run.sh: the .NET SDK is not installed (need $(sed -n 's/.*"version": *"\([^"]*\)".*/\1/p' global.json) or a later feature band): https://dot.net/download" >&2
  exit 1
fi
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
exec dotnet run --project src/Filix.Cli -c Release -- run "$@"
