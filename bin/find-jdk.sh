# Sourced by ./weir and ./mvnw: makes JAVA_HOME point at a JDK >= 21.
# Order: $JAVA_HOME if it is new enough, then `java` on the PATH, then the JDKs installed
# under the usual folders (newest first). POSIX sh, no bashisms: mvnw runs under /bin/sh.

weir_jdk_major() {
  # Prints the feature version of the JDK at $1 (e.g. 21), or nothing.
  if [ -f "$1/release" ]; then
    sed -n 's/^JAVA_VERSION="\(1\.\)\{0,1\}\([0-9]*\).*/\2/p' "$1/release" | head -n 1
  elif [ -x "$1/bin/java" ]; then
    "$1/bin/java" -version 2>&1 | sed -n 's/.*version "\(1\.\)\{0,1\}\([0-9]*\).*/\2/p' | head -n 1
  fi
}

weir_jdk_ok() {
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 1
  weir_v=$(weir_jdk_major "$1")
  [ -n "$weir_v" ] && [ "$weir_v" -ge 21 ]
}

weir_find_jdk() {
  if [ -n "${JAVA_HOME-}" ] && weir_jdk_ok "$JAVA_HOME"; then
    return 0
  fi
  weir_java=$(command -v java 2>/dev/null || true)
  if [ -n "$weir_java" ]; then
    weir_home=$(dirname "$(dirname "$(readlink -f "$weir_java" 2>/dev/null || echo "$weir_java")")")
    if weir_jdk_ok "$weir_home"; then
      JAVA_HOME=$weir_home
      export JAVA_HOME
      return 0
    fi
  fi
  weir_best=$(
    set +f # mvnw runs with globbing off
    for weir_dir in /usr/lib/jvm/* /opt/java/* /opt/jdk* /usr/local/lib/jvm/* \
      "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
      weir_jdk_ok "$weir_dir" && echo "$(weir_jdk_major "$weir_dir") $weir_dir"
    done | sort -rn | head -n 1 | cut -d' ' -f2-
  )
  if [ -n "$weir_best" ]; then
    JAVA_HOME=$weir_best
    export JAVA_HOME
    return 0
  fi
  echo "weir: no JDK 21 or newer found. Install one (e.g. 'apt-get install openjdk-21-jdk')" >&2
  echo "      or set JAVA_HOME to it. Looked at JAVA_HOME, the PATH and /usr/lib/jvm." >&2
  return 1
}
