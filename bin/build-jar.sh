# Sourced by ./weir: builds weir-cli/target/weir.jar. A first build takes a minute or more
# (dependencies to download, five modules to compile), so instead of Maven's quiet mode it shows
# one line per module; Maven's whole output goes to weir-cli/target/build.log, and its errors are
# printed when the build fails. POSIX sh.

weir_build_jar() {
  echo "weir: building the runnable jar ($1); the first build downloads dependencies" \
    "and takes a few minutes" >&2
  weir_target="$WEIR_ROOT/weir-cli/target"
  mkdir -p "$weir_target"
  weir_log="$weir_target/build.log"
  # A pipeline's status is its last command's, so Maven's goes through a file.
  weir_rc_file="$weir_target/build.rc"
  rm -f "$weir_rc_file"
  (
    cd "$WEIR_ROOT" || exit 1
    ./mvnw -B -Dstyle.color=never -DskipTests -Dspotless.check.skip=true \
      package -pl weir-cli -am 2>&1
    echo $? >"$weir_rc_file"
  ) | tee "$weir_log" | weir_build_progress
  weir_rc=$(cat "$weir_rc_file" 2>/dev/null || echo 1)
  rm -f "$weir_rc_file"
  if [ "$weir_rc" != 0 ]; then
    echo "weir: the build failed:" >&2
    grep '^\[ERROR\]' "$weir_log" | head -n 40 >&2 || true
    echo "weir: Maven's whole output is in $weir_log" >&2
    return 1
  fi
}

# Reads Maven's output on stdin; prints a line on stderr per module and, once per module, when
# dependencies are being downloaded.
weir_build_progress() {
  weir_downloading=""
  while IFS= read -r weir_line; do
    case $weir_line in
      "[INFO] Building "*"/"*"]")
        # "[INFO] Building Weir core: flow model, … 0.1.0-SNAPSHOT    [2/5]" -> "[2/5] Weir core: …"
        printf '%s\n' "$weir_line" |
          sed 's/^\[INFO\] Building \(.*[^ ]\) [^ ]\{1,\} *\(\[[0-9]*\/[0-9]*\]\) *$/weir:   \2 \1/' >&2
        weir_downloading=""
        ;;
      "[INFO] Downloading from "* | "Downloading from "*)
        if [ -z "$weir_downloading" ]; then
          echo "weir:         downloading dependencies" >&2
          weir_downloading=1
        fi
        ;;
      "[INFO] Total time:"*)
        printf '%s\n' "$weir_line" | sed 's/.*Total time: *\(.*\)$/weir: built in \1/' >&2
        ;;
    esac
  done
}
