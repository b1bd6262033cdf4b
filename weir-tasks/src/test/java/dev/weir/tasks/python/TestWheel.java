package dev.weir.tasks.python;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A pure-Python wheel built by the test itself (a wheel is a zip with a dist-info directory), so
 * the requirements path installs a real package with pip and no package index.
 */
final class TestWheel {
  private TestWheel() {}

  /** {@code weirdemo-1.0-py3-none-any.whl} in {@code dir}; {@code weirdemo.greet(n)} greets. */
  static Path build(Path dir) throws IOException {
    var files = new LinkedHashMap<String, String>();
    files.put("weirdemo/__init__.py", "def greet(name):\n    return 'hello ' + name\n");
    files.put(
        "weirdemo-1.0.dist-info/METADATA",
        "Metadata-Version: 2.1\nName: weirdemo\nVersion: 1.0\nSummary: a test package\n");
    files.put(
        "weirdemo-1.0.dist-info/WHEEL",
        "Wheel-Version: 1.0\nGenerator: weir-test\nRoot-Is-Purelib: true\nTag: py3-none-any\n");
    var record = new StringBuilder();
    for (Map.Entry<String, String> f : files.entrySet()) {
      byte[] bytes = f.getValue().getBytes(StandardCharsets.UTF_8);
      record
          .append(f.getKey())
          .append(",sha256=")
          .append(digest(bytes))
          .append(',')
          .append(bytes.length)
          .append('\n');
    }
    record.append("weirdemo-1.0.dist-info/RECORD,,\n");
    files.put("weirdemo-1.0.dist-info/RECORD", record.toString());
    Path wheel = dir.resolve("weirdemo-1.0-py3-none-any.whl");
    try (OutputStream out = Files.newOutputStream(wheel);
        var zip = new ZipOutputStream(out)) {
      for (Map.Entry<String, String> f : files.entrySet()) {
        zip.putNextEntry(new ZipEntry(f.getKey()));
        zip.write(f.getValue().getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
      }
    }
    return wheel;
  }

  private static String digest(byte[] bytes) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(bytes);
      return Base64.getUrlEncoder().withoutPadding().encodeToString(d);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
