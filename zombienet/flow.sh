#!/usr/bin/env bash
# Run by zombienet (custom_sh, from the node's directory) for zombienet/flow.zndsl.
#   watch       start e2e/zn-watch.mjs in the background (finality of alice, liveness of dave)
#   start-flow  start e2e/full-flow.mjs in the background: submit to alice, read from bob
#   wait-flow   wait for the flow to end; fail with its exit status
#   check       e2e/zn-check.mjs: finality continued during dave's downtime, dave caught up
# Needs CROWDLABEL_ROOT and CROWDLABEL_ZN_LOGS (exported by scripts/zombienet.sh).
set -euo pipefail
ROOT="${CROWDLABEL_ROOT:?set by scripts/zombienet.sh}"
LOGS="${CROWDLABEL_ZN_LOGS:?set by scripts/zombienet.sh}"
mkdir -p "$LOGS"
cd "$ROOT/e2e"
export CROWDLABEL_WATCH_FILE="$LOGS/watch.json"
case "${1:-}" in
watch)
	nohup node zn-watch.mjs >"$LOGS/watch.log" 2>&1 </dev/null &
	;;
start-flow)
	rm -f "$LOGS/flow.rc"
	nohup bash -c "CROWDLABEL_WS=ws://127.0.0.1:9961 CROWDLABEL_READ_WS=ws://127.0.0.1:9962 \
		node full-flow.mjs >'$LOGS/flow.log' 2>&1; echo \$? >'$LOGS/flow.rc'" </dev/null >/dev/null 2>&1 &
	;;
wait-flow)
	while [ ! -f "$LOGS/flow.rc" ]; do sleep 2; done
	exit "$(cat "$LOGS/flow.rc")"
	;;
check)
	node zn-check.mjs >"$LOGS/check.log" 2>&1
	;;
*)
	echo "usage: flow.sh watch|start-flow|wait-flow|check" >&2
	exit 2
	;;
esac
