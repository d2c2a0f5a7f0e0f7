#!/usr/bin/env bash
# node.sh HTTP_PORT I kill|start: fail or revive node I of the cluster
# that start.sh started on HTTP_PORT, for fault tests. kill ends the
# node's JVM at once (SIGKILL), as a machine failure would; start runs it
# again on the data it had and returns once it answers HTTP.
set -euo pipefail
port=${1:?usage: node.sh HTTP_PORT I kill|start}
i=${2:?usage: node.sh HTTP_PORT I kill|start}
home=${TMPDIR:-/tmp}/folio-opensearch-$port/node$i
[ -x "$home/run.sh" ] || { echo "node.sh: no node $i of a cluster on port $port" >&2; exit 1; }
case ${3:?usage: node.sh HTTP_PORT I kill|start} in
kill)
	pid=$(cat "$home/pid")
	kill -9 "$pid" 2>/dev/null || true
	while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
	;;
start)
	if kill -0 "$(cat "$home/pid")" 2>/dev/null; then
		echo "node.sh: node $i on port $port runs already" >&2
		exit 1
	fi
	nohup "$home/run.sh" >>"$home/out.log" 2>&1 &
	echo $! >"$home/pid"
	deadline=$((SECONDS + ${START_TIMEOUT:-180}))
	until curl -fsS "http://127.0.0.1:$((port + i))/" >/dev/null 2>&1; do
		if ! kill -0 "$(cat "$home/pid")" 2>/dev/null; then
			echo "node.sh: node $i exited:" >&2
			tail -30 "$home/out.log" >&2
			exit 1
		fi
		if [ $SECONDS -ge $deadline ]; then
			echo "node.sh: node $i does not answer in time" >&2
			exit 1
		fi
		sleep 0.5
	done
	;;
*)
	echo "usage: node.sh HTTP_PORT I kill|start" >&2
	exit 2
	;;
esac
