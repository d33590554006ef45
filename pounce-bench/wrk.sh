#!/usr/bin/env bash
# Requests per second for `GET /` on Pounce (--workers 1 and 2) and on the raw-Netty baseline (--threads 1 and 2),
# in one run, printed as a Markdown table with each Pounce figure as a ratio of raw Netty with the same count.
#
#   pounce-bench/wrk.sh                      # wrk -t1 -c64, 5 s warm-up, 10 s measured, per server
#   DURATION=30s WRK_ARGS="-t1 -c128" pounce-bench/wrk.sh
#
# Environment: WRK_ARGS (default "-t1 -c64"), DURATION (measured run, default 10s), WARMUP (default 5s),
# POUNCE (the launcher, default bin/pounce), RAW_JAVA_OPTS (extra JVM options for RawNettyHello),
# COUNTS (the worker/thread counts to run, default "1 2").
# Needs: wrk, curl, python3 (for free ports), a JDK 25 (found like bin/pounce finds it) and a built pounce-bench:
#   ./mvnw -B -ntp -q -pl pounce-bench -am install -DskipTests
# Every server runs in its own session and is killed, with anything it started, before the next one starts and
# when this script exits for any reason.
# POUNCE_ARGS: extra flags for every Pounce server, e.g. POUNCE_ARGS='--dispatch loop'.
set -euo pipefail
POUNCE_ARGS=${POUNCE_ARGS:-}

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
WRK_ARGS=${WRK_ARGS:--t1 -c64}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-5s}
POUNCE=${POUNCE:-$ROOT/bin/pounce}
COUNTS=${COUNTS:-1 2}
EXPECTED_BODY='Hello from Pounce!'

. "$ROOT/bin/find-jdk.sh"
pounce_find_jdk
JAVA="$JAVA_HOME/bin/java"

shopt -s nullglob
jars=("$HERE"/target/pounce-bench-*.jar)
shopt -u nullglob
if [ ${#jars[@]} -eq 0 ] || [ ! -d "$HERE/target/lib" ]; then
  echo "wrk.sh: pounce-bench is not built; run: cd $ROOT && ./mvnw -B -ntp -q -pl pounce-bench -am install -DskipTests" >&2
  exit 1
fi
RAW_CP="${jars[0]}:$HERE/target/lib/*"
for tool in wrk curl python3 setsid; do
  command -v "$tool" >/dev/null || { echo "wrk.sh: needs $tool on PATH" >&2; exit 1; }
done

LOGDIR=$(mktemp -d "${TMPDIR:-/tmp}/pounce-wrk.XXXXXX")
server_pid=""

# Kills the current server's whole process group (a launcher script and its JVM alike) and waits, bounded.
stop_server() {
  [ -n "$server_pid" ] || return 0
  local pid=$server_pid i
  server_pid=""
  kill -TERM -- "-$pid" 2>/dev/null || true
  for i in $(seq 1 100); do
    kill -0 -- "-$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 -- "-$pid" 2>/dev/null; then
    echo "wrk.sh: server group $pid ignored SIGTERM for 10 s; killing it" >&2
    kill -KILL -- "-$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}
trap 'stop_server' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# start_server LOG CMD... : runs CMD in a new session (so its pid is its process group id) and remembers it.
start_server() {
  local log=$1
  shift
  # Without job control a background job is not a group leader, so setsid execs in place and $! is the leader.
  setsid "$@" >"$log" 2>&1 </dev/null &
  server_pid=$!
}

# wait_ready PORT LOG : polls GET / for up to 30 s; fails if the server dies or never answers with the hello body.
wait_ready() {
  local port=$1 log=$2 i body
  for i in $(seq 1 300); do
    if ! kill -0 "$server_pid" 2>/dev/null; then
      echo "wrk.sh: the server exited before answering; its output:" >&2
      sed 's/^/  | /' "$log" >&2
      return 1
    fi
    if body=$(curl -fsS --max-time 1 "http://127.0.0.1:$port/" 2>/dev/null); then
      if [ "$body" != "$EXPECTED_BODY" ]; then
        echo "wrk.sh: GET / answered '$body', expected '$EXPECTED_BODY'" >&2
        return 1
      fi
      return 0
    fi
    sleep 0.1
  done
  echo "wrk.sh: nothing answered on port $port within 30 s; server output:" >&2
  sed 's/^/  | /' "$log" >&2
  return 1
}

declare -A RPS LAT NOTE

# measure KEY LABEL CMD... : the command must take the port from $PORT (substituted below).
measure() {
  local key=$1 label=$2
  shift 2
  local port log out
  port=$(free_port)
  log="$LOGDIR/$key.log"
  local cmd=()
  for a in "$@"; do cmd+=("${a//@PORT@/$port}"); done
  echo "== $label on port $port" >&2
  start_server "$log" "${cmd[@]}"
  if ! wait_ready "$port" "$log"; then
    stop_server
    RPS[$key]=""; LAT[$key]=""; NOTE[$key]="did not start"
    return 0
  fi
  # shellcheck disable=SC2086 # WRK_ARGS is a list of words on purpose
  wrk $WRK_ARGS -d"$WARMUP" "http://127.0.0.1:$port/" >/dev/null || true
  # shellcheck disable=SC2086
  out=$(wrk $WRK_ARGS -d"$DURATION" "http://127.0.0.1:$port/") || true
  printf '%s\n' "$out" >"$LOGDIR/$key.wrk"
  printf '%s\n' "$out" | sed 's/^/   /' >&2
  stop_server
  RPS[$key]=$(printf '%s\n' "$out" | awk '/^Requests\/sec:/ {print $2}')
  LAT[$key]=$(printf '%s\n' "$out" | awk '$1 == "Latency" {print $2; exit}')
  local errs
  errs=$(printf '%s\n' "$out" | grep -E 'Non-2xx|Socket errors' | tr -s ' ' | paste -sd ';' - || true)
  NOTE[$key]=${errs# }
}

echo "wrk.sh: $(nproc) cores, java $("$JAVA" -version 2>&1 | head -n 1), wrk $WRK_ARGS, warm-up $WARMUP, measured $DURATION" >&2
echo "wrk.sh: logs in $LOGDIR" >&2

have_pounce=1
if [ ! -x "$POUNCE" ]; then
  echo "wrk.sh: $POUNCE is missing or not executable; only the raw-Netty rows will be measured" >&2
  have_pounce=0
elif ! "$POUNCE" --version >"$LOGDIR/pounce-version.log" 2>&1 </dev/null; then
  # bin/pounce rebuilds its distribution when any source is newer than its last build; doing that here keeps
  # a build out of the 30 s start-up poll below.
  echo "wrk.sh: '$POUNCE --version' failed; only the raw-Netty rows will be measured. Its output:" >&2
  sed 's/^/  | /' "$LOGDIR/pounce-version.log" >&2
  have_pounce=0
fi

# Raw and Pounce alternate per count, so a drift in the machine's state hits both sides of each ratio alike.
for n in $COUNTS; do
  # shellcheck disable=SC2086 # RAW_JAVA_OPTS is a list of words on purpose
  measure "raw$n" "RawNettyHello --threads $n" \
    "$JAVA" --enable-native-access=ALL-UNNAMED ${RAW_JAVA_OPTS:-} -cp "$RAW_CP" dev.pounce.bench.RawNettyHello \
    --port @PORT@ --threads "$n"
  if [ $have_pounce -eq 1 ]; then
    measure "pounce$n" "Pounce --workers $n" \
      "$POUNCE" --port @PORT@ --workers "$n" --no-access-log --log-level warning $POUNCE_ARGS
  else
    RPS[pounce$n]=""; LAT[pounce$n]=""; NOTE[pounce$n]="launcher missing or broken"
  fi
done

ratio() { # ratio A B : A / B to two places, or a dash
  if [ -n "$1" ] && [ -n "$2" ]; then awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2fx", a / b }'; else printf '-'; fi
}
fmt_rps() { if [ -n "$1" ]; then awk -v r="$1" 'BEGIN { printf "%.0f", r }'; else printf '-'; fi; }

echo
echo "\`GET /\`, wrk $WRK_ARGS -d$DURATION after a $WARMUP warm-up, $(nproc) cores shared by wrk and the server."
echo
echo "| server | workers/threads | req/s | avg latency | vs raw Netty | notes |"
echo "| --- | ---: | ---: | ---: | ---: | --- |"
for n in $COUNTS; do
  for side in raw pounce; do
    key="$side$n"
    name=$([ $side = raw ] && echo "raw Netty (RawNettyHello)" || echo "Pounce")
    printf '| %s | %s | %s | %s | %s | %s |\n' "$name" "$n" "$(fmt_rps "${RPS[$key]}")" "${LAT[$key]:--}" \
      "$(ratio "${RPS[$key]}" "${RPS[raw$n]}")" "${NOTE[$key]}"
  done
done
echo
echo "wrk takes one of the $(nproc) cores, so a server with 2 workers/threads competes with wrk for CPU;"
echo "the 2-worker rows show contention, not scaling."
