# Sourced by bin/pounce and bin/test: sets JAVA_HOME to a JDK 25 or newer, or explains how to get one.
# Looks at $JAVA_HOME, then `java` on PATH, then the usual install folders, and takes the first that is 25+.

pounce_java_feature() { # prints the feature release of the JDK at $1 (e.g. 25), or nothing
  local home="$1"
  [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" ] || return 0
  local rel="$home/release" v=""
  if [ -f "$rel" ]; then
    v=$(sed -n 's/^JAVA_VERSION="\([0-9][0-9]*\).*/\1/p' "$rel" | head -n 1)
  fi
  if [ -z "$v" ]; then
    v=$("$home/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9][0-9]*\).*/\1/p' | head -n 1)
  fi
  printf '%s' "$v"
}

pounce_find_jdk() {
  local want=25 candidates=() c v
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v javac >/dev/null 2>&1; then
    c=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
    candidates+=("$c")
  fi
  for c in /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* /opt/*jdk* "$HOME"/.sdkman/candidates/java/* \
           "$HOME"/.jdks/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -d "$c" ] && candidates+=("$c")
  done
  for c in "${candidates[@]}"; do
    v=$(pounce_java_feature "$c")
    if [ -n "$v" ] && [ "$v" -ge "$want" ] 2>/dev/null; then
      export JAVA_HOME="$c"
      return 0
    fi
  done
  cat >&2 <<MSG
Pounce needs a JDK $want or newer, and none was found in JAVA_HOME, on PATH or under /usr/lib/jvm, /opt,
~/.sdkman or ~/.jdks. Install one (for example Eclipse Temurin 25 from your package manager, or
'sdk install java 25-tem'), then set JAVA_HOME to it and run this command again.
MSG
  return 1
}
