#!/usr/bin/env bash
# Issue 14's figures in one run: a 1 MiB static file (--static) sent by sendfile and, on the same machine minutes
# later, copied in chunks (-Dpounce.static.zeroCopy=false), rounds interleaved; then compression.sh's 64 KiB JSON
# with each coding. Per static row: requests per second and server CPU per request (utime + stime from
# /proc/PID/stat around each measured wrk run), medians of ROUNDS.
#
#   pounce-bench/content.sh                        # wrk -t1 -c16, 3 s warm-up, 10 s measured, 3 rounds
#   ROUNDS=5 DURATION=20s pounce-bench/content.sh
#
# Environment: WRK_ARGS (default "-t1 -c16"), DURATION (10s), WARMUP (3s), ROUNDS (3), POUNCE (bin/pounce),
# SKIP_COMPRESSION=1 to measure the static file only.
# Needs: wrk, curl, python3, setsid, head (for the file). Each server runs in its own session and is killed, with
# anything it started, when this script exits for any reason.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
WRK_ARGS=${WRK_ARGS:--t1 -c16}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-3s}
ROUNDS=${ROUNDS:-3}
POUNCE=${POUNCE:-$ROOT/bin/pounce}

for tool in wrk curl python3 setsid; do
  command -v "$tool" >/dev/null || { echo "content.sh: needs $tool on PATH" >&2; exit 1; }
done
"$POUNCE" --version >/dev/null

WORK=$(mktemp -d "${TMPDIR:-/tmp}/pounce-content.XXXXXX")
server_pid=""
stop_server() {
  [ -n "$server_pid" ] || return 0
  local pid=$server_pid i
  server_pid=""
  kill -TERM -- "-$pid" 2>/dev/null || true
  for i in $(seq 1 100); do
    kill -0 -- "-$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL -- "-$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
trap 'stop_server; rm -rf "$WORK"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

mkdir -p "$WORK/files"
head -c 1048576 /dev/urandom >"$WORK/files/one-mib.bin"

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# measure NAME JAVA_OPTS : one server, a warm-up, one measured run; appends "rps us" to $WORK/NAME
measure() {
  local name=$1 opts=$2 port url java_pid t0 t1 out reqs rps
  port=$(free_port)
  url="http://127.0.0.1:$port/files/one-mib.bin"
  POUNCE_JAVA_OPTS="$opts" setsid "$POUNCE" --port "$port" --workers 1 --no-access-log --log-level warning \
    --static "/files=$WORK/files" >"$WORK/$name.log" 2>&1 </dev/null &
  server_pid=$!
  for _ in $(seq 1 300); do
    curl -fs -o /dev/null "$url" && break
    kill -0 "$server_pid" 2>/dev/null || { echo "content.sh: the server died:" >&2; cat "$WORK/$name.log" >&2; exit 1; }
    sleep 0.1
  done
  java_pid=$(pgrep -g "$server_pid" java | head -n 1)
  # shellcheck disable=SC2086 # WRK_ARGS is a list of words on purpose
  wrk $WRK_ARGS -d"$WARMUP" "$url" >/dev/null
  t0=$(awk '{print $14 + $15}' "/proc/$java_pid/stat")
  # shellcheck disable=SC2086
  out=$(wrk $WRK_ARGS -d"$DURATION" "$url")
  t1=$(awk '{print $14 + $15}' "/proc/$java_pid/stat")
  reqs=$(echo "$out" | awk '/requests in/ {print $1}')
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  echo "$rps $(awk -v a="$t0" -v b="$t1" -v n="$reqs" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.0f", (b - a) / hz * 1e6 / n }')" \
    >>"$WORK/$name"
  stop_server
}

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "content.sh: load average before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
for r in $(seq 1 "$ROUNDS"); do
  echo "content.sh: static round $r of $ROUNDS" >&2
  measure sendfile ""
  measure chunks "-Dpounce.static.zeroCopy=false"
done

echo
echo "A 1 MiB file from --static over plain-TCP HTTP/1.1, one worker, wrk $WRK_ARGS -d$DURATION, medians of $ROUNDS interleaved rounds:"
echo
echo "| sending | req/s | server CPU per request | rounds (req/s) |"
echo "| --- | ---: | ---: | --- |"
for name in sendfile chunks; do
  printf '| %s | %.0f | %s µs | %s |\n' "$name" "$(cut -d' ' -f1 "$WORK/$name" | median)" \
    "$(cut -d' ' -f2 "$WORK/$name" | median)" "$(cut -d' ' -f1 "$WORK/$name" | xargs | sed 's/ /, /g')"
done
echo

if [ "${SKIP_COMPRESSION:-0}" != 1 ]; then
  ROUNDS=$ROUNDS DURATION=$DURATION "$HERE/compression.sh"
fi
echo "content.sh: load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
