#!/usr/bin/env bash
# Response compression's cost and gain: a 64 KiB JSON response (pounce-bench's JsonPayloadApp, GET /json) served by
# one Pounce with each coding in turn, picked by a fixed Accept-Encoding header per round: identity, gzip, br and
# zstd at their default levels. Per coding: the bytes on the wire and the ratio to the JSON, requests per second,
# and the server's CPU time per request, read from /proc/PID/stat (utime + stime) around each measured wrk run. The
# codings alternate for ROUNDS rounds on the same server, so a drift in the machine's state hits all alike; the
# table gives the medians. See README.md "compression.sh".
#
#   pounce-bench/compression.sh                    # wrk -t1 -c16, 5 s warm-up per coding, 10 s measured, 3 rounds
#   ROUNDS=5 DURATION=20s pounce-bench/compression.sh
#
# Environment: WRK_ARGS (default "-t1 -c16"), DURATION (default 10s), WARMUP (default 5s), ROUNDS (default 3),
# WORKERS (default 1), POUNCE (the launcher, default bin/pounce), POUNCE_ARGS (extra flags for the server, such as
# "--compression-gzip-level 9").
# Needs: wrk, curl, javac and jar of the JDK that bin/pounce finds, python3 (for a free port), setsid. The server
# runs in its own session and is killed, with anything it started, when this script exits for any reason.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
WRK_ARGS=${WRK_ARGS:--t1 -c16}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-5s}
ROUNDS=${ROUNDS:-3}
WORKERS=${WORKERS:-1}
POUNCE=${POUNCE:-$ROOT/bin/pounce}
POUNCE_ARGS=${POUNCE_ARGS:-}
CODINGS=(identity gzip br zstd)

for tool in wrk curl python3 setsid; do
  command -v "$tool" >/dev/null || { echo "compression.sh: needs $tool on PATH" >&2; exit 1; }
done
. "$ROOT/bin/find-jdk.sh"
pounce_find_jdk
# bin/pounce rebuilds its distribution when a source is newer than its last build: do it before any timing.
"$POUNCE" --version >/dev/null

WORK=$(mktemp -d "${TMPDIR:-/tmp}/pounce-compression.XXXXXX")
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
trap 'stop_server' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The app, compiled against the distribution's API jar into a jar of its own (an automatic module on the launcher's
# module path), so nothing else of pounce-bench is loaded.
api_jar=$(ls "$ROOT"/pounce-cli/target/pounce/lib/pounce-api-*.jar | head -n 1)
"$JAVA_HOME/bin/javac" -d "$WORK/classes" -p "$api_jar" --add-modules dev.pounce.api \
  "$HERE/src/main/java/dev/pounce/bench/JsonPayloadApp.java"
"$JAVA_HOME/bin/jar" --create --file "$WORK/json-payload.jar" -C "$WORK/classes" .

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
# shellcheck disable=SC2086 # POUNCE_ARGS is a list of words on purpose
POUNCE_MODULE_PATH="$WORK/json-payload.jar" setsid "$POUNCE" dev.pounce.bench.JsonPayloadApp --port "$port" \
  --workers "$WORKERS" --no-access-log $POUNCE_ARGS >"$WORK/server.log" 2>&1 </dev/null &
server_pid=$!
for i in $(seq 1 600); do
  kill -0 "$server_pid" 2>/dev/null || { sed 's/^/  | /' "$WORK/server.log" >&2; exit 1; }
  [ "$(curl -fsS --max-time 1 "http://127.0.0.1:$port/" 2>/dev/null || true)" = "Hello from Pounce!" ] && break
  sleep 0.1
done
URL="http://127.0.0.1:$port/json"
# The launchers exec java, so the session's leader is the JVM; if not, the one java in the session.
jvm=$server_pid
[ "$(cat "/proc/$jvm/comm")" = java ] || jvm=$(pgrep -s "$server_pid" -x java | head -n 1)
ticks=$(getconf CLK_TCK)
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$jvm/stat"; }

echo "compression.sh: $(nproc) cores, wrk $WRK_ARGS, warm-up $WARMUP per coding, measured $DURATION, $ROUNDS rounds," \
  "--workers $WORKERS${POUNCE_ARGS:+, $POUNCE_ARGS}; logs in $WORK" >&2
declare -A size
for c in "${CODINGS[@]}"; do
  got=$(curl -fsS -o "$WORK/body.$c" -w '%{content_type} %header{content-encoding}' -H "Accept-Encoding: $c" "$URL")
  size[$c]=$(stat -c %s "$WORK/body.$c")
  echo "  $c: ${size[$c]} bytes ($got)" >&2
  # shellcheck disable=SC2086
  wrk $WRK_ARGS -d"$WARMUP" -H "Accept-Encoding: $c" "$URL" >/dev/null
done

declare -A rps cpu
echo
echo "| round | coding | req/s | server CPU per request (µs) |"
echo "| ---: | --- | ---: | ---: |"
for r in $(seq 1 "$ROUNDS"); do
  for c in "${CODINGS[@]}"; do
    before=$(cpu_ticks)
    # shellcheck disable=SC2086
    out=$(wrk $WRK_ARGS -d"$DURATION" -H "Accept-Encoding: $c" "$URL")
    after=$(cpu_ticks)
    printf '%s\n' "$out" >"$WORK/$c-$r.wrk"
    requests=$(printf '%s\n' "$out" | awk '/requests in/ { print $1 }')
    rate=$(printf '%s\n' "$out" | awk '/^Requests\/sec:/ { print $2 }')
    us=$(awk -v t=$((after - before)) -v hz="$ticks" -v n="$requests" 'BEGIN { printf "%.0f", t / hz * 1e6 / n }')
    rps[$c]="${rps[$c]:-} $rate"
    cpu[$c]="${cpu[$c]:-} $us"
    printf '| %s | %s | %.0f | %s |\n' "$r" "$c" "$rate" "$us"
  done
done
median() { printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
echo
echo "| coding | bytes sent | ratio to the JSON | req/s (median) | server CPU per request (median, µs) |"
echo "| --- | ---: | ---: | ---: | ---: |"
for c in "${CODINGS[@]}"; do
  # shellcheck disable=SC2086
  printf '| %s | %s | %s | %.0f | %s |\n' "$c" "${size[$c]}" \
    "$(awk -v a="${size[$c]}" -v b="${size[identity]}" 'BEGIN { printf "%.3f", a / b }')" \
    "$(median ${rps[$c]})" "$(median ${cpu[$c]})"
done
echo "(GET /json, 64 KiB of JSON, wrk $WRK_ARGS -d$DURATION, $(nproc) cores shared by wrk and the server; default"
echo "levels: gzip 6, br 4, zstd 3; CPU is the server JVM's user + system time over the requests wrk counted)"
