#!/usr/bin/env bash
# Hostile clients at scale against bin/pounce (issue 9, item 5), with dev.pounce.bench.hostile.Hostile as the
# client. Three parts, each against a fresh server, each ending in a Markdown table (see README.md "Hostile clients
# and soak"):
#   slowloris    the latency of a well-behaved keep-alive client alone, then while SLOWLORIS connections drip a
#                request head one byte a second; the p99 ratio (target: at most 2x), the cuts the server made, and
#                the server's heap and RSS before, during and after
#   idle         IDLE keep-alive connections, one GET / each, then idle, over HTTP/1.1, h2c and HTTP/3 (QUIC, so
#                TLS 1.3): the server's heap (after a full GC) and RSS per connection, and proof that all were open
#                (ss for TCP, and a second request)
#   slow-reader  SLOW_READERS clients POST a large body to /echo and never read the echo: how long until the
#                server cuts each (--timeout-write WRITE_TIMEOUT) and whether its memory stays bounded
#
#   pounce-bench/hostile.sh                                   # all three, about 4 minutes on 2 cores
#   TESTS=idle IDLE=2000 pounce-bench/hostile.sh              # one part, smaller
#   SLOWLORIS=200 LATENCY_DURATION=10 TESTS=slowloris pounce-bench/hostile.sh
#
# Environment (defaults in brackets):
#   TESTS               the parts to run, in order [slowloris idle slow-reader]
#   SLOWLORIS           slow-loris connections kept open [1000]
#   DRIP_MS             milliseconds between two dripped header bytes [1000]
#   HEADER_TIMEOUT      the server's --timeout-header in seconds [empty: the server's default, 10]
#   LATENCY_CONNS       the well-behaved client's keep-alive connections [4]
#   LATENCY_DURATION    seconds each latency run is recorded [20]
#   WARMUP              seconds of unrecorded load before the first latency run [5]
#   IDLE                idle connections per protocol [10000]
#   IDLE_PROTOCOLS      [h1 h2 h3] (h2 is cleartext with prior knowledge; h3 is QUIC, with a throwaway certificate
#                       made by openssl, --http3 and --http3-idle-timeout 3600)
#   IDLE_WARMUP         connections opened and closed once before the baseline, so one-time allocations are not
#                       counted per connection [500]
#   SLOW_READERS        clients that never read [50]
#   SLOW_READER_SIZES   request (and so echoed response) body sizes, one server run each; suffix k, m, g [64m 1g]
#   WRITE_TIMEOUT       the server's --timeout-write in seconds for the slow-reader part [5]
#   POUNCE              the launcher [bin/pounce]
#   POUNCE_ARGS         extra flags for every server, e.g. '--dispatch loop'
#   POUNCE_JAVA_OPTS    extra server JVM options, e.g. -Xmx512m (read by the launcher)
#   HOSTILE_JAVA_OPTS   extra client JVM options
# Needs: curl, python3 (free ports), ss, a JDK 25 with jcmd and jstat, a built pounce-bench
# (./mvnw -B -ntp -q -pl pounce-bench -am install -DskipTests). Every server runs in its own session and is killed
# with its whole process group before the next starts and when the script exits for any reason; clients too.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
ROOT=$(dirname "$HERE")
cd "$ROOT"
. bin/find-jdk.sh
pounce_find_jdk
export JAVA_HOME
JAVA="$JAVA_HOME/bin/java"
JCMD="$JAVA_HOME/bin/jcmd"
JSTAT="$JAVA_HOME/bin/jstat"

TESTS=${TESTS:-slowloris idle slow-reader}
SLOWLORIS=${SLOWLORIS:-1000}
DRIP_MS=${DRIP_MS:-1000}
HEADER_TIMEOUT=${HEADER_TIMEOUT:-}
LATENCY_CONNS=${LATENCY_CONNS:-4}
LATENCY_DURATION=${LATENCY_DURATION:-20}
WARMUP=${WARMUP:-5}
IDLE=${IDLE:-10000}
IDLE_PROTOCOLS=${IDLE_PROTOCOLS:-h1 h2 h3}
IDLE_WARMUP=${IDLE_WARMUP:-500}
SLOW_READERS=${SLOW_READERS:-50}
SLOW_READER_SIZES=${SLOW_READER_SIZES:-64m 1g}
WRITE_TIMEOUT=${WRITE_TIMEOUT:-5}
POUNCE=${POUNCE:-$ROOT/bin/pounce}
POUNCE_ARGS=${POUNCE_ARGS:-}
HOSTILE_JAVA_OPTS=${HOSTILE_JAVA_OPTS:-}

shopt -s nullglob
jars=("$HERE"/target/pounce-bench-*.jar)
shopt -u nullglob
if [ ${#jars[@]} -eq 0 ] || [ ! -d "$HERE/target/lib" ]; then
  echo "hostile.sh: pounce-bench is not built; run: ./mvnw -B -ntp -q -pl pounce-bench -am install -DskipTests" >&2
  exit 1
fi
CP="${jars[0]}:$HERE/target/lib/*"
for tool in curl python3 ss setsid; do
  command -v "$tool" >/dev/null || { echo "hostile.sh: needs $tool on PATH" >&2; exit 1; }
done

LOGDIR=$(mktemp -d "${TMPDIR:-/tmp}/pounce-hostile.XXXXXX")
echo "hostile.sh: logs in $LOGDIR" >&2
server_pid=""
port=""
bg_pids=()

# Kills the server's whole process group (the launcher execs the JVM, but a worker strategy may add children).
stop_server() {
  [ -n "$server_pid" ] || return 0
  local pid=$server_pid i
  server_pid=""
  kill -TERM -- "-$pid" 2>/dev/null || true
  for i in $(seq 1 100); do kill -0 -- "-$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 -- "-$pid" 2>/dev/null; then
    echo "hostile.sh: server group $pid ignored SIGTERM for 10 s; killing it" >&2
    kill -KILL -- "-$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}
# Background clients and samplers this script started, by pid.
stop_background() {
  local pid
  for pid in "${bg_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${bg_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  bg_pids=()
}
cleanup() { exec 3>&- 2>/dev/null || true; stop_background; stop_server; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# start_server NAME FLAGS... : a fresh server on a free port, in its own session; waits until GET / answers (over
# TLS when probe_scheme is https).
probe_scheme=http
start_server() {
  local name=$1 log i body
  shift
  port=$(free_port)
  log="$LOGDIR/server-$name.log"
  # shellcheck disable=SC2086 # POUNCE_ARGS is a list of words on purpose
  setsid "$POUNCE" --port "$port" --no-access-log --log-level warning "$@" $POUNCE_ARGS >"$log" 2>&1 </dev/null &
  server_pid=$!
  for i in $(seq 1 300); do
    if ! kill -0 "$server_pid" 2>/dev/null; then
      echo "hostile.sh: the server exited before answering; its output:" >&2
      sed 's/^/  | /' "$log" >&2
      exit 1
    fi
    if body=$(curl -fsSk --max-time 1 "$probe_scheme://127.0.0.1:$port/" 2>/dev/null); then
      [ "$body" = "Hello from Pounce!" ] || { echo "hostile.sh: GET / answered '$body'" >&2; exit 1; }
      return 0
    fi
    sleep 0.1
  done
  echo "hostile.sh: nothing answered on port $port within 30 s; server output:" >&2
  sed 's/^/  | /' "$log" >&2
  exit 1
}

# The server's JVM: the launcher execs it, so it is the group leader; a child JVM is looked for all the same.
server_jvm() {
  if [ "$(cat "/proc/$server_pid/comm" 2>/dev/null)" = java ]; then echo "$server_pid"; return; fi
  pgrep -o -x -g "$server_pid" java
}
rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
heap_after_gc_kib() { # live heap after a full collection
  "$JCMD" "$1" GC.run >/dev/null
  "$JCMD" "$1" GC.heap_info | sed -n 's/.* used \([0-9]*\)K.*/\1/p' | head -n 1
}
# jstat -gc output (a header, then samples) to the used heap of each sample in KiB, garbage included: jstat
# reads the JVM's shared counters, so sampling needs no safepoint and no collection.
jstat_used_kib() {
  awk '$1 == "S0C" { for (i = 1; i <= NF; i++) col[$i] = i; next }
    col["EU"] { printf "%.0f\n", $col["S0U"] + $col["S1U"] + $col["EU"] + $col["OU"] }'
}
whole() { awk -v x="$1" 'BEGIN { if (x == "") print "-"; else printf "%.0f", x }'; }
mib() { awk -v k="$1" 'BEGIN { if (k == "") print "-"; else printf "%.1f", k / 1024 }'; }
established() { ss -Htn state established "( sport = :$port )" | wc -l; }
field() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<"$1" | head -n 1; }

hostile() { # SUBCOMMAND FLAGS... : the client; its result line on stdout
  # shellcheck disable=SC2086
  "$JAVA" $HOSTILE_JAVA_OPTS -cp "$CP" dev.pounce.bench.hostile.Hostile "$@" --port "$port"
}
# run_client NAME SUBCOMMAND FLAGS... : runs the client to its end and prints its result line. It runs in the
# background and is waited for, because bash runs a trap only once a foreground command ends, and an interrupted
# run must not wait out a 20 s client (the exit trap stops it instead).
run_client() {
  local name=$1 pid
  shift
  hostile "$@" >"$LOGDIR/$name.out" 2>"$LOGDIR/$name.err" </dev/null &
  pid=$!
  bg_pids+=("$pid")
  wait "$pid" || true
  forget "$pid"
  grep '^result' "$LOGDIR/$name.out" || true
}

# hold_start NAME SUBCOMMAND FLAGS... : the client in the background, held open by a pipe on fd 3 until
# hold_stop; its stdout goes to $LOGDIR/NAME.out.
hold_start() {
  local name=$1
  shift
  rm -f "$LOGDIR/$name.hold"
  mkfifo "$LOGDIR/$name.hold"
  hostile "$@" --duration 0 <"$LOGDIR/$name.hold" >"$LOGDIR/$name.out" 2>"$LOGDIR/$name.err" &
  hold_pid=$!
  bg_pids+=("$hold_pid")
  exec 3>"$LOGDIR/$name.hold"
}
hold_stop() { exec 3>&-; wait "$hold_pid" || true; forget "$hold_pid"; }
forget() { # PID : no longer needs stopping on exit
  local kept=() p
  for p in "${bg_pids[@]}"; do [ "$p" = "$1" ] || kept+=("$p"); done
  bg_pids=("${kept[@]}")
}
# wait_line NAME WORD SECONDS : waits until the held client printed a line starting with WORD
wait_line() {
  local i
  for i in $(seq 1 $(($3 * 10))); do
    grep -q "^$2" "$LOGDIR/$1.out" 2>/dev/null && return 0
    kill -0 "$hold_pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "hostile.sh: $1 never printed '$2'; its output:" >&2
  sed 's/^/  | /' "$LOGDIR/$1.out" "$LOGDIR/$1.err" >&2
  return 1
}

"$POUNCE" --version >"$LOGDIR/pounce-version.log" 2>&1 </dev/null || {
  # bin/pounce rebuilds its distribution when a source changed; doing it here keeps it out of the start-up wait.
  echo "hostile.sh: '$POUNCE --version' failed:" >&2; sed 's/^/  | /' "$LOGDIR/pounce-version.log" >&2; exit 1; }
echo "hostile.sh: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $("$JAVA" -version 2>&1 | head -n 1)" >&2

tables=()

run_slowloris() {
  local header_flags=() unloaded loaded lor jvm
  [ -n "$HEADER_TIMEOUT" ] && header_flags=(--timeout-header "$HEADER_TIMEOUT")
  echo "== slowloris: $SLOWLORIS connections, latency client $LATENCY_CONNS connections x ${LATENCY_DURATION} s" >&2
  start_server slowloris "${header_flags[@]}"
  jvm=$(server_jvm)
  run_client latency-warmup latency --connections "$LATENCY_CONNS" --duration "$WARMUP" >/dev/null
  run_client latency-unloaded latency --connections "$LATENCY_CONNS" --duration "$LATENCY_DURATION" >/dev/null
  unloaded=$(grep '^result' "$LOGDIR/latency-unloaded.out" || true)
  echo "   unloaded: $unloaded" >&2
  local heap0 rss0 heap1 rss1 heap2 rss2 est
  heap0=$(heap_after_gc_kib "$jvm"); rss0=$(rss_kib "$jvm")
  hold_start slowloris slowloris --connections "$SLOWLORIS" --drip-ms "$DRIP_MS"
  wait_line slowloris ready 120
  run_client latency-loaded latency --connections "$LATENCY_CONNS" --duration "$LATENCY_DURATION" >/dev/null
  loaded=$(grep '^result' "$LOGDIR/latency-loaded.out" || true)
  echo "   with slowloris: $loaded" >&2
  est=$(established)
  heap1=$(heap_after_gc_kib "$jvm"); rss1=$(rss_kib "$jvm")
  hold_stop
  lor=$(grep '^result' "$LOGDIR/slowloris.out" || true)
  echo "   slowloris: $lor" >&2
  sleep 2
  heap2=$(heap_after_gc_kib "$jvm"); rss2=$(rss_kib "$jvm")
  stop_server

  local p99u p99l ratio verdict
  p99u=$(field "$unloaded" p99_ms); p99l=$(field "$loaded" p99_ms)
  ratio=$(awk -v a="$p99l" -v b="$p99u" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }')
  verdict=$(awk -v r="$ratio" 'BEGIN { print (r != "-" && r <= 2) ? "within the 2x target" : "OVER the 2x target" }')
  local t
  t="### slowloris: $SLOWLORIS connections dripping 1 byte / ${DRIP_MS} ms, header timeout ${HEADER_TIMEOUT:-10 (default)} s"$'\n\n'
  t+="| run | req/s | p50 (ms) | p99 (ms) | max (ms) | errors | timeouts |"$'\n'
  t+="| --- | ---: | ---: | ---: | ---: | ---: | ---: |"$'\n'
  for run in "unloaded|$unloaded" "with slowloris|$loaded"; do
    local r=${run#*|}
    t+="| ${run%%|*} | $(whole "$(field "$r" rps)") | $(field "$r" p50_ms) | $(field "$r" p99_ms) | $(field "$r" max_ms) | $(field "$r" errors) | $(field "$r" timeouts) |"$'\n'
  done
  t+=$'\n'"p99 with slowloris / p99 unloaded = **${ratio}x** ($verdict). GET / from $LATENCY_CONNS keep-alive connections, closed loop, ${LATENCY_DURATION} s each."$'\n\n'
  t+="| slowloris | value |"$'\n'"| --- | ---: |"$'\n'
  t+="| connections opened (kept at $SLOWLORIS) | $(field "$lor" opened) |"$'\n'
  t+="| cut by the server | $(field "$lor" cuts) (408: $(field "$lor" cut_408), other status: $(field "$lor" cut_other), close: $(field "$lor" cut_eof), reset: $(field "$lor" cut_reset)) |"$'\n'
  t+="| age at cut min / p50 / max (ms) | $(field "$lor" age_at_cut_min_ms) / $(field "$lor" age_at_cut_p50_ms) / $(field "$lor" age_at_cut_max_ms) |"$'\n'
  t+="| connect errors | $(field "$lor" connect_errors) |"$'\n'
  t+="| server-side established sockets after the loaded run | $est |"$'\n\n'
  t+="| server memory | heap after full GC (MiB) | RSS (MiB) |"$'\n'"| --- | ---: | ---: |"$'\n'
  t+="| before (after the unloaded run) | $(mib "$heap0") | $(mib "$rss0") |"$'\n'
  t+="| during (slowloris open) | $(mib "$heap1") | $(mib "$rss1") |"$'\n'
  t+="| after (slowloris gone 2 s) | $(mib "$heap2") | $(mib "$rss2") |"$'\n'
  if [ "$(field "$lor" cuts)" = 0 ]; then
    t+=$'\n'"**The server cut no slow-loris connection** in the whole run."$'\n'
  fi
  tables+=("$t")
}

# Both the server and the client hold one descriptor per connection; both inherit this shell's soft limit.
raise_fd_limit() {
  local need=$((IDLE + 1024)) soft hard
  soft=$(ulimit -Sn); hard=$(ulimit -Hn)
  if [ "$soft" != unlimited ] && [ "$soft" -lt "$need" ]; then
    local want=$need
    [ "$hard" != unlimited ] && [ "$hard" -lt "$want" ] && want=$hard
    ulimit -Sn "$want" 2>/dev/null || true
    echo "hostile.sh: raised the soft open-files limit from $soft to $(ulimit -Sn) (hard $hard)" >&2
  fi
  soft=$(ulimit -Sn)
  if [ "$soft" != unlimited ] && [ "$soft" -lt $((IDLE + 100)) ]; then
    echo "hostile.sh: the open-files limit is $soft (hard $hard), too low for IDLE=$IDLE; skipping idle" >&2
    return 1
  fi
  echo "hostile.sh: open-files soft limit $soft, enough for $IDLE connections" >&2
}

run_idle() {
  local t rows="" proto
  raise_fd_limit || { tables+=("### idle: skipped, ulimit -n $(ulimit -Sn) is below IDLE=$IDLE + 100"$'\n'); return 0; }
  local ports
  ports=$(awk '{print $2 - $1 + 1}' /proc/sys/net/ipv4/ip_local_port_range)
  [ "$ports" -ge "$IDLE" ] || echo "hostile.sh: only $ports ephemeral ports for $IDLE connections" >&2
  for proto in $IDLE_PROTOCOLS; do
    echo "== idle: $IDLE connections over $proto" >&2
    # Keep-alive timeout an hour (default 5 s) so nothing idles out while measured; no connection limit (the
    # default is 10,000 per worker). QUIC needs TLS, and has its own idle timeout (default 30 s).
    local quic_flags=()
    probe_scheme=http
    if [ "$proto" = h3 ]; then
      [ -f "$LOGDIR/cert.pem" ] || openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
        -subj /CN=localhost -days 2 -keyout "$LOGDIR/key.pem" -out "$LOGDIR/cert.pem" >/dev/null 2>&1
      quic_flags=(--ssl-certfile "$LOGDIR/cert.pem" --ssl-keyfile "$LOGDIR/key.pem" --http3 --http3-idle-timeout 3600)
      probe_scheme=https
    fi
    start_server "idle-$proto" --timeout-keep-alive 3600 --limit-connections 0 "${quic_flags[@]}"
    local jvm heap0 rss0 heap1 rss1 est open res
    jvm=$(server_jvm)
    if [ "$IDLE_WARMUP" -gt 0 ]; then
      run_client "idle-$proto-warmup" idle --protocol "$proto" --connections "$IDLE_WARMUP" --duration 1 >/dev/null
    fi
    sleep 1
    heap0=$(heap_after_gc_kib "$jvm"); rss0=$(rss_kib "$jvm")
    hold_start "idle-$proto" idle --protocol "$proto" --connections "$IDLE"
    wait_line "idle-$proto" open 900
    sleep 2
    est=$(established)
    [ "$proto" = h3 ] && est="- (UDP)"
    heap1=$(heap_after_gc_kib "$jvm"); rss1=$(rss_kib "$jvm")
    open=$(grep '^open' "$LOGDIR/idle-$proto.out")
    hold_stop
    res=$(grep '^result' "$LOGDIR/idle-$proto.out" || true)
    echo "   $open; $res; server established: $est" >&2
    stop_server
    local n per_heap per_rss
    n=$(field " $open" ok)
    per_heap=$(awk -v a="$heap0" -v b="$heap1" -v n="$n" 'BEGIN { if (n > 0) printf "%.0f", (b - a) * 1024 / n; else print "-" }')
    per_rss=$(awk -v a="$rss0" -v b="$rss1" -v n="$n" 'BEGIN { if (n > 0) printf "%.0f", (b - a) * 1024 / n; else print "-" }')
    rows+="| $proto | $n / $IDLE (failed $(field " $open" failed), $(field " $open" seconds) s) | $est | $(field "$res" second_ok) (failed $(field "$res" second_failed), closed while idle $(field "$res" closed_while_idle)) | $(mib "$heap0") → $(mib "$heap1") | $per_heap | $(mib "$rss0") → $(mib "$rss1") | $per_rss |"$'\n'
  done
  t="### idle: $IDLE keep-alive connections, one GET / each, then idle (--timeout-keep-alive 3600, --limit-connections 0)"$'\n\n'
  t+="| protocol | open after first request | server-side established (ss) | answered a second request | heap after GC (MiB) | heap per conn (bytes) | RSS (MiB) | RSS per conn (bytes) |"$'\n'
  t+="| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"$'\n'
  t+="$rows"
  tables+=("$t")
}

run_slow_reader() {
  local rows_t="" rows_m="" size
  for size in $SLOW_READER_SIZES; do
    echo "== slow reader: $SLOW_READERS clients, POST /echo of $size, never read; --timeout-write $WRITE_TIMEOUT" >&2
    # No request-body limit (the default is 1 MiB, and over it the server answers 413 without echoing).
    start_server "slow-reader-$size" --timeout-write "$WRITE_TIMEOUT" --limit-request-body 0
    local jvm heap0 rss0 heapS rss_peak heap_peak heap2 rss2 res rss_sampler heap_sampler
    jvm=$(server_jvm)
    heap0=$(heap_after_gc_kib "$jvm"); rss0=$(rss_kib "$jvm")
    # Every 0.5 s: RSS from /proc, used heap from one jstat that keeps sampling (not a JVM start per sample).
    ( while kill -0 "$jvm" 2>/dev/null; do rss_kib "$jvm"; sleep 0.5; done ) >"$LOGDIR/slow-reader-$size.rss" 2>/dev/null &
    rss_sampler=$!
    "$JSTAT" -gc "$jvm" 500 >"$LOGDIR/slow-reader-$size.jstat" 2>/dev/null &
    heap_sampler=$!
    bg_pids+=("$rss_sampler" "$heap_sampler")
    hostile slow-reader --clients "$SLOW_READERS" --size "$size" --max-wait $((WRITE_TIMEOUT * 3 + 30)) \
      >"$LOGDIR/slow-reader-$size.out" 2>"$LOGDIR/slow-reader-$size.err" &
    hold_pid=$!
    bg_pids+=("$hold_pid")
    heapS=""
    if wait_line "slow-reader-$size" stalled $((WRITE_TIMEOUT * 3 + 30)); then
      heapS=$(heap_after_gc_kib "$jvm") # live heap while every client is stalled, before the cut
    fi
    wait "$hold_pid" || true
    forget "$hold_pid"
    stop_background
    sleep 1
    heap2=$(heap_after_gc_kib "$jvm"); rss2=$(rss_kib "$jvm")
    stop_server
    res=$(grep '^result' "$LOGDIR/slow-reader-$size.out" || true)
    echo "   $(grep '^stalled' "$LOGDIR/slow-reader-$size.out" || echo 'never stalled'); $res" >&2
    rss_peak=$(awk '$1 > m { m = $1 } END { print m }' "$LOGDIR/slow-reader-$size.rss")
    heap_peak=$(jstat_used_kib <"$LOGDIR/slow-reader-$size.jstat" | awk '$1 > m { m = $1 } END { print m }')
    local s=" $(field "$res" cut_after_stall_min_ms) / $(field "$res" cut_after_stall_p50_ms) / $(field "$res" cut_after_stall_max_ms)"
    rows_t+="| $size | $(field "$res" clients) | $(field "$res" cut) | $(field "$res" not_cut) | $(field "$res" body_done) | $s | $(field "$res" cut_after_start_p50_ms) / $(field "$res" cut_after_start_max_ms) | $(field "$res" uploaded_mib_mean) / $(field "$res" uploaded_mib_max) |"$'\n'
    rows_m+="| $size | $(mib "$heap0") | $(mib "$heap_peak") | $(mib "$heapS") | $(mib "$heap2") | $(mib "$rss0") | $(mib "$rss_peak") | $(mib "$rss2") |"$'\n'
  done
  local t
  t="### slow reader: $SLOW_READERS clients POST to /echo and never read, --timeout-write $WRITE_TIMEOUT s"$'\n\n'
  t+="| body size | clients | cut | not cut | body done | cut after upload stalled min / p50 / max (ms) | cut after connect p50 / max (ms) | uploaded per client mean / max (MiB) |"$'\n'
  t+="| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"$'\n'
  t+="$rows_t"$'\n'
  t+="| body size | heap before, after GC (MiB) | heap used peak, no GC (MiB) | heap while stalled, after GC (MiB) | heap after, after GC (MiB) | RSS before (MiB) | RSS peak (MiB) | RSS after (MiB) |"$'\n'
  t+="| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"$'\n'
  t+="$rows_m"
  tables+=("$t")
}

for test in $TESTS; do
  case $test in
    slowloris) run_slowloris ;;
    idle) run_idle ;;
    slow-reader) run_slow_reader ;;
    *) echo "hostile.sh: unknown test '$test' in TESTS (slowloris, idle, slow-reader)" >&2; exit 2 ;;
  esac
done

echo
echo "Pounce under hostile clients: $(nproc) cores shared by the server and the clients; logs in $LOGDIR."
for t in "${tables[@]}"; do
  echo
  printf '%s' "$t"
done
