package dev.weir.flow.trigger;

import java.nio.file.FileSystems;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.PatternSyntaxException;

/** Reads the properties of a {@code type: file} trigger. */
final class FileReader {
  static final List<String> KEYS =
      List.of("path", "connection", "interval", "onProcessed", "moveTo");
  private static final String EXAMPLES =
      "/data/in/*.csv, incoming/**/*.json, s3://bucket/in/*.csv or sftp://partner/outgoing/*.csv";

  private final Fields f;

  FileReader(Fields f) {
    this.f = f;
  }

  FileTrigger read(String id, Map<String, String> inputs, boolean disabled) {
    int before = f.problemCount();
    String path = f.requiredText("path", "file trigger '" + id + "'", "/data/in/*.csv");
    if (path != null) {
      path = path.strip();
      checkGlob(path);
    }
    String connection = f.text("connection");
    if (connection != null && path != null && FileTrigger.store(path).equals("local")) {
      f.problem(
          "connection",
          "connection names the S3 or SFTP connection of an s3:// or sftp:// path, but path '"
              + path
              + "' is local; remove connection, or watch e.g. s3://bucket/in/*.csv");
    }
    Duration interval = f.duration("interval");
    if (interval != null && interval.compareTo(FileTrigger.MIN_INTERVAL) < 0) {
      f.problem(
          "interval",
          "interval must be at least 1s, got '" + f.text("interval") + "'; e.g. `interval: 30s`");
    }
    OnProcessed onProcessed = f.choice("onProcessed", OnProcessed.class, OnProcessed.KEEP);
    String moveTo = moveTo(onProcessed, path);
    if (f.problemCount() != before) {
      return null;
    }
    return new FileTrigger(id, path, connection, interval, onProcessed, moveTo, inputs, disabled);
  }

  private void checkGlob(String path) {
    if (path.isEmpty()) {
      f.problem("path", "path is empty; give a glob like " + EXAMPLES);
      return;
    }
    if (path.contains("{{")) {
      f.problem(
          "path",
          "path '"
              + path
              + "' is a template, but a file trigger watches before any run exists; write the"
              + " glob itself, e.g. "
              + EXAMPLES);
      return;
    }
    String pattern = path;
    if (FileTrigger.isS3(path)) {
      String rest = path.substring("s3://".length());
      int slash = rest.indexOf('/');
      if (slash <= 0 || slash == rest.length() - 1) {
        f.problem(
            "path",
            "S3 path '" + path + "' needs a bucket and a key pattern, e.g. s3://bucket/in/*.csv");
        return;
      }
      pattern = rest.substring(slash + 1);
    } else if (FileTrigger.isSftp(path)) {
      String rest = path.substring("sftp://".length());
      int slash = rest.indexOf('/');
      if (slash <= 0 || slash == rest.length() - 1) {
        f.problem(
            "path",
            "SFTP path '"
                + path
                + "' needs a connection name and a path pattern, e.g."
                + " sftp://partner/outgoing/*.csv");
        return;
      }
      pattern = rest.substring(slash + 1);
    }
    try {
      FileSystems.getDefault().getPathMatcher("glob:" + pattern);
    } catch (PatternSyntaxException e) {
      String why = e.getDescription();
      if (why.chars().filter(c -> c == '\'').count() % 2 == 1) {
        why += "'"; // Java writes "Missing ']"
      }
      f.problem(
          "path",
          "path '"
              + path
              + "' is not a valid glob: "
              + Character.toLowerCase(why.charAt(0))
              + why.substring(1)
              + "; e.g. "
              + EXAMPLES);
    }
  }

  private String moveTo(OnProcessed onProcessed, String path) {
    String moveTo = f.text("moveTo");
    if (onProcessed == OnProcessed.MOVE && moveTo == null && !f.has("moveTo")) {
      f.problem(
          "onProcessed",
          "onProcessed: move needs moveTo, the folder processed files go to; e.g. `moveTo:"
              + " /data/in/done`");
      return null;
    }
    if (onProcessed != null && onProcessed != OnProcessed.MOVE && moveTo != null) {
      f.problem(
          "moveTo",
          "moveTo is only used with `onProcessed: move` (here onProcessed is "
              + onProcessed.name().toLowerCase(java.util.Locale.ROOT)
              + "); remove moveTo, or set `onProcessed: move`");
      return null;
    }
    if (moveTo != null
        && path != null
        && !FileTrigger.store(moveTo).equals(FileTrigger.store(path))) {
      f.problem(
          "moveTo",
          "moveTo '"
              + moveTo
              + "' must be on the same store as path '"
              + path
              + "'; e.g. "
              + switch (FileTrigger.store(path)) {
                case "s3" -> "s3://bucket/done/";
                case "sftp" -> "sftp://partner/outgoing/done/";
                default -> "/data/in/done";
              });
      return null;
    }
    return moveTo;
  }
}
