#!/usr/bin/env bash
# HTTP/2 requests per second for `GET /` in one run: Pounce over h2c (prior knowledge), Pounce over TLS (h2 by
# ALPN), the same Pounce server over HTTP/1.1, and the raw-Netty HTTP/2 baseline (RawNettyH2Hello), one worker /
# one event loop each, measured with h2load -c16 -m32 -n200000 (HTTP/1.1: --h1 -c16 -m1, as HTTP/1.1 has no
# multiplexing). Prints a Markdown table.
#
#   pounce-bench/h2load.sh
#   N=500000 pounce-bench/h2load.sh
#
# Needs: h2load and curl (Debian nghttp2-client, curl), openssl (for a throwaway certificate), python3, a JDK 25 and
# a built pounce-bench (./mvnw -B -ntp -q -pl pounce-bench -am install -DskipTests). Every server is killed before
# the next starts and when the script exits.
# POUNCE_ARGS: extra flags for every Pounce server, e.g. POUNCE_ARGS='--dispatch loop'.
set -euo pipefail
POUNCE_ARGS=${POUNCE_ARGS:-}
cd "$(dirname "$0")/.."
. bin/find-jdk.sh
pounce_find_jdk
JAVA="$JAVA_HOME/bin/java"
N=${N:-200000}
WARMUP_N=${WARMUP_N:-50000}
POUNCE=${POUNCE:-bin/pounce}
BENCH_CP="pounce-bench/target/pounce-bench-0.1.0-SNAPSHOT.jar:pounce-bench/target/lib/*"
for tool in h2load curl openssl python3; do
  command -v "$tool" >/dev/null || { echo "h2load.sh: $tool is missing" >&2; exit 1; }
done
[ -f pounce-bench/target/pounce-bench-0.1.0-SNAPSHOT.jar ] || { echo "h2load.sh: build pounce-bench first" >&2; exit 1; }
"$POUNCE" --version >/dev/null  # builds the distribution now, not inside a start-up wait

WORK=$(mktemp -d "${TMPDIR:-/tmp}/pounce-h2load.XXXXXX")
openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=localhost -days 2 -keyout "$WORK/key.pem" \
  -out "$WORK/cert.pem" >/dev/null 2>&1
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
trap 'stop_server; rm -rf "$WORK"' EXIT
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
start_server() { local log=$1; shift; setsid "$@" >"$log" 2>&1 </dev/null & server_pid=$!; }
wait_ready() { # URL CURL-ARGS...
  local url=$1 i; shift
  for i in $(seq 1 300); do
    kill -0 "$server_pid" 2>/dev/null || { echo "h2load.sh: the server exited" >&2; return 1; }
    curl -fsS --max-time 1 "$@" "$url" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "h2load.sh: nothing answered at $url" >&2
  return 1
}
declare -A RPS
run_h2load() { # KEY ARGS...
  local key=$1; shift
  h2load "$@" -n "$WARMUP_N" >/dev/null 2>&1 || true
  local out
  out=$(h2load "$@" -n "$N" 2>&1)
  RPS[$key]=$(sed -n 's/^finished in .*, \([0-9.]*\) req\/s.*/\1/p' <<<"$out")
  grep -q " 0 failed, 0 errored" <<<"$out" || RPS[$key]="${RPS[$key]} (some requests failed)"
}

port=$(free_port)
start_server "$WORK/raw.log" "$JAVA" --enable-native-access=ALL-UNNAMED -cp "$BENCH_CP" dev.pounce.bench.RawNettyH2Hello "$port" 1
wait_ready "http://127.0.0.1:$port/" --http2-prior-knowledge
run_h2load raw -c16 -m32 "http://127.0.0.1:$port/"
stop_server

port=$(free_port)
start_server "$WORK/pounce.log" "$POUNCE" --port "$port" --no-access-log --log-level warning $POUNCE_ARGS
wait_ready "http://127.0.0.1:$port/"
run_h2load h2c -c16 -m32 "http://127.0.0.1:$port/"
run_h2load h1 --h1 -c16 -m1 "http://127.0.0.1:$port/"
stop_server

port=$(free_port)
start_server "$WORK/tls.log" "$POUNCE" --port "$port" --no-access-log --log-level warning $POUNCE_ARGS \
  --ssl-certfile "$WORK/cert.pem" --ssl-keyfile "$WORK/key.pem"
wait_ready "https://127.0.0.1:$port/" -k
run_h2load tls -c16 -m32 "https://127.0.0.1:$port/"
stop_server

ratio() { python3 -c "print(f'{float(\"$1\".split()[0]) / float(\"$2\".split()[0]):.2f}x')" 2>/dev/null || echo "-"; }
echo
echo "\`GET /\`, one worker, h2load -n$N after a ${WARMUP_N}-request warm-up, 2 cores shared by h2load and the server."
echo
echo "| server | protocol | h2load | req/s | vs raw Netty h2c |"
echo "| --- | --- | --- | ---: | ---: |"
echo "| raw Netty (RawNettyH2Hello) | h2c | -c16 -m32 | ${RPS[raw]} | 1.00x |"
echo "| Pounce | h2c (prior knowledge) | -c16 -m32 | ${RPS[h2c]} | $(ratio "${RPS[h2c]}" "${RPS[raw]}") |"
echo "| Pounce | h2 over TLS (ALPN) | -c16 -m32 | ${RPS[tls]} | $(ratio "${RPS[tls]}" "${RPS[raw]}") |"
echo "| Pounce | HTTP/1.1 | --h1 -c16 -m1 | ${RPS[h1]} | $(ratio "${RPS[h1]}" "${RPS[raw]}") |"
