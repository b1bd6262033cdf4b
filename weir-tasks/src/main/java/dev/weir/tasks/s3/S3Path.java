package dev.weir.tasks.s3;

import java.util.Locale;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * An {@code s3://bucket/key} address. The key names one object, every object under a prefix when it
 * ends in {@code /}, or the objects a glob matches: {@code *} and {@code ?} stay within one path
 * segment, {@code **} crosses them, {@code [abc]} is a character class.
 */
public record S3Path(String bucket, String key) {
  public static final String SCHEME = "s3://";
  // S3's own rule for bucket names, which also keeps a typo like s3:/x from parsing
  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

  public S3Path {
    if (bucket == null || !BUCKET.matcher(bucket).matches()) {
      throw new IllegalArgumentException(
          "'"
              + bucket
              + "' is not a bucket name: 3 to 63 lower-case letters, digits, '.' or '-';"
              + " write e.g. s3://lake/orders/2026-11-21.csv");
    }
    key = key == null ? "" : key;
  }

  public static boolean isS3(String path) {
    return path != null && path.toLowerCase(Locale.ROOT).startsWith(SCHEME);
  }

  /**
   * @throws IllegalArgumentException naming the bad address and an example of a good one
   */
  public static S3Path parse(String uri) {
    if (!isS3(uri)) {
      throw new IllegalArgumentException(
          "'" + uri + "' is not an S3 address; write s3://bucket/key, e.g. s3://lake/orders.csv");
    }
    String rest = uri.substring(SCHEME.length());
    int slash = rest.indexOf('/');
    try {
      return slash < 0
          ? new S3Path(rest, "")
          : new S3Path(rest.substring(0, slash), rest.substring(slash + 1));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("in '" + uri + "': " + e.getMessage(), e);
    }
  }

  public boolean hasGlob() {
    return firstGlobChar() >= 0;
  }

  /** Names every object under a prefix: the key is empty or ends with {@code /}. */
  public boolean isPrefix() {
    return !hasGlob() && (key.isEmpty() || key.endsWith("/"));
  }

  /** Names exactly one object. */
  public boolean isObject() {
    return !hasGlob() && !isPrefix();
  }

  /** The longest plain prefix to ask S3 for: the key up to its first glob character. */
  public String listPrefix() {
    int i = firstGlobChar();
    return i < 0 ? key : key.substring(0, i);
  }

  /**
   * The part of every selected key that is left out of local file names: the directory the first
   * glob character is in, or the prefix itself.
   */
  public String base() {
    String p = listPrefix();
    return p.substring(0, p.lastIndexOf('/') + 1);
  }

  /**
   * The last segment of the key, e.g. {@code orders.csv}, as a local file name: a segment of {@code
   * .} or {@code ..}, which would name a directory, becomes {@code object}.
   */
  public String fileName() {
    String name = key.substring(key.lastIndexOf('/') + 1);
    return name.equals(".") || name.equals("..") ? "object" : name;
  }

  /** Whether {@code candidate} is a key this path selects. */
  public Predicate<String> matcher() {
    if (!hasGlob()) {
      return isPrefix() ? k -> k.startsWith(key) : key::equals;
    }
    return globRegex(key).asMatchPredicate();
  }

  public S3Path withKey(String newKey) {
    return new S3Path(bucket, newKey);
  }

  private int firstGlobChar() {
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c == '*' || c == '?' || c == '[') {
        return i;
      }
    }
    return -1;
  }

  /** A glob as a regex: {@code *} and {@code ?} within one segment, {@code **} across them. */
  public static Pattern globRegex(String glob) {
    var re = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
        re.append(".*");
        i++;
      } else if (c == '*') {
        re.append("[^/]*");
      } else if (c == '?') {
        re.append("[^/]");
      } else if (c == '[' && glob.indexOf(']', i + 1) > i + 1) {
        int end = glob.indexOf(']', i + 1);
        String set = glob.substring(i + 1, end);
        re.append('[').append(set.startsWith("!") ? "^" + set.substring(1) : set).append(']');
        i = end;
      } else {
        re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(re.toString());
  }

  @Override
  public String toString() {
    return SCHEME + bucket + "/" + key;
  }
}
