#!/usr/bin/env bash
# stop.sh HTTP_PORT: stop the nodes that start.sh started on HTTP_PORT
# and remove their data.
set -uo pipefail
port=${1:?usage: stop.sh HTTP_PORT}
state=${TMPDIR:-/tmp}/folio-opensearch-$port
[ -d "$state" ] || exit 0
pids=()
for f in "$state"/node*/pid; do
	[ -f "$f" ] && pids+=("$(cat "$f")")
done
for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
for p in "${pids[@]}"; do
	for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.2; done
	kill -9 "$p" 2>/dev/null
done
rm -rf "$state"
