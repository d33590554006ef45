#!/usr/bin/env bash
# Soak: DURATION seconds (default 600) of mixed load against one bin/pounce server, with its RSS and heap sampled
# every SAMPLE seconds into a CSV; at the end the slope of each (least squares, MiB per minute, leaving out the
# first SKIP seconds as warm-up), its min and max, and every load generator's requests and errors, as Markdown
# tables (see README.md "Hostile clients and soak").
#
#   pounce-bench/soak.sh                     # 10 minutes
#   DURATION=60 SKIP=20 pounce-bench/soak.sh # a smoke run
#
# The load, all at once for the whole run, each closed-loop (as fast as the server answers):
#   wrk -t1 -c$KEEPALIVE_CONNS                     GET / on keep-alive connections
#   wrk -t1 -c$CLOSE_CONNS -H 'Connection: close'   GET /, a new connection per request
#   wrk -t1 -c$POST_CONNS (a Lua script)            POST /echo with a POST_SIZE-byte body, echoed back
#   h2load -c$H2_CONNS -m$H2_STREAMS               GET / over h2c (prior knowledge), many streams per connection
#   Hostile sse --connections $SSE_CONNS            GET /sse streams, alternately read to the end and abandoned
#
# Environment (defaults in brackets): DURATION [600], SAMPLE [10], SKIP [60], KEEPALIVE_CONNS [8], CLOSE_CONNS [2],
# POST_CONNS [4], POST_SIZE [16384], H2_CONNS [4], H2_STREAMS [10], SSE_CONNS [4], POUNCE [bin/pounce],
# POUNCE_ARGS (extra server flags), POUNCE_JAVA_OPTS (extra server JVM options, e.g. -Xmx256m, read by the
# launcher), HOSTILE_JAVA_OPTS (extra JVM options for the SSE client).
# Needs: wrk, h2load (nghttp2-client), curl, python3, ss, a JDK 25 with jcmd and jstat, a built pounce-bench
# (./mvnw -B -ntp -q -pl pounce-bench -am install -DskipTests). The server runs in its own session; it and every
# load generator are stopped when the script exits for any reason.
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

DURATION=${DURATION:-600}
SAMPLE=${SAMPLE:-10}
SKIP=${SKIP:-60}
KEEPALIVE_CONNS=${KEEPALIVE_CONNS:-8}
CLOSE_CONNS=${CLOSE_CONNS:-2}
POST_CONNS=${POST_CONNS:-4}
POST_SIZE=${POST_SIZE:-16384}
H2_CONNS=${H2_CONNS:-4}
H2_STREAMS=${H2_STREAMS:-10}
SSE_CONNS=${SSE_CONNS:-4}
POUNCE=${POUNCE:-$ROOT/bin/pounce}
POUNCE_ARGS=${POUNCE_ARGS:-}
HOSTILE_JAVA_OPTS=${HOSTILE_JAVA_OPTS:-}

shopt -s nullglob
jars=("$HERE"/target/pounce-bench-*.jar)
shopt -u nullglob
if [ ${#jars[@]} -eq 0 ] || [ ! -d "$HERE/target/lib" ]; then
  echo "soak.sh: pounce-bench is not built; run: ./mvnw -B -ntp -q -pl pounce-bench -am install -DskipTests" >&2
  exit 1
fi
CP="${jars[0]}:$HERE/target/lib/*"
for tool in wrk h2load curl python3 ss setsid; do
  command -v "$tool" >/dev/null || { echo "soak.sh: needs $tool on PATH" >&2; exit 1; }
done

LOGDIR=$(mktemp -d "${TMPDIR:-/tmp}/pounce-soak.XXXXXX")
echo "soak.sh: logs in $LOGDIR" >&2
server_pid=""
bg_pids=()

stop_server() {
  [ -n "$server_pid" ] || return 0
  local pid=$server_pid i
  server_pid=""
  kill -TERM -- "-$pid" 2>/dev/null || true
  for i in $(seq 1 100); do kill -0 -- "-$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 -- "-$pid" 2>/dev/null; then
    echo "soak.sh: server group $pid ignored SIGTERM for 10 s; killing it" >&2
    kill -KILL -- "-$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}
stop_background() {
  local pid
  for pid in "${bg_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${bg_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  bg_pids=()
}
trap 'stop_background; stop_server' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

"$POUNCE" --version >"$LOGDIR/pounce-version.log" 2>&1 </dev/null || {
  # bin/pounce rebuilds its distribution when a source changed; doing it here keeps it out of the start-up wait.
  echo "soak.sh: '$POUNCE --version' failed:" >&2; sed 's/^/  | /' "$LOGDIR/pounce-version.log" >&2; exit 1; }

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
# shellcheck disable=SC2086 # POUNCE_ARGS is a list of words on purpose
setsid "$POUNCE" --port "$port" --no-access-log --log-level warning $POUNCE_ARGS >"$LOGDIR/server.log" 2>&1 </dev/null &
server_pid=$!
ready=""
for _ in $(seq 1 300); do
  kill -0 "$server_pid" 2>/dev/null || break
  if [ "$(curl -fsS --max-time 1 "http://127.0.0.1:$port/" 2>/dev/null)" = "Hello from Pounce!" ]; then ready=1; break; fi
  sleep 0.1
done
if [ -z "$ready" ]; then
  echo "soak.sh: the server did not answer GET / within 30 s; its output:" >&2
  sed 's/^/  | /' "$LOGDIR/server.log" >&2
  exit 1
fi
# The launcher execs the JVM, so the session leader is the JVM; a child JVM is looked for all the same.
jvm=$server_pid
[ "$(cat "/proc/$jvm/comm")" = java ] || jvm=$(pgrep -o -x -g "$server_pid" java)

rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
heap_after_gc_kib() {
  "$JCMD" "$1" GC.run >/dev/null
  "$JCMD" "$1" GC.heap_info | sed -n 's/.* used \([0-9]*\)K.*/\1/p' | head -n 1
}
echo "soak.sh: server JVM $jvm on port $port; $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); ${DURATION} s" >&2
heap_start=$(heap_after_gc_kib "$jvm"); rss_start=$(rss_kib "$jvm")

url="http://127.0.0.1:$port"
cat >"$LOGDIR/post.lua" <<EOF
wrk.method = "POST"
wrk.body = string.rep("x", $POST_SIZE)
wrk.headers["Content-Type"] = "application/octet-stream"
EOF
wrk -t1 -c"$KEEPALIVE_CONNS" -d"${DURATION}s" "$url/" >"$LOGDIR/wrk-keepalive.out" 2>&1 &
bg_pids+=($!)
wrk -t1 -c"$CLOSE_CONNS" -d"${DURATION}s" -H 'Connection: close' "$url/" >"$LOGDIR/wrk-close.out" 2>&1 &
bg_pids+=($!)
wrk -t1 -c"$POST_CONNS" -d"${DURATION}s" -s "$LOGDIR/post.lua" "$url/echo" >"$LOGDIR/wrk-post.out" 2>&1 &
bg_pids+=($!)
h2load -c"$H2_CONNS" -m"$H2_STREAMS" -D "$DURATION" "$url/" >"$LOGDIR/h2load.out" 2>&1 &
bg_pids+=($!)
# shellcheck disable=SC2086
"$JAVA" $HOSTILE_JAVA_OPTS -cp "$CP" dev.pounce.bench.hostile.Hostile sse --port "$port" \
  --connections "$SSE_CONNS" --duration "$DURATION" >"$LOGDIR/sse.out" 2>&1 </dev/null &
bg_pids+=($!)
load_pids=("${bg_pids[@]}")

# Every SAMPLE s: RSS from /proc; used heap, old generation and collection counts from jstat (the JVM's shared
# counters: no safepoint, no collection); the server-side established connections.
csv="$LOGDIR/samples.csv"
echo "t_s,rss_kib,heap_used_kib,old_used_kib,heap_committed_kib,young_gcs,full_gcs,concurrent_gcs,established" >"$csv"
start=$(date +%s.%N)
(
  while kill -0 "$jvm" 2>/dev/null; do
    t=$(awk -v s="$start" -v n="$(date +%s.%N)" 'BEGIN { printf "%.1f", n - s }')
    awk -v t="$t" -v d="$DURATION" 'BEGIN { exit !(t < d) }' || break # the load is over: samples would show its end
    rss=$(rss_kib "$jvm" 2>/dev/null) || break
    gc=$("$JSTAT" -gc "$jvm" 2>/dev/null | awk 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i }
      NR == 2 { printf "%.0f,%.0f,%.0f,%s,%s,%s", $c["S0U"] + $c["S1U"] + $c["EU"] + $c["OU"], $c["OU"],
                $c["S0C"] + $c["S1C"] + $c["EC"] + $c["OC"], $c["YGC"], $c["FGC"], $c["CGC"] }') || gc=",,,,,"
    est=$(ss -Htn state established "( sport = :$port )" | wc -l)
    echo "$t,$rss,$gc,$est"
    # Sleep to the next multiple of SAMPLE s from the start, so jstat's own start-up does not stretch the period.
    sleep "$(awk -v s="$start" -v n="$(date +%s.%N)" -v p="$SAMPLE" 'BEGIN { e = n - s; printf "%.2f", (int(e / p) + 1) * p - e }')"
  done >>"$csv"
) &
sampler=$!
bg_pids+=("$sampler")

for pid in "${load_pids[@]}"; do wait "$pid" || true; done
kill "$sampler" 2>/dev/null || true
wait "$sampler" 2>/dev/null || true
bg_pids=()
sleep 1
heap_end=$(heap_after_gc_kib "$jvm"); rss_end=$(rss_kib "$jvm")
server_alive=yes
kill -0 "$server_pid" 2>/dev/null || server_alive="NO: it died during the soak, see $LOGDIR/server.log"
stop_server

# One row per wrk run: requests, req/s, errors (socket errors and non-2xx/3xx responses).
wrk_row() { # NAME FILE
  awk -v name="$1" '
    / requests in / { req = $1 }
    /^Requests\/sec:/ { rps = $2 }
    /Socket errors:/ { gsub(",", ""); sock = $4 + $6 + $8 + $10; detail = "connect " $4 ", read " $6 ", write " $8 ", timeout " $10 }
    /Non-2xx or 3xx responses:/ { non2xx = $5 }
    END { printf "| %s | %s | %.0f | %d | socket errors: %s; non-2xx/3xx: %d |\n", name, req == "" ? "-" : req,
          rps, sock + non2xx, detail == "" ? "none" : detail, non2xx }' "$2"
}

echo
echo "Soak: ${DURATION} s of mixed load on one Pounce server (--workers 1), $(nproc) cores shared with the load generators; logs and samples.csv in $LOGDIR."
echo
echo "| load | requests | req/s | errors | detail |"
echo "| --- | ---: | ---: | ---: | --- |"
wrk_row "wrk GET / keep-alive, -c$KEEPALIVE_CONNS" "$LOGDIR/wrk-keepalive.out"
wrk_row "wrk GET / Connection: close, -c$CLOSE_CONNS" "$LOGDIR/wrk-close.out"
wrk_row "wrk POST /echo ${POST_SIZE} B, -c$POST_CONNS" "$LOGDIR/wrk-post.out"
awk -v name="h2load GET / h2c, -c$H2_CONNS -m$H2_STREAMS" '
  /^finished in/ { rps = $4 }
  /^requests:/ { gsub(",", ""); total = $2; ok = $8; failed = $10; errored = $12; timeout = $14 }
  /^status codes:/ { gsub(",", ""); non2xx = $5 + $7 + $9 }
  END { printf "| %s | %s | %.0f | %d | failed %d, errored %d, timeout %d, non-2xx %d |\n", name, ok == "" ? "-" : ok,
        rps, failed + errored + timeout + non2xx, failed, errored, timeout, non2xx }' "$LOGDIR/h2load.out"
sse=$(grep '^result' "$LOGDIR/sse.out" || echo "result")
sse_field() { local v; v=$(sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$sse"); echo "${v:-0}"; }
printf '| Hostile sse, %s connections | %s streams (%s read to the end, %s abandoned) | %s | %s | %s events |\n' \
  "$SSE_CONNS" "$(( $(sse_field streams_complete) + $(sse_field streams_aborted) ))" \
  "$(sse_field streams_complete)" "$(sse_field streams_aborted)" \
  "$(awk -v a="$(sse_field streams_complete)" -v b="$(sse_field streams_aborted)" -v d="$DURATION" 'BEGIN { printf "%.0f streams/s", (a + b) / d }')" \
  "$(sse_field errors)" "$(sse_field events)"
echo
python3 - "$csv" "$SKIP" <<'EOF'
import csv, sys
path, skip = sys.argv[1], float(sys.argv[2])
rows = [r for r in csv.DictReader(open(path)) if r["rss_kib"] and r["heap_used_kib"]]
def slope(points):  # least squares, y per minute
    n = len(points)
    if n < 3:
        return None
    mx = sum(x for x, _ in points) / n
    my = sum(y for _, y in points) / n
    sxx = sum((x - mx) ** 2 for x, _ in points)
    return sum((x - mx) * (y - my) for x, y in points) / sxx * 60 if sxx else None
if not rows:
    sys.exit(f"no samples in {path}: jstat could not read the server?")
kept = [r for r in rows if float(r["t_s"]) >= skip]
note = ""
if len(kept) < 3:
    kept, note = rows, f" (fewer than 3 samples after {skip:.0f} s: slope over all samples)"
print(f"{len(rows)} samples, slope over the {len(kept)} from t = {float(kept[0]['t_s']) if kept else 0:.0f} s{note}:")
print()
print("| server metric | min (MiB) | max (MiB) | first → last (MiB) | slope (MiB/min) |")
print("| --- | ---: | ---: | ---: | ---: |")
for key, name in (("rss_kib", "RSS"), ("heap_committed_kib", "heap committed"), ("heap_used_kib", "heap used (no GC)"),
                  ("old_used_kib", "old generation used")):
    values = [(float(r["t_s"]), int(r[key]) / 1024) for r in kept]
    s = slope(values)
    ys = [y for _, y in values]
    print(f"| {name} | {min(ys):.1f} | {max(ys):.1f} | {ys[0]:.1f} → {ys[-1]:.1f} | "
          f"{'-' if s is None else f'{s:+.2f}'} |")
if rows:
    last = rows[-1]
    print()
    print(f"Collections during the run: {last['young_gcs']} young, {last['concurrent_gcs']} concurrent cycles, "
          f"{last['full_gcs']} full; server-side established connections at the last sample: {last['established']}.")
EOF
echo
awk -v h0="$heap_start" -v h1="$heap_end" -v r0="$rss_start" -v r1="$rss_end" 'BEGIN {
  printf "Heap after a full GC: %.1f MiB before the load, %.1f MiB after it; RSS %.1f MiB before, %.1f MiB after.\n",
    h0 / 1024, h1 / 1024, r0 / 1024, r1 / 1024 }'
echo "Server alive at the end: $server_alive."
