# Sourced by ./weir: the start-up cache. A JVM spends most of a short command loading, verifying
# and linking the jar's classes; a cache made by a training run lets it map them instead
# (docs/decisions.md, "Start-up cache"). JDK 25+: an AOT cache (JEP 483/514); JDK 21-24: an AppCDS
# dynamic archive. One cache per jar and JDK, in $WEIR_CACHE_DIR (weir-cli/target/startup-cache/ of
# a clone; a release's lib/startup-cache/ or ~/.cache/weir/startup-cache/), made in the
# background after the first command ends, so that command is neither slowed down nor noisier.
# Nothing here may fail the command: without a cache Weir starts as a plain `java -jar`.
#
# Uses JAVA_HOME, JAR, WEIR_CACHE_DIR and WEIR_JVM_OPTS; sets WEIR_CACHE_OPT (one word, or empty) and
# WEIR_CACHE_QUIET (options that keep the JVM silent when it cannot use the cache).
# WEIR_STARTUP_CACHE: on (default), off, or appcds (an AppCDS archive even on JDK 25+).
# WEIR_LAUNCHER_DEBUG=1 prints what is decided, and lets the JVM say why a cache is not used.

weir_cache_note() {
  if [ -n "${WEIR_LAUNCHER_DEBUG:-}" ]; then
    echo "weir launcher: $*" >&2
  fi
}

weir_startup_cache() {
  WEIR_CACHE_OPT=""
  WEIR_CACHE_QUIET=""
  weir_mode=${WEIR_STARTUP_CACHE:-on}
  if [ "$weir_mode" = off ]; then
    weir_cache_note "start-up cache off (WEIR_STARTUP_CACHE=off)"
    return 0
  fi
  # One read of the JDK's release file, with shell built-ins: every process the launcher starts
  # delays the command.
  weir_jdk=""
  if [ -f "$JAVA_HOME/release" ]; then
    while IFS= read -r weir_line || [ -n "$weir_line" ]; do
      case $weir_line in
        JAVA_RUNTIME_VERSION=*)
          weir_jdk=${weir_line#JAVA_RUNTIME_VERSION=}
          weir_jdk=${weir_jdk#\"}
          weir_jdk=${weir_jdk%\"}
          break
          ;;
      esac
    done <"$JAVA_HOME/release"
  fi
  weir_major=${weir_jdk%%[!0-9]*}
  if [ -z "$weir_major" ]; then
    weir_jdk_major "$JAVA_HOME"
    weir_major=$weir_v
  fi
  if [ "$weir_mode" != appcds ] && [ "${weir_major:-0}" -ge 25 ]; then
    weir_ext=aot
    weir_use=-XX:AOTCache=
    weir_make=-XX:AOTCacheOutput=
    weir_quiet="-Xlog:aot=off -Xlog:cds=off"
  else
    weir_ext=jsa
    weir_use=-XX:SharedArchiveFile=
    weir_make=-XX:ArchiveClassesAtExit=
    weir_quiet="-Xlog:cds=off"
  fi
  # The key: the jar's size and modification time, and the JDK's exact version. A JVM checks
  # both itself and ignores a cache that does not match; the key makes a new jar or JDK get a
  # new cache instead of a useless one.
  weir_stamp=$(stat -c '%s-%Y' "$JAR" 2>/dev/null || stat -f '%z-%m' "$JAR" 2>/dev/null) || {
    weir_cache_note "cannot read the jar's size and time; starting without a cache"
    return 0
  }
  weir_dir=$WEIR_CACHE_DIR
  weir_cache="$weir_dir/weir-$weir_stamp-jdk${weir_jdk:-unknown}.$weir_ext"
  if [ -z "${WEIR_LAUNCHER_DEBUG:-}" ]; then
    WEIR_CACHE_QUIET=$weir_quiet
  fi
  if [ -f "$weir_cache" ]; then
    weir_cache_note "using $weir_cache"
    WEIR_CACHE_OPT="$weir_use$weir_cache"
  elif [ -f "$weir_cache.failed" ]; then
    weir_cache_note "making $weir_cache failed before (see $weir_dir/making.log);" \
      "starting without a cache until the jar changes"
  else
    weir_make_cache
  fi
  return 0
}

# Starts the training run (dev.weir.cli.StartupTraining) in the background. It waits for this
# launcher's process, which becomes the command's JVM on `exec`, to end first: on two cores a
# training JVM beside the user's command would slow it down. One launcher at a time makes it.
weir_make_cache() {
  if ! mkdir -p "$weir_dir" 2>/dev/null; then
    weir_cache_note "cannot create $weir_dir; starting without a cache"
    return 0
  fi
  weir_lock="$weir_dir/making.lock"
  # A lock older than an hour was left by a training run that died (the machine stopped).
  if [ -d "$weir_lock" ] && [ -n "$(find "$weir_lock" -maxdepth 0 -mmin +60 2>/dev/null)" ]; then
    rmdir "$weir_lock" 2>/dev/null || true
  fi
  if ! mkdir "$weir_lock" 2>/dev/null; then
    weir_cache_note "the start-up cache is being made by another command; starting without it"
    return 0
  fi
  weir_cache_note "no start-up cache yet; making $weir_cache in the background after this command"
  weir_pid=$$
  (
    while kill -0 "$weir_pid" 2>/dev/null; do
      sleep 1
    done
    weir_tmp="$weir_cache.making"
    # shellcheck disable=SC2086 # the options are words on purpose
    if nice -n 10 "$JAVA_HOME/bin/java" "$weir_make$weir_tmp" $WEIR_JVM_OPTS \
      -cp "$JAR" dev.weir.cli.StartupTraining >"$weir_dir/making.log" 2>&1 &&
      [ -s "$weir_tmp" ] && mv -f "$weir_tmp" "$weir_cache"; then
      for weir_old in "$weir_dir"/weir-*; do
        [ "$weir_old" = "$weir_cache" ] || rm -f "$weir_old"
      done
    else
      rm -f "$weir_tmp"
      : >"$weir_cache.failed"
    fi
    rmdir "$weir_lock"
  ) </dev/null >/dev/null 2>&1 &
  return 0
}
