#!/usr/bin/env bash
# Launch to first 200, in one run: raw Netty (RawNettyHello), the jlink image without its AOT cache, and the image
# with it (lib/pounce.aot, made by a training run when the image is built: pounce-image/README.md). Each is started
# RUNS times, the three interleaved, by dev.pounce.bench.FirstResponse, which starts the process and polls it with
# connect attempts every millisecond until `GET /` answers 200; prints the median and the spread in milliseconds.
#
#   pounce-bench/startup.sh                 # 5 runs each
#   RUNS=11 pounce-bench/startup.sh
#
# The image serves the app linked into it (dev.pounce.cli.bench.BenchApp, GET /plaintext), with no module path
# added, as an app image does: the cache holds the image's module graph, and the launcher does not offer it when
# POUNCE_MODULE_PATH adds modules. Raw Netty answers GET /.
# Environment: RUNS [5]; IMAGE, the image folder [pounce-image/target/pounce-image]; POUNCE_ARGS, Pounce's flags.
# Needs: a JDK 25, python3 (free ports) and the built image and pounce-bench:
#   ./mvnw -B -ntp -q -pl pounce-image,pounce-bench -am package -DskipTests
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
ROOT=$(dirname "$HERE")
cd "$ROOT"
. bin/find-jdk.sh
pounce_find_jdk
JAVA="$JAVA_HOME/bin/java"
RUNS=${RUNS:-5}
IMAGE=${IMAGE:-pounce-image/target/pounce-image}
POUNCE_ARGS=${POUNCE_ARGS:-}
JAR=$HERE/target/pounce-bench-0.1.0-SNAPSHOT.jar
CP="$JAR:$HERE/target/lib/*"
[ -f "$JAR" ] || { echo "startup.sh: build pounce-bench first" >&2; exit 1; }
[ -x "$IMAGE/bin/pounce" ] || { echo "startup.sh: no image at $IMAGE; build it: ./mvnw -B -ntp -q -pl pounce-image -am package -DskipTests" >&2; exit 1; }
HAVE_AOT=0
[ -f "$IMAGE/lib/pounce.aot" ] && HAVE_AOT=1

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}
declare -A TIMES
first_200() { # KEY PATH ENV-ASSIGNMENTS... -- COMMAND... (with @PORT@ for the port)
  local key=$1 path=$2 port out cmd=() envs=()
  shift 2
  while [ "$1" != -- ]; do envs+=("$1"); shift; done
  shift
  port=$(free_port)
  for a in "$@"; do cmd+=("${a//@PORT@/$port}"); done
  out=$(env "${envs[@]}" "$JAVA" -cp "$JAR" dev.pounce.bench.FirstResponse "$port" "$path" "${cmd[@]}" 2>&1) || {
    echo "startup.sh: $key failed: $out" >&2; return 0; }
  out=$(sed -n 's/^first-200-ms //p' <<<"$out")
  echo "   $key: $out ms" >&2
  TIMES[$key]="${TIMES[$key]:-} $out"
}

echo "startup.sh: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $RUNS runs each" >&2
for run in $(seq 1 "$RUNS"); do
  echo "== run $run" >&2
  first_200 raw / -- "$JAVA" --enable-native-access=ALL-UNNAMED -cp "$CP" dev.pounce.bench.RawNettyHello --port @PORT@
  # shellcheck disable=SC2086 # POUNCE_ARGS is a list of words on purpose
  first_200 image /plaintext POUNCE_AOT_CACHE= -- \
    "$IMAGE/bin/pounce" --port @PORT@ --no-access-log $POUNCE_ARGS dev.pounce.cli.bench.BenchApp
  if [ $HAVE_AOT = 1 ]; then
    # shellcheck disable=SC2086
    first_200 image-aot /plaintext -- \
      "$IMAGE/bin/pounce" --port @PORT@ --no-access-log $POUNCE_ARGS dev.pounce.cli.bench.BenchApp
  fi
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

stats() { # the median, min and max of the numbers given
  printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END {
    if (NR == 0) { print "- - -"; exit }
    m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    printf "%.0f %.0f %.0f\n", m, v[1], v[NR] }'
}
echo
echo "Launch to first 200 (\`GET /\`), $RUNS runs each, interleaved, $(nproc) cores; load average $load_after after."
echo
echo "| server | median (ms) | min (ms) | max (ms) | vs raw Netty |"
echo "| --- | ---: | ---: | ---: | ---: |"
read -r raw_median raw_min raw_max <<<"$(stats ${TIMES[raw]:-})"
for key in raw image image-aot; do
  [ -n "${TIMES[$key]:-}" ] || continue
  read -r median min max <<<"$(stats ${TIMES[$key]})"
  case $key in
    raw) label="raw Netty (RawNettyHello, java -cp)" ;;
    image) label="Pounce jlink image, no AOT cache" ;;
    image-aot) label="Pounce jlink image with lib/pounce.aot" ;;
  esac
  ratio=$(awk -v a="$median" -v b="$raw_median" 'BEGIN { if (b > 0) printf "%.2fx", a / b; else print "-" }')
  echo "| $label | $median | $min | $max | $ratio |"
done
