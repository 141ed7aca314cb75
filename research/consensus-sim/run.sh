#!/usr/bin/env bash
# Regenerates docs/consensus-accuracy.md: CrowdLabel's consensus (crowdlabel-infer) against the
# crowd-kit baselines on synthetic crowds. Creates the venv research/consensus-sim/.venv if missing, installs
# research/consensus-sim/requirements.txt, and runs simulate.py (extra arguments are passed on). Builds
# nothing: the CLI must already be built (see below).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
VENV="$ROOT/research/consensus-sim/.venv"
PY="${PYTHON:-python3}"
TARGET="${CARGO_TARGET_DIR:-/var/tmp/crowdlabel-target}"
BIN="${CROWDLABEL_INFER:-$TARGET/release/crowdlabel-infer}"

if [ ! -x "$VENV/bin/python" ]; then
	echo "creating $VENV" >&2
	"$PY" -m venv "$VENV"
fi
STAMP="$VENV/.requirements.sha256"
WANT="$(sha256sum "$HERE/requirements.txt" | cut -d' ' -f1)"
if [ "$(cat "$STAMP" 2>/dev/null || true)" != "$WANT" ]; then
	echo "installing $HERE/requirements.txt" >&2
	"$VENV/bin/pip" install --quiet --disable-pip-version-check -r "$HERE/requirements.txt"
	echo "$WANT" > "$STAMP"
fi

if [ ! -x "$BIN" ]; then
	cat >&2 <<MSG
error: $BIN not found.
Build it first (from $ROOT):
    cargo build --release -p crowdlabel-tools
(with CARGO_TARGET_DIR=$TARGET, the default of .ci/run), or point CROWDLABEL_INFER at the
binary. To produce the baseline columns only: $VENV/bin/python $HERE/simulate.py --no-cli
MSG
	exit 1
fi

cd "$ROOT"
exec "$VENV/bin/python" "$HERE/simulate.py" --infer-bin "$BIN" "$@"
