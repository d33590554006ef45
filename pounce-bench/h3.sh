#!/usr/bin/env bash
# HTTP/3 against HTTP/2 over TLS on one Pounce server, in one run: `GET /` with the same number of connections and
# concurrent streams per connection, h2load for HTTP/2 (TLS, ALPN h2) and Hostile h3-load (Netty's HTTP/3 client,
# closed loop, in this module) for HTTP/3, since h2load has no QUIC here. Then, with the same HTTP/3 client, the
# raw-Netty HTTP/3 baseline (RawNettyH3Hello), answering inside the read and from a task. Prints a Markdown table:
# requests per second, latency percentiles, errors, the server's CPU time per request (from /proc, so it does not
# depend on which client is faster), and the datagrams the kernel dropped at the server's full UDP socket (ss).
#
#   pounce-bench/h3.sh                                  # 16 connections x 10 streams, 5 s warm-up, 10 s measured
#   CONNS=4 STREAMS=32 DURATION=20 pounce-bench/h3.sh
#   ROUNDS=3 RAW=0 pounce-bench/h3.sh                   # Pounce only, h2 and h3 alternating three times
#
# Environment (defaults in brackets):
#   CONNS       connections [16]
#   STREAMS     concurrent streams (requests in flight) per connection [10]
#   DURATION    measured seconds per run [10]
#   WARMUP      seconds of unrecorded load before each measured run, on its own connections [5]
#   ROUNDS      h2 then h3 against the same server, this many times [1]
#   RAW         1 to add the raw-Netty HTTP/3 rows, 0 not to [1]
#   POUNCE      the launcher [bin/pounce]
#   POUNCE_ARGS extra flags for the Pounce server, e.g. '--dispatch loop'
#   POUNCE_JAVA_OPTS  the server's JVM options (read by the launcher)
# Needs: h2load (nghttp2-client), curl, openssl, python3, a JDK 25, and a built pounce-bench
# (./mvnw -B -ntp -q -pl pounce-bench -am install -DskipTests). Every server runs in its own session and is killed
# with its process group before the next starts and when the script exits for any reason.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
ROOT=$(dirname "$HERE")
cd "$ROOT"
. bin/find-jdk.sh
pounce_find_jdk
JAVA="$JAVA_HOME/bin/java"

CONNS=${CONNS:-16}
STREAMS=${STREAMS:-10}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-5}
ROUNDS=${ROUNDS:-1}
RAW=${RAW:-1}
POUNCE=${POUNCE:-bin/pounce}
POUNCE_ARGS=${POUNCE_ARGS:-}
CP="pounce-bench/target/pounce-bench-0.1.0-SNAPSHOT.jar:pounce-bench/target/lib/*"
for tool in h2load curl openssl python3 ss; do
  command -v "$tool" >/dev/null || { echo "h3.sh: $tool is missing" >&2; exit 1; }
done
[ -f pounce-bench/target/pounce-bench-0.1.0-SNAPSHOT.jar ] || { echo "h3.sh: build pounce-bench first" >&2; exit 1; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/pounce-h3.XXXXXX")
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

"$POUNCE" --version >"$WORK/pounce-version.log" 2>&1 </dev/null || {
  # bin/pounce rebuilds its distribution when a source changed; doing it here keeps it out of the start-up wait.
  echo "h3.sh: '$POUNCE --version' failed:" >&2; sed 's/^/  | /' "$WORK/pounce-version.log" >&2; exit 1; }
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj /CN=localhost -days 2 \
  -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout "$WORK/key.pem" -out "$WORK/cert.pem" >/dev/null 2>&1

free_port() { # a port free on TCP and UDP alike, since the server takes both
  python3 -c 'import socket
while True:
    t = socket.socket(); t.bind(("127.0.0.1", 0)); p = t.getsockname()[1]
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        u.bind(("127.0.0.1", p)); print(p); break
    except OSError:
        pass
    finally:
        u.close(); t.close()'
}
start_server() { local log=$1; shift; setsid "$@" >"$log" 2>&1 </dev/null & server_pid=$!; }
# The server's JVM: the launcher execs it, so it is the group leader; a child JVM is looked for all the same.
server_jvm() {
  if [ "$(cat "/proc/$server_pid/comm" 2>/dev/null)" = java ]; then echo "$server_pid"; return; fi
  pgrep -o -x -g "$server_pid" java
}
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; } # user + system, in clock ticks
TICK=$(getconf CLK_TCK)
# Datagrams the kernel dropped because the server's UDP sockets on PORT were full (ss's per-socket counter).
udp_drops() { ss -uanm "( sport = :$1 )" | grep -o 'd[0-9]*)' | tr -d 'd)' | awk '{ s += $1 } END { print s + 0 }'; }
field() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<" $1" | head -n 1; }

h3load() { # PORT DURATION : one h3-load run; its result line
  "$JAVA" --enable-native-access=ALL-UNNAMED -cp "$CP" dev.pounce.bench.hostile.Hostile h3-load --port "$1" \
    --connections "$CONNS" --streams "$STREAMS" --warmup 0 --duration "$2" 2>>"$WORK/h3-load.err" </dev/null |
    grep '^result' || true
}

# Percentiles of h2load's per-request log (third column: microseconds to the response's end), in milliseconds.
h2_percentiles() {
  cut -f3 "$1" | sort -n | awk '{ v[NR] = $1 } END {
    if (NR == 0) { print "- - - - -"; exit }
    split("0.50 0.90 0.99 0.999", q, " ")
    for (i = 1; i <= 4; i++) { r = int(q[i] * NR + 0.999999); if (r < 1) r = 1; printf "%.2f ", v[r] / 1000 }
    printf "%.2f\n", v[NR] / 1000 }'
}

rows=()
# row LABEL PROTOCOL CLIENT RPS P50 P90 P99 MAX ERRORS CPU_US DROPS
row() { rows+=("| $1 | $2 | $3 | $CONNS x $STREAMS | $4 | $5 | $6 | $7 | $8 | $9 | ${10} | ${11} |"); }
us_per_request() { awk -v t="$1" -v n="$2" -v hz="$TICK" 'BEGIN { if (n > 0) printf "%.0f", t / hz * 1e6 / n; else print "-" }'; }

measure_h3() { # LABEL PORT JVM-PID
  local out t0 t1 n d0 d1
  h3load "$2" "$WARMUP" >/dev/null
  t0=$(cpu_ticks "$3"); d0=$(udp_drops "$2")
  out=$(h3load "$2" "$DURATION")
  t1=$(cpu_ticks "$3"); d1=$(udp_drops "$2")
  echo "   $1 h3: $out" >&2
  n=$(field "$out" requests)
  row "$1" "HTTP/3 (QUIC)" "h3-load (Java)" "$(printf '%.0f' "$(field "$out" rps)")" "$(field "$out" p50_ms)" \
    "$(field "$out" p90_ms)" "$(field "$out" p99_ms)" "$(field "$out" max_ms)" \
    "$(( $(field "$out" errors) + $(field "$out" non2xx) ))" "$(us_per_request $((t1 - t0)) "$n")" "$((d1 - d0))"
}

measure_h2() { # LABEL PORT JVM-PID ROUND
  local out t0 t1 log="$WORK/h2-$4.log" n rps failed p
  h2load -c"$CONNS" -m"$STREAMS" -D "$WARMUP" "https://127.0.0.1:$2/" >/dev/null 2>&1 || true
  t0=$(cpu_ticks "$3")
  out=$(h2load -c"$CONNS" -m"$STREAMS" -D "$DURATION" --log-file="$log" "https://127.0.0.1:$2/" 2>&1 || true)
  t1=$(cpu_ticks "$3")
  rps=$(sed -n 's/^finished in .*, \([0-9.]*\) req\/s.*/\1/p' <<<"$out")
  n=$(sed -n 's/^requests: .* \([0-9]*\) succeeded.*/\1/p' <<<"$out")
  failed=$(sed -n 's/^requests: .* \([0-9]*\) failed, \([0-9]*\) errored, \([0-9]*\) timeout.*/\1 \2 \3/p' <<<"$out" |
    awk '{ print $1 + $2 + $3 }')
  echo "   $1 h2: $(grep -E '^(finished|requests|status codes)' <<<"$out" | tr '\n' ' ')" >&2
  read -r -a p <<<"$(h2_percentiles "$log")"
  row "$1" "HTTP/2 (TLS)" "h2load" "$(printf '%.0f' "${rps:-0}")" "${p[0]}" "${p[1]}" "${p[2]}" "${p[4]}" \
    "${failed:-?}" "$(us_per_request $((t1 - t0)) "${n:-0}")" "- (TCP)"
}

wait_h3() { # PORT : until an HTTP/3 GET answers (the raw server has no TCP side)
  local i out
  for i in $(seq 1 60); do
    kill -0 "$server_pid" 2>/dev/null || { echo "h3.sh: the server exited; see $WORK" >&2; exit 1; }
    out=$("$JAVA" --enable-native-access=ALL-UNNAMED -cp "$CP" dev.pounce.bench.hostile.Hostile h3-load --port "$1" \
      --connections 1 --streams 1 --warmup 0 --duration 1 2>/dev/null </dev/null || true)
    [ "$(field "$(grep '^result' <<<"$out")" requests)" -gt 0 ] 2>/dev/null && return 0
  done
  echo "h3.sh: no HTTP/3 answer on port $1; see $WORK" >&2
  exit 1
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
echo "h3.sh: $(nproc) cores, load average $load_before; logs in $WORK" >&2
port=$(free_port)
# shellcheck disable=SC2086 # POUNCE_ARGS is a list of words on purpose
start_server "$WORK/pounce.log" "$POUNCE" --port "$port" --no-access-log --log-level warning \
  --ssl-certfile "$WORK/cert.pem" --ssl-keyfile "$WORK/key.pem" --http3 $POUNCE_ARGS
for i in $(seq 1 300); do
  kill -0 "$server_pid" 2>/dev/null || { echo "h3.sh: Pounce exited:" >&2; sed 's/^/  | /' "$WORK/pounce.log" >&2; exit 1; }
  curl -fsk --max-time 1 "https://127.0.0.1:$port/" >/dev/null 2>&1 && break
  sleep 0.1
done
wait_h3 "$port"
jvm=$(server_jvm)
for round in $(seq 1 "$ROUNDS"); do
  echo "== round $round: Pounce on port $port" >&2
  measure_h2 "Pounce" "$port" "$jvm" "$round"
  measure_h3 "Pounce" "$port" "$jvm"
done
stop_server

if [ "$RAW" = 1 ]; then
  for mode in inline later; do
    port=$(free_port)
    args=()
    [ "$mode" = later ] && args=(--answer-later)
    start_server "$WORK/raw-$mode.log" "$JAVA" --enable-native-access=ALL-UNNAMED -cp "$CP" \
      dev.pounce.bench.RawNettyH3Hello "$port" "$WORK/cert.pem" "$WORK/key.pem" "${args[@]}"
    wait_h3 "$port"
    echo "== raw Netty HTTP/3 ($mode) on port $port" >&2
    label="raw Netty (RawNettyH3Hello, answers in the read)"
    [ "$mode" = later ] && label="raw Netty (RawNettyH3Hello --answer-later)"
    measure_h3 "$label" "$port" "$server_pid"
    stop_server
  done
fi

echo
echo "\`GET /\`, one worker, $CONNS connections x $STREAMS concurrent streams, ${WARMUP} s warm-up then ${DURATION} s measured" \
  "per run; $(nproc) cores shared by the clients and the server, load average $load_before before the run."
echo
echo "| server | protocol | client | connections x streams | req/s | p50 (ms) | p90 (ms) | p99 (ms) | max (ms) | errors | server CPU per request (µs) | datagrams dropped at the server |"
echo "| --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
printf '%s\n' "${rows[@]}"
