#!/usr/bin/env bash
# start.sh NODES HTTP_PORT: start a local OpenSearch cluster of NODES (1
# or 3) real nodes on loopback, node i answering HTTP on HTTP_PORT+i, and
# return once the cluster is green. Builds the launcher with Maven first
# if needed. Data lives in a temporary dir, removed by stop.sh HTTP_PORT.
# JAVA_OPTS overrides the heap of each node (default 512 MB).
set -euo pipefail
nodes=${1:?usage: start.sh NODES HTTP_PORT}
port=${2:?usage: start.sh NODES HTTP_PORT}
here=$(cd "$(dirname "$0")" && pwd)
state=${TMPDIR:-/tmp}/folio-opensearch-$port

if [ ! -f "$here/target/testcluster-1.jar" ] || [ ! -d "$here/target/lib" ]; then
	(cd "$here" && mvn -B -q package)
fi
if [ -e "$state" ]; then
	echo "start.sh: $state exists: a cluster on port $port runs (stop.sh $port)" >&2
	exit 1
fi
mkdir -p "$state"

seeds="" names=""
for ((i = 0; i < nodes; i++)); do
	seeds+="${seeds:+,}127.0.0.1:$((port + 100 + i))"
	names+="${names:+,}node$i"
done
cp="$here/target/testcluster-1.jar:$here/target/lib/*"
for ((i = 0; i < nodes; i++)); do
	home="$state/node$i"
	mkdir -p "$home/config"
	extra=()
	if [ "$nodes" -gt 1 ]; then extra=("$seeds" "$names"); fi
	# node.sh starts the node again from run.sh, on the same data.
	{
		echo '#!/usr/bin/env bash'
		printf 'exec java %s -cp %q folio.testcluster.NodeMain %q node%d %d %d' \
			"${JAVA_OPTS:--Xms512m -Xmx512m}" "$cp" "$home" "$i" $((port + i)) $((port + 100 + i))
		if [ ${#extra[@]} -gt 0 ]; then printf ' %q' "${extra[@]}"; fi
		echo
	} >"$home/run.sh"
	chmod +x "$home/run.sh"
	nohup "$home/run.sh" >"$home/out.log" 2>&1 &
	echo $! >"$home/pid"
done

# Wait for green: every node has joined and every shard is allocated.
deadline=$((SECONDS + ${START_TIMEOUT:-180}))
until curl -fsS "http://127.0.0.1:$port/_cluster/health?wait_for_status=green&wait_for_nodes=$nodes&timeout=5s" >/dev/null 2>&1; do
	for ((i = 0; i < nodes; i++)); do
		if ! kill -0 "$(cat "$state/node$i/pid")" 2>/dev/null; then
			echo "start.sh: node$i exited:" >&2
			tail -30 "$state/node$i/out.log" >&2
			"$here/stop.sh" "$port"
			exit 1
		fi
	done
	if [ $SECONDS -ge $deadline ]; then
		echo "start.sh: cluster not green in time" >&2
		tail -30 "$state/node0/out.log" >&2
		"$here/stop.sh" "$port"
		exit 1
	fi
	sleep 1
done
echo "OpenSearch: $nodes node(s) green at http://127.0.0.1:$port"
