#!/bin/sh
# Makes docs/report-patient.png, the README's picture of a patient's page in
# `ctmatch report`, from the fixtures: two nights of the batch fixtures
# (fixtures/batch/README.md) and the report of patient A02, rendered by
# headless Chromium. Run from anywhere; needs a build and Debian's chromium.
#
# usage: docs/screenshot.sh [BUILD_DIR]
set -eu
cd "$(dirname "$0")/.."
build=${1:-build}
ctm=$build/cli/ctmatch
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$ctm" ingest --db "$tmp/db" fixtures/batch/trials fixtures/report 2>/dev/null
"$ctm" batch --db "$tmp/db" --patients fixtures/batch/patients/roster.ndjson \
	--today 2026-11-26 --out "$tmp/n1.csv" 2>/dev/null
"$ctm" ingest --db "$tmp/db" fixtures/batch/trials-update 2>/dev/null
"$ctm" batch --db "$tmp/db" --patients fixtures/batch/patients/roster.ndjson \
	--today 2026-11-26 --out "$tmp/n2.csv" 2>/dev/null
"$ctm" report --db "$tmp/db" --id A02 --out "$tmp/a02.html"
chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-dev-shm-usage \
	--user-data-dir="$tmp/profile" --hide-scrollbars --window-size=760,1100 \
	--screenshot="$PWD/docs/report-patient.png" "file://$tmp/a02.html" 2>/dev/null
ls -l docs/report-patient.png
