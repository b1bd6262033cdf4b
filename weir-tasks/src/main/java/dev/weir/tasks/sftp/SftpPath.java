package dev.weir.tasks.sftp;

import dev.weir.tasks.s3.S3Path;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * A remote path on an SFTP server, written {@code /outgoing/orders.csv} (absolute), {@code
 * outgoing/orders.csv} (relative to the login directory) or {@code
 * sftp://name/outgoing/orders.csv}, where {@code name} is the connection (or, with {@code
 * connection:} set, its host). The path names one file, every file under a directory when it ends
 * in {@code /}, or the files a glob matches: {@code *} and {@code ?} stay within one segment,
 * {@code **} crosses them.
 *
 * @param authority the name after {@code sftp://}, or null for a plain path
 */
public record SftpPath(String authority, String path) {
  public static final String SCHEME = "sftp://";

  public SftpPath {
    if (path == null || path.isEmpty()) {
      throw new IllegalArgumentException(
          "an SFTP path is empty; write e.g. /outgoing/orders.csv or sftp://partner/outgoing/");
    }
  }

  public static boolean isSftp(String value) {
    return value != null && value.toLowerCase(Locale.ROOT).startsWith(SCHEME);
  }

  /**
   * @throws IllegalArgumentException naming the bad address and an example of a good one
   */
  public static SftpPath parse(String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(
          "an SFTP path is empty; write e.g. /outgoing/orders.csv or sftp://partner/outgoing/");
    }
    if (!isSftp(value)) {
      if (value.contains("://")) {
        throw new IllegalArgumentException(
            "'" + value + "' is not an SFTP path; write e.g. sftp://partner/outgoing/orders.csv");
      }
      return new SftpPath(null, value);
    }
    String rest = value.substring(SCHEME.length());
    int slash = rest.indexOf('/');
    if (slash <= 0) {
      throw new IllegalArgumentException(
          "'"
              + value
              + "' has no "
              + (slash == 0 ? "connection or host" : "path")
              + "; write e.g. sftp://partner/outgoing/orders.csv");
    }
    return new SftpPath(rest.substring(0, slash), rest.substring(slash));
  }

  public boolean hasGlob() {
    return firstGlobChar() >= 0;
  }

  /** Names every file under a directory: the path ends with {@code /}. */
  public boolean isDirectory() {
    return !hasGlob() && path.endsWith("/");
  }

  /** Names exactly one file. */
  public boolean isFile() {
    return !hasGlob() && !isDirectory();
  }

  /**
   * The directory listing starts from, and the part of every selected path left out of local names:
   * up to the last / before the first glob character, or the directory itself.
   */
  public String base() {
    int i = firstGlobChar();
    String p = i < 0 ? path : path.substring(0, i);
    return p.substring(0, p.lastIndexOf('/') + 1);
  }

  /** How many directory levels below {@link #base()} a listing must go; -1 for no limit. */
  public int depth() {
    if (isDirectory() || path.contains("**")) {
      return -1;
    }
    String rest = path.substring(base().length());
    return (int) rest.chars().filter(c -> c == '/').count();
  }

  /** The last segment, as a local file name. */
  public String fileName() {
    String name = path.substring(path.lastIndexOf('/') + 1);
    return name.isEmpty() || name.equals(".") || name.equals("..") ? "file" : name;
  }

  /** Whether a remote path (as the listing spells it) is one this path selects. */
  public Predicate<String> matcher() {
    if (!hasGlob()) {
      return isDirectory() ? p -> p.startsWith(path) : path::equals;
    }
    return S3Path.globRegex(path).asMatchPredicate();
  }

  public SftpPath withPath(String newPath) {
    return new SftpPath(authority, newPath);
  }

  private int firstGlobChar() {
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c == '*' || c == '?' || c == '[') {
        return i;
      }
    }
    return -1;
  }

  @Override
  public String toString() {
    return authority == null ? path : SCHEME + authority + (path.startsWith("/") ? "" : "/") + path;
  }
}
