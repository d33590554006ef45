#!/usr/bin/env bash
# The hot-path JMH benchmarks, briefly, each with JMH's GC profiler (allocation rate and bytes per operation):
# Pounce's HTTP/1.1 head parser and response-head encoder (dev.pounce.h1.Http1CodecBenchmark), one request through
# a real exchange on an in-VM channel with a bare bridge and with the runtime's bridge under each dispatch
# (dev.pounce.runtime.internal.bridge.BridgeDispatchBenchmark), the scope the bridge builds
# (dev.pounce.runtime.internal.bridge.ScopeBenchmark), and the Headers benchmarks (dev.pounce.bench.jmh).
# Prints JMH's table; the figures that matter per row are the score and gc.alloc.rate.norm (bytes per operation).
#
#   pounce-bench/jmh.sh                                # about 4 minutes: 1 fork, 2x1 s warm-up, 3x1 s measured
#   pounce-bench/jmh.sh 'Http1Codec'                   # only benchmarks whose name matches this regular expression
#   JMH_ARGS='-f 2 -wi 3 -i 5 -w 1s -r 1s' pounce-bench/jmh.sh   # steadier; JMH_ARGS replaces the brief defaults
#
# Not part of the build's tests: nothing in Maven runs them, so `bin/test` does not wait for them. Needs a JDK 25
# and a built pounce-bench (./mvnw -B -ntp -q -pl pounce-bench -am package -DskipTests).
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
ROOT=$(dirname "$HERE")
. "$ROOT/bin/find-jdk.sh"
pounce_find_jdk
JAR=$HERE/target/pounce-bench-0.1.0-SNAPSHOT.jar
[ -f "$JAR" ] || { echo "jmh.sh: build pounce-bench first: ./mvnw -B -ntp -q -pl pounce-bench -am package -DskipTests" >&2; exit 1; }
PATTERN=${1:-'dev\.pounce\.(h1\.Http1Codec|runtime\.internal\.bridge\.(BridgeDispatch|Scope)|bench\.jmh\.Headers)'}
echo "jmh.sh: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
# --sun-misc-unsafe-memory-access=allow only silences JDK 25's warning about JMH's use of sun.misc.Unsafe.
# shellcheck disable=SC2086 # JMH_ARGS is a list of words on purpose
exec "$JAVA_HOME/bin/java" --sun-misc-unsafe-memory-access=allow -cp "$JAR:$HERE/target/lib/*" org.openjdk.jmh.Main \
  ${JMH_ARGS:--f 1 -wi 2 -i 3 -w 1s -r 1s} -prof gc "$PATTERN"
