#!/usr/bin/env bash
# Raw Netty and Pounce side by side in one run, the way issue 13 measures them: `GET /plaintext` and `GET /json`
# (a small object serialised per request by the same hand-written writer on both sides, HelloJson), HTTP/1.1 with
# wrk and h2c with h2load, one worker and one per core, raw and Pounce interleaved for ROUNDS rounds (the order
# flips every round, so a drift in the machine's state hits both sides of each ratio alike). Prints, per protocol,
# worker count and endpoint: requests per second, per-core capacity (1e6 / server CPU µs per request, the CPU read
# from /proc/PID/stat over the measured run), p99 latency and peak RSS (VmHWM), each for both servers and as
# Pounce / raw Netty (median of the rounds' ratios); then the same in the issue's table shape.
#
#   pounce-bench/compare.sh                                   # 2 rounds, 5 s warm-up, 10 s measured per run
#   POUNCE_ARGS='--dispatch loop' pounce-bench/compare.sh     # a Pounce variant against the same raw Netty
#   ROUNDS=3 PROTOCOLS=h1 COUNTS=1 ENDPOINTS=json pounce-bench/compare.sh
#
# Environment (defaults in brackets):
#   ROUNDS        rounds [2]
#   DURATION      measured seconds per run [10]
#   WARMUP        seconds of unrecorded load before each measured run, same server, same connections count [5]
#   WRK_ARGS      wrk threads and connections for HTTP/1.1 ["-t1 -c64"]; --latency is added for the p99
#   H2_ARGS       h2load clients and streams for h2c ["-c16 -m32"]
#   PROTOCOLS     any of h1 h2 ["h1 h2"]
#   COUNTS        worker counts; 0 is one per core (raw Netty then gets one event loop per core) ["1 0"]
#   ENDPOINTS     any of plaintext json ["plaintext json"]
#   POUNCE        the launcher [bin/pounce]; the jlink image's bin/pounce works too
#   POUNCE_ARGS   extra flags for every Pounce server, e.g. '--dispatch loop'
#   POUNCE_JAVA_OPTS, RAW_JAVA_OPTS  JVM options of the Pounce server (read by its launcher) and of raw Netty's
# Needs: wrk, h2load (nghttp2-client), curl, python3, setsid, a JDK 25 (found like bin/pounce finds it) and a built
# pounce-bench (./mvnw -B -ntp -q -pl pounce-bench -am package -DskipTests). Each run gets a fresh server in its own
# session, killed with its process group before the next starts and when the script exits for any reason.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
ROOT=$(dirname "$HERE")
cd "$ROOT"
. bin/find-jdk.sh
pounce_find_jdk
JAVA="$JAVA_HOME/bin/java"

ROUNDS=${ROUNDS:-2}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-5}
WRK_ARGS=${WRK_ARGS:--t1 -c64}
H2_ARGS=${H2_ARGS:--c16 -m32}
PROTOCOLS=${PROTOCOLS:-h1 h2}
COUNTS=${COUNTS:-1 0}
ENDPOINTS=${ENDPOINTS:-plaintext json}
POUNCE=${POUNCE:-bin/pounce}
POUNCE_ARGS=${POUNCE_ARGS:-}
RAW_JAVA_OPTS=${RAW_JAVA_OPTS:-}
JAR=$HERE/target/pounce-bench-0.1.0-SNAPSHOT.jar
CP="$JAR:$HERE/target/lib/*"
CORES=$(nproc)

for tool in wrk h2load curl python3 setsid; do
  command -v "$tool" >/dev/null || { echo "compare.sh: needs $tool on PATH" >&2; exit 1; }
done
[ -f "$JAR" ] || { echo "compare.sh: build pounce-bench first: ./mvnw -B -ntp -q -pl pounce-bench -am package -DskipTests" >&2; exit 1; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/pounce-compare.XXXXXX")
RESULTS=$WORK/results.tsv
server_pid=""
stop_server() {
  [ -n "$server_pid" ] || return 0
  local pid=$server_pid i
  server_pid=""
  kill -TERM -- "-$pid" 2>/dev/null || true
  for i in $(seq 1 100); do kill -0 -- "-$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL -- "-$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
trap 'stop_server' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# bin/pounce rebuilds its distribution when a source is newer than its last build: do it now, not in a timed wait.
"$POUNCE" --version >"$WORK/pounce-version.log" 2>&1 </dev/null || {
  echo "compare.sh: '$POUNCE --version' failed:" >&2; sed 's/^/  | /' "$WORK/pounce-version.log" >&2; exit 1; }

# The Pounce side's app in a jar of its own: the benchmark jar also holds classes in the h1 plugin's and the
# runtime's packages (the JMH benchmarks that reach package-private code), which as an automatic module on the
# module path would split those packages and stop the JVM.
APP_JAR=$WORK/compare-app.jar
(cd "$WORK" && "$JAVA_HOME/bin/jar" xf "$JAR" dev/pounce/bench/CompareApp.class dev/pounce/bench/HelloJson.class \
  'dev/pounce/bench/HelloJson$Greeting.class' && "$JAVA_HOME/bin/jar" cf "$APP_JAR" dev && rm -rf dev)

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}
# start_server LOG CMD... : in a new session, so its pid is its process group id.
start_server() { local log=$1; shift; setsid "$@" >"$log" 2>&1 </dev/null & server_pid=$!; }

# The same /proc helpers as h3.sh and hostile.sh, summed over the server's process group so that a launcher
# script, a JVM and any process workers all count.
group_pids() { pgrep -g "$server_pid" || true; }
cpu_ticks() { # user + system clock ticks of every process in the group
  local p t=0 v
  for p in $(group_pids); do
    v=$(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0)
    t=$((t + v))
  done
  echo "$t"
}
peak_rss_kib() { # VmHWM of every java process in the group
  local p t=0 v
  for p in $(group_pids); do
    [ "$(cat "/proc/$p/comm" 2>/dev/null)" = java ] || continue
    v=$(awk '/^VmHWM/ {print $2}' "/proc/$p/status" 2>/dev/null || echo 0)
    t=$((t + ${v:-0}))
  done
  echo "$t"
}

# wait_ready PROTO PORT ENDPOINT LOG : polls for up to 60 s until the endpoint answers 200 with the expected body.
wait_ready() {
  local proto=$1 port=$2 endpoint=$3 log=$4 i body want flags=()
  [ "$proto" = h2 ] && flags=(--http2-prior-knowledge)
  want='Hello from Pounce!'
  [ "$endpoint" = json ] && want='{"message":"Hello, World!"}'
  for i in $(seq 1 600); do
    if ! kill -0 "$server_pid" 2>/dev/null; then
      echo "compare.sh: the server exited before answering; its output:" >&2
      sed 's/^/  | /' "$log" >&2
      return 1
    fi
    if body=$(curl -fsS --max-time 1 "${flags[@]}" "http://127.0.0.1:$port/$endpoint" 2>/dev/null); then
      [ "$body" = "$want" ] && return 0
      echo "compare.sh: GET /$endpoint answered '$body', expected '$want'" >&2
      return 1
    fi
    sleep 0.1
  done
  echo "compare.sh: nothing answered on port $port within 60 s; server output:" >&2
  sed 's/^/  | /' "$log" >&2
  return 1
}

# load PROTO PORT ENDPOINT SECONDS OUT : one client run; its output (and h2load's per-request log) in OUT*.
load() {
  local proto=$1 port=$2 endpoint=$3 seconds=$4 out=$5
  if [ "$proto" = h1 ]; then
    # shellcheck disable=SC2086 # WRK_ARGS is a list of words on purpose
    wrk $WRK_ARGS --latency -d"${seconds}s" "http://127.0.0.1:$port/$endpoint" >"$out" 2>&1 || true
  else
    # shellcheck disable=SC2086
    h2load $H2_ARGS -D "$seconds" --log-file="$out.requests" "http://127.0.0.1:$port/$endpoint" >"$out" 2>&1 || true
  fi
}

# measure ROUND COUNT PROTO ENDPOINT SIDE : starts a fresh server, warms it up, measures, appends a result line.
measure() {
  local round=$1 count=$2 proto=$3 endpoint=$4 side=$5 port key log threads t0 t1 rss
  port=$(free_port)
  key="r$round-w$count-$proto-$endpoint-$side"
  log="$WORK/$key.log"
  threads=$count
  [ "$count" = 0 ] && threads=$CORES
  if [ "$side" = raw ]; then
    local main=dev.pounce.bench.RawNettyHello args=(--port "$port" --threads "$threads")
    [ "$proto" = h2 ] && main=dev.pounce.bench.RawNettyH2Hello args=("$port" "$threads")
    # shellcheck disable=SC2086 # RAW_JAVA_OPTS is a list of words on purpose
    start_server "$log" "$JAVA" --enable-native-access=ALL-UNNAMED $RAW_JAVA_OPTS -cp "$CP" "$main" "${args[@]}"
  else
    # shellcheck disable=SC2086 # POUNCE_ARGS is a list of words on purpose
    start_server "$log" env POUNCE_MODULE_PATH="$APP_JAR${POUNCE_MODULE_PATH:+:$POUNCE_MODULE_PATH}" "$POUNCE" \
      --port "$port" --workers "$count" --no-access-log --log-level warning $POUNCE_ARGS dev.pounce.bench.CompareApp
  fi
  echo "== round $round, $side, $proto, --workers $count, /$endpoint, port $port" >&2
  if ! wait_ready "$proto" "$port" "$endpoint" "$log"; then
    stop_server
    printf '%s\t%s\t%s\t%s\t%s\tfailed\n' "$round" "$count" "$proto" "$endpoint" "$side" >>"$RESULTS"
    return 0
  fi
  load "$proto" "$port" "$endpoint" "$WARMUP" "$WORK/$key.warmup"
  t0=$(cpu_ticks)
  load "$proto" "$port" "$endpoint" "$DURATION" "$WORK/$key.out"
  t1=$(cpu_ticks)
  rss=$(peak_rss_kib)
  stop_server
  grep -E '^(Requests/sec|finished in|requests:|  99%|Non-2xx|Socket errors)' "$WORK/$key.out" | sed 's/^/   /' >&2 || true
  printf '%s\t%s\t%s\t%s\t%s\tok\t%s\t%s\t%s\n' "$round" "$count" "$proto" "$endpoint" "$side" "$((t1 - t0))" \
    "$rss" "$WORK/$key.out" >>"$RESULTS"
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
echo "compare.sh: $CORES cores, load average $load_before, $("$JAVA" -version 2>&1 | head -n 1); logs in $WORK" >&2
for round in $(seq 1 "$ROUNDS"); do
  # Raw first in odd rounds, Pounce first in even ones.
  sides="raw pounce"
  [ $((round % 2)) -eq 0 ] && sides="pounce raw"
  for count in $COUNTS; do
    for proto in $PROTOCOLS; do
      for endpoint in $ENDPOINTS; do
        for side in $sides; do
          measure "$round" "$count" "$proto" "$endpoint" "$side"
        done
      done
    done
  done
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

python3 "$HERE/compare-report.py" "$RESULTS" "$(getconf CLK_TCK)" "$CORES" "$load_before" "$load_after" \
  "wrk $WRK_ARGS" "h2load $H2_ARGS" "$WARMUP" "$DURATION" "$ROUNDS" "$POUNCE_ARGS"
