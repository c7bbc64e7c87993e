#!/usr/bin/env bash
# Quick start on a fresh machine (Python 3.11 and pip are enough):
#   ./run.sh demo    stream the bundled Ogg Vorbis sample over loopback TCP
#   ./run.sh test    run the test suite
#   ./run.sh docs    build the API reference into build/apidocs
# The first run makes a virtualenv in .venv and installs the project into it.
set -euo pipefail
cd "$(dirname "$0")"
venv=${KAMAELIA_TWISTED_VENV:-.venv}

if [ ! -f "$venv/.installed" ] || [ setup.py -nt "$venv/.installed" ]; then
    echo "installing into $venv (first run only)..." >&2
    python3 -m venv "$venv"
    if ! { "$venv/bin/python" -m pip install --upgrade pip &&
           "$venv/bin/python" -m pip install -e ".[test]"; } > "$venv/install.log" 2>&1; then
        cat "$venv/install.log" >&2
        exit 1
    fi
    touch "$venv/.installed"
fi

command=${1:-}
[ $# -gt 0 ] && shift
case "$command" in
    demo)
        exec "$venv/bin/python" examples/stream_demo.py "$@"
        ;;
    test)
        log=$(mktemp)
        status=0
        "$venv/bin/python" -m twisted.trial "${@:-tests}" 2>&1 | tee "$log" || status=$?
        "$venv/bin/python" - "$log" <<'PY'
import re, sys
lines = open(sys.argv[1]).read().split("\n")
last = [line for line in lines if line.strip()][-1]
n = {key: int(value) for key, value in re.findall(r"(\w+)=(\d+)", last)}
failed = n.get("failures", 0) + n.get("errors", 0) + n.get("unexpectedSuccesses", 0)
print("{} passed, {} failed, {} skipped".format(n.get("successes", 0), failed, n.get("skips", 0)))
PY
        rm -f "$log"
        exit "$status"
        ;;
    docs)
        exec "$venv/bin/python" -m tools.apidocs "$@"
        ;;
    *)
        echo "usage: ./run.sh demo [options] | ./run.sh test [trial arguments] | ./run.sh docs [output folder]" >&2
        exit 2
        ;;
esac
