#!/bin/sh
# The AOT cache's training run, at image build time (pom.xml, after jlink): starts the image's own launcher on the
# bench app that is linked in (dev.pounce.cli.bench.BenchApp, so no module path is added and the cache matches an
# image started with no POUNCE_MODULE_PATH), asks it for each kind of answer over HTTP/1.1 and h2c, stops it with
# SIGTERM, and the JVM writes IMAGE/lib/pounce.aot as it exits (JEP 514: -XX:AOTCacheOutput, one step). The
# launcher then starts every server with -XX:AOTCache=lib/pounce.aot (see bin/pounce).
#
#   train.sh IMAGE
#
# Needs curl. Fails (and so fails the build) if the server does not answer or no cache is written.
set -eu
IMAGE=$1
CACHE=$IMAGE/lib/pounce.aot
LOG=$IMAGE/../aot-training.log
rm -f "$CACHE"
POUNCE_AOT_CACHE= POUNCE_JAVA_OPTS="-XX:AOTCacheOutput=$CACHE" \
  "$IMAGE/bin/pounce" --host 127.0.0.1 --port 0 --no-access-log dev.pounce.cli.bench.BenchApp \
  >"$LOG" 2>&1 </dev/null &
pid=$!
# --port 0: the kernel picks a free port, and the server names it in its "serving on" line.
i=0
PORT=
until [ -n "$PORT" ] && curl -fs --max-time 1 "http://127.0.0.1:$PORT/plaintext" >/dev/null 2>&1; do
  i=$((i + 1))
  if [ $i -gt 600 ] || ! kill -0 "$pid" 2>/dev/null; then
    echo "train.sh: the training server did not answer; its log:" >&2
    cat "$LOG" >&2
    kill "$pid" 2>/dev/null || true
    exit 1
  fi
  sleep 0.1
  PORT=$(sed -n 's|.*serving on http://127\.0\.0\.1:\([0-9]*\).*|\1|p' "$LOG" | head -n 1)
done
# Enough requests of each kind for their classes to load and link and their methods to gather profiles.
i=0
while [ $i -lt 40 ]; do
  for proto in --http1.1 --http2-prior-knowledge; do
    curl -fs "$proto" "http://127.0.0.1:$PORT/plaintext" "http://127.0.0.1:$PORT/json" \
      "http://127.0.0.1:$PORT/stream" "http://127.0.0.1:$PORT/missing" -o /dev/null -o /dev/null -o /dev/null \
      -o /dev/null || true
    curl -fs "$proto" --data-binary "training body" "http://127.0.0.1:$PORT/echo" -o /dev/null
  done
  i=$((i + 1))
done
kill -TERM "$pid"
wait "$pid" || true
if [ ! -s "$CACHE" ]; then
  echo "train.sh: no AOT cache was written; the training log:" >&2
  cat "$LOG" >&2
  exit 1
fi
echo "train.sh: wrote $CACHE ($(wc -c <"$CACHE") bytes)"
