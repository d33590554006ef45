#!/usr/bin/env bash
# The cost of observability: requests per second for `GET /` on Pounce with --metrics-path /metrics and the access
# log on (text, to a file, as a container's stderr would be), against both off, in one run; and metrics alone (the
# access log off), to tell the two costs apart. The three alternate for ROUNDS rounds, so a drift in the machine's
# state hits all alike; each round's ratios are printed, then the medians. While a server with metrics is measured, a
# scraper reads /metrics every second, as Prometheus would.
#
#   pounce-bench/observability.sh                       # wrk -t1 -c64, 5 s warm-up, 10 s measured, 3 rounds
#   ROUNDS=5 DURATION=20s WORKERS=2 pounce-bench/observability.sh
#
# Environment: WRK_ARGS (default "-t1 -c64"), DURATION (default 10s), WARMUP (default 5s), ROUNDS (default 3),
# WORKERS (default 1), POUNCE (the launcher, default bin/pounce), POUNCE_ARGS (extra flags for both servers).
# Needs: wrk, curl, python3 (for free ports), setsid. Every server runs in its own session and is killed, with
# anything it started, before the next one starts and when this script exits for any reason.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
WRK_ARGS=${WRK_ARGS:--t1 -c64}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-5s}
ROUNDS=${ROUNDS:-3}
WORKERS=${WORKERS:-1}
POUNCE=${POUNCE:-$ROOT/bin/pounce}
POUNCE_ARGS=${POUNCE_ARGS:-}
EXPECTED_BODY='Hello from Pounce!'

for tool in wrk curl python3 setsid; do
  command -v "$tool" >/dev/null || { echo "observability.sh: needs $tool on PATH" >&2; exit 1; }
done
# bin/pounce rebuilds its distribution when a source is newer than its last build: do it before any timing.
"$POUNCE" --version >/dev/null

LOGDIR=$(mktemp -d "${TMPDIR:-/tmp}/pounce-obs.XXXXXX")
server_pid=""
scraper_pid=""

stop_server() {
  if [ -n "$scraper_pid" ]; then
    kill "$scraper_pid" 2>/dev/null || true
    wait "$scraper_pid" 2>/dev/null || true
    scraper_pid=""
  fi
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

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

wait_ready() {
  local port=$1 log=$2 i
  for i in $(seq 1 300); do
    kill -0 "$server_pid" 2>/dev/null || { sed 's/^/  | /' "$log" >&2; return 1; }
    if [ "$(curl -fsS --max-time 1 "http://127.0.0.1:$port/" 2>/dev/null || true)" = "$EXPECTED_BODY" ]; then
      return 0
    fi
    sleep 0.1
  done
  sed 's/^/  | /' "$log" >&2
  return 1
}

# measure MODE ROUND : prints the requests per second of one server: "off", "metrics" (alone) or "on" (both).
measure() {
  local mode=$1 round=$2 port log out flags
  port=$(free_port)
  log="$LOGDIR/$mode-$round.log"
  case $mode in
    on) flags=(--metrics-path /metrics --access-log) ;;
    metrics) flags=(--metrics-path /metrics --no-access-log) ;;
    *) flags=(--no-access-log) ;;
  esac
  # shellcheck disable=SC2086 # POUNCE_ARGS is a list of words on purpose
  setsid "$POUNCE" --port "$port" --workers "$WORKERS" "${flags[@]}" $POUNCE_ARGS >"$log" 2>&1 </dev/null &
  server_pid=$!
  wait_ready "$port" "$log" || { echo "observability.sh: the $mode server did not start" >&2; exit 1; }
  # shellcheck disable=SC2086
  wrk $WRK_ARGS -d"$WARMUP" "http://127.0.0.1:$port/" >/dev/null || true
  if [ "$mode" != off ]; then
    (while true; do curl -fsS --max-time 2 "http://127.0.0.1:$port/metrics" >"$LOGDIR/scrape-$mode-$round.txt" || true
       sleep 1; done) &
    scraper_pid=$!
  fi
  # shellcheck disable=SC2086
  out=$(wrk $WRK_ARGS -d"$DURATION" "http://127.0.0.1:$port/") || true
  printf '%s\n' "$out" >"$LOGDIR/$mode-$round.wrk"
  stop_server
  printf '%s\n' "$out" | awk '/^Requests\/sec:/ {print $2}'
}

echo "observability.sh: $(nproc) cores, wrk $WRK_ARGS, warm-up $WARMUP, measured $DURATION, $ROUNDS rounds," \
  "--workers $WORKERS; logs in $LOGDIR" >&2
ratios=()
metrics_ratios=()
echo
echo "| round | both off (req/s) | metrics alone (req/s) | metrics + access log (req/s) | metrics / off | both / off |"
echo "| ---: | ---: | ---: | ---: | ---: | ---: |"
for r in $(seq 1 "$ROUNDS"); do
  off=$(measure off "$r")
  metrics=$(measure metrics "$r")
  on=$(measure on "$r")
  ratio=$(awk -v a="$on" -v b="$off" 'BEGIN { printf "%.3f", a / b }')
  metrics_ratio=$(awk -v a="$metrics" -v b="$off" 'BEGIN { printf "%.3f", a / b }')
  ratios+=("$ratio")
  metrics_ratios+=("$metrics_ratio")
  printf '| %s | %.0f | %.0f | %.0f | %sx | %sx |\n' "$r" "$off" "$metrics" "$on" "$metrics_ratio" "$ratio"
done
median() { printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
echo
echo "medians: metrics alone / off $(median "${metrics_ratios[@]}")x, metrics + access log / off $(median "${ratios[@]}")x"
echo "(\`GET /\`, wrk $WRK_ARGS -d$DURATION, $(nproc) cores shared by wrk and the server; the access log is the text"
echo "format, written to a file; /metrics scraped every second while measured)"
last=$(ls "$LOGDIR"/scrape-on-*.txt 2>/dev/null | tail -n 1 || true)
if [ -n "$last" ]; then
  echo
  echo "last scrape: $(grep -E '^http_requests_total' "$last" | tr '\n' ' ')"
fi
