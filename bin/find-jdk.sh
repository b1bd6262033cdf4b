# Sourced by ./weir and ./mvnw: makes JAVA_HOME point at a JDK >= 21.
# Order: $JAVA_HOME if it is new enough, then `java` on the PATH, then the JDKs installed
# under the usual folders (newest first). POSIX sh, no bashisms: mvnw runs under /bin/sh.
# Shell built-ins only where it can: every process started here delays every command (a search
# with sed, sort and readlink took ~20 ms of a 0.2 s `weir --help`).

weir_jdk_major() {
  # Sets weir_v to the feature version of the JDK at $1 (e.g. 21), or to nothing.
  weir_v=""
  if [ -f "$1/release" ]; then
    while IFS= read -r weir_line || [ -n "$weir_line" ]; do
      case $weir_line in
        JAVA_VERSION=*)
          weir_line=${weir_line#JAVA_VERSION=}
          weir_line=${weir_line#\"}
          weir_line=${weir_line#1.}
          weir_v=${weir_line%%[!0-9]*}
          return 0
          ;;
      esac
    done <"$1/release"
  elif [ -x "$1/bin/java" ]; then
    weir_v=$("$1/bin/java" -version 2>&1 | sed -n 's/.*version "\(1\.\)\{0,1\}\([0-9]*\).*/\2/p' | head -n 1)
  fi
}

weir_jdk_ok() {
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 1
  weir_jdk_major "$1"
  [ -n "$weir_v" ] && [ "$weir_v" -ge 21 ]
}

weir_find_jdk() {
  if [ -n "${JAVA_HOME-}" ] && weir_jdk_ok "$JAVA_HOME"; then
    return 0
  fi
  weir_java=$(command -v java 2>/dev/null || true)
  if [ -n "$weir_java" ]; then
    if [ -L "$weir_java" ]; then
      weir_java=$(readlink -f "$weir_java" 2>/dev/null || echo "$weir_java")
    fi
    weir_home=${weir_java%/*}
    weir_home=${weir_home%/*}
    if weir_jdk_ok "$weir_home"; then
      JAVA_HOME=$weir_home
      export JAVA_HOME
      return 0
    fi
  fi
  # The newest JDK >= 21 in the usual folders; globbing on for the loop (mvnw turns it off).
  weir_best=""
  weir_best_v=0
  case $- in *f*) weir_noglob=1 ;; *) weir_noglob="" ;; esac
  set +f
  for weir_dir in /usr/lib/jvm/* /opt/java/* /opt/jdk* /usr/local/lib/jvm/* \
    "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    if weir_jdk_ok "$weir_dir" && [ "$weir_v" -gt "$weir_best_v" ]; then
      weir_best=$weir_dir
      weir_best_v=$weir_v
    fi
  done
  if [ -n "$weir_noglob" ]; then
    set -f
  fi
  if [ -n "$weir_best" ]; then
    JAVA_HOME=$weir_best
    export JAVA_HOME
    return 0
  fi
  echo "weir: no JDK 21 or newer found. Install one (e.g. 'apt-get install openjdk-21-jdk')" >&2
  echo "      or set JAVA_HOME to it. Looked at JAVA_HOME, the PATH and /usr/lib/jvm." >&2
  return 1
}
