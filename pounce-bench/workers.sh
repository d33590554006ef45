#!/usr/bin/env bash
# Thread workers against process workers, in one run: requests/second of a CPU-bound route (the demo's
# GET /hash?rounds=R, SHA-256 R times) with wrk for --workers 1, 2 and 4 under each strategy, and the resident
# memory (RSS) of the whole server (parent plus child JVMs) after each run. Prints a Markdown table.
#
#   pounce-bench/workers.sh
#   ROUNDS=5000 COUNTS="1 2 4" DURATION=10s pounce-bench/workers.sh
#
# Needs wrk, curl, python3 and a JDK 25. --workers 1 runs without a strategy (one worker, no supervisor), so its
# row is the same for both.
# POUNCE_ARGS: extra flags for every Pounce server, e.g. POUNCE_ARGS='--dispatch loop'.
set -euo pipefail
POUNCE_ARGS=${POUNCE_ARGS:-}
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-2000}
COUNTS=${COUNTS:-1 2 4}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-5s}
WRK_ARGS=${WRK_ARGS:--t1 -c16}
POUNCE=${POUNCE:-bin/pounce}
"$POUNCE" --version >/dev/null
server_pid=""
stop_server() {
  [ -n "$server_pid" ] || return 0
  local pid=$server_pid i
  server_pid=""
  kill -TERM -- "-$pid" 2>/dev/null || true
  for i in $(seq 1 150); do kill -0 -- "-$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL -- "-$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
trap stop_server EXIT
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
cpu_s() { # the summed CPU seconds of every process in the server's process group
  ps -o cputimes= -g "$1" | awk '{s += $1} END {print s + 0}'
}
rss_mb() { # the summed RSS of every process in the server's process group, in MiB
  ps -o rss= -g "$1" | awk '{s += $1} END {printf "%.0f", s / 1024}'
}
echo "| strategy | workers | req/s | server CPU (of $(nproc) cores) | RSS after load (MiB) |"
echo "| --- | ---: | ---: | ---: | ---: |"
for strategy in thread process; do
  for n in $COUNTS; do
    if [ "$n" = 1 ] && [ "$strategy" = process ]; then continue; fi
    port=$(free_port)
    setsid "$POUNCE" --port "$port" --workers "$n" --worker-strategy "$strategy" --no-access-log \
      --log-level warning $POUNCE_ARGS </dev/null >/dev/null 2>&1 &
    server_pid=$!
    ok=""
    for i in $(seq 1 600); do
      if curl -fsS --max-time 1 "http://127.0.0.1:$port/" >/dev/null 2>&1; then ok=1; break; fi
      sleep 0.1
    done
    if [ -z "$ok" ]; then echo "| $strategy | $n | did not start | | |"; stop_server; continue; fi
    url="http://127.0.0.1:$port/hash?rounds=$ROUNDS"
    # shellcheck disable=SC2086
    wrk $WRK_ARGS -d"$WARMUP" "$url" >/dev/null
    before=$(cpu_s "$server_pid")
    start=$(date +%s.%N)
    # shellcheck disable=SC2086
    rps=$(wrk $WRK_ARGS -d"$DURATION" "$url" | sed -n 's/^Requests\/sec: *\([0-9.]*\)/\1/p')
    cpu=$(python3 -c "import time; print(f'{($(cpu_s "$server_pid") - $before) / (time.time() - $start) * 100:.0f} %')")
    label=$strategy
    [ "$n" = 1 ] && label="single (either)"
    echo "| $label | $n | $rps | $cpu | $(rss_mb "$server_pid") |"
    stop_server
  done
done
