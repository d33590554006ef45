#!/usr/bin/env bash
# WebSocket echo benchmark: messages per second and latency for small messages over many connections, with and
# without permessage-deflate, and the server's memory per idle session (heap and RSS). See README.md "ws-bench.sh".
#
#   pounce-bench/ws-bench.sh                    # 100 connections, 64-byte messages, 10 s each; 10,000 idle sessions
#   CONNECTIONS=200 SIZE=1024 DURATION=30 IDLE=20000 pounce-bench/ws-bench.sh
#
# Environment: CONNECTIONS (100), SIZE (64 bytes), DURATION (10 s), WARMUP (3 s), IDLE (10000 sessions; 0 skips),
# WORKERS (server workers, 1), CLIENT_THREADS (client event loops, 1), SERVER_JAVA_OPTS (extra server JVM options).
# The server and the client share the machine: on a small one the client's CPU is part of the figure.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
. "$root/bin/find-jdk.sh"
pounce_find_jdk
export JAVA_HOME
cd "$root"

CONNECTIONS=${CONNECTIONS:-100}
SIZE=${SIZE:-64}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-3}
IDLE=${IDLE:-10000}
WORKERS=${WORKERS:-1}
CLIENT_THREADS=${CLIENT_THREADS:-1}

work=$(mktemp -d /tmp/ws-bench.XXXXXX)
echo "ws-bench: logs in $work" >&2
server_pid=
stop_server() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$server_pid" 2>/dev/null || true
  fi
  server_pid=
}
trap stop_server EXIT

# The server's class path: the runtime, HTTP/1.1 and WebSocket plugins and their dependencies (pounce-ws's test
# class path has exactly those), the demo for /ws, and this module for both mains.
./mvnw -B -ntp -q -o install -DskipTests -pl pounce-ws,examples/demo,pounce-bench -am >"$work/build.log" 2>&1 \
  || { cat "$work/build.log" >&2; exit 1; }
./mvnw -B -ntp -q -o dependency:build-classpath -pl pounce-ws -Dmdep.includeScope=test \
  -Dmdep.outputFile="$work/ws-cp.txt" >>"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
jar() { ls "$1"/target/"$2"-*.jar | grep -v -e sources -e tests -e javadoc | head -1; }
CP="$(jar pounce-bench pounce-bench):$(jar pounce-ws pounce-ws):$(jar examples/demo pounce-demo):$(cat "$work/ws-cp.txt"):pounce-bench/target/lib/*"
JAVA="$JAVA_HOME/bin/java"

start_server() { # settings...
  local log="$work/server-$RANDOM.log"
  # shellcheck disable=SC2086
  setsid "$JAVA" --enable-native-access=ALL-UNNAMED ${SERVER_JAVA_OPTS:-} -cp "$CP" dev.pounce.bench.WsBenchServer \
    --port 0 --workers "$WORKERS" ws.ping-interval=0 "$@" >"$log" 2>&1 &
  server_pid=$!
  for _ in $(seq 300); do
    if grep -q '^listening on' "$log"; then
      port=$(sed -n 's/^listening on \([0-9]*\).*/\1/p' "$log" | head -1)
      return 0
    fi
    kill -0 "$server_pid" 2>/dev/null || { cat "$log" >&2; exit 1; }
    sleep 0.1
  done
  echo "ws-bench: the server did not start" >&2; cat "$log" >&2; exit 1
}

client() {
  "$JAVA" --enable-native-access=ALL-UNNAMED -cp "$CP" dev.pounce.bench.WsBench --url "ws://127.0.0.1:$port/ws" \
    --threads "$CLIENT_THREADS" "$@"
}

results=()
start_server
line=$(client --connections "$CONNECTIONS" --size "$SIZE" --duration "$DURATION" --warmup "$WARMUP")
echo "$line" >&2; results+=("plain | $line")
stop_server
# Every message compressed both ways: the server compresses from 0 bytes on (its default is 1024).
start_server ws.deflate-min-size=0
line=$(client --connections "$CONNECTIONS" --size "$SIZE" --duration "$DURATION" --warmup "$WARMUP" --deflate)
echo "$line" >&2; results+=("deflate | $line")
stop_server

heap_kib() { # live heap after a full collection, in KiB
  "$JAVA_HOME/bin/jcmd" "$1" GC.run >/dev/null
  "$JAVA_HOME/bin/jcmd" "$1" GC.heap_info | sed -n 's/.* used \([0-9]*\)K.*/\1/p' | head -1
}
rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }

if [ "$IDLE" -gt 0 ]; then
  ulimit -n $((IDLE * 2 + 1024)) 2>/dev/null || true
  start_server ws.ping-interval=20
  jvm=$(pgrep -f -n "WsBenchServer" || true)
  jvm=${jvm:-$server_pid}
  sleep 1
  heap0=$(heap_kib "$jvm"); rss0=$(rss_kib "$jvm")
  mkfifo "$work/hold"
  client --idle "$IDLE" <"$work/hold" >"$work/idle.log" 2>&1 &
  client_pid=$!
  exec 3>"$work/hold"
  for _ in $(seq 1200); do grep -q '^open' "$work/idle.log" && break; kill -0 $client_pid || break; sleep 0.1; done
  grep -q '^open' "$work/idle.log" || { cat "$work/idle.log" >&2; exit 1; }
  heap1=$(heap_kib "$jvm"); rss1=$(rss_kib "$jvm")
  exec 3>&-
  wait $client_pid || true
  stop_server
  per_heap=$(( (heap1 - heap0) * 1024 / IDLE ))
  per_rss=$(( (rss1 - rss0) * 1024 / IDLE ))
  results+=("idle | sessions=$IDLE heap ${heap0}K -> ${heap1}K ($per_heap B/session) RSS ${rss0}K -> ${rss1}K ($per_rss B/session)")
fi

echo
echo "| run | result |"
echo "|---|---|"
for r in "${results[@]}"; do echo "| ${r%% | *} | ${r#* | } |"; done
