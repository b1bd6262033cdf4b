package dev.weir.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code weir} in a child JVM as the user {@code nobody}, so that a test running as root (for
 * whom chmod denies nothing) meets the real "permission denied" a normal user gets. The class
 * path's jars are hard-linked into a directory nobody may read, since ~/.m2 of root is closed to
 * others.
 */
final class AsNobody {
  private AsNobody() {}

  /** Whether this machine can do it: running as root with {@code setpriv} at hand. */
  static boolean available() {
    return "root".equals(System.getProperty("user.name"))
        && Files.isExecutable(Path.of("/usr/bin/setpriv"));
  }

  /**
   * Makes {@code dir} and its parents up to /tmp traversable by everyone (JUnit makes them 700).
   */
  static void open(Path dir) throws IOException {
    for (Path p = dir.toAbsolutePath(); p != null && p.getNameCount() > 1; p = p.getParent()) {
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
  }

  static Cli.Result run(Path work, String... args) throws Exception {
    Path lib = Files.createDirectories(work.resolve("lib"));
    open(lib);
    var classPath = new ArrayList<String>();
    int n = 0;
    for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
      Path p = Path.of(entry);
      if (Files.isRegularFile(p)) {
        Path link = lib.resolve(n++ + "-" + p.getFileName());
        try {
          Files.createLink(link, p);
        } catch (IOException | UnsupportedOperationException e) {
          Files.copy(p, link);
        }
        classPath.add(link.toString());
      } else {
        classPath.add(entry); // target/classes under the worktree, readable by everyone
      }
    }
    String javaBin = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "/usr/bin/setpriv",
                "--reuid=nobody",
                "--regid=nogroup",
                "--clear-groups",
                javaBin,
                "--enable-native-access=ALL-UNNAMED",
                "-Duser.home=" + work,
                "-Dweir.logFile=" + work.resolve("logs/nobody.log"),
                "-cp",
                String.join(java.io.File.pathSeparator, classPath),
                Main.class.getName()));
    cmd.addAll(List.of(args));
    Path out = work.resolve("nobody.out");
    Path err = work.resolve("nobody.err");
    Process p =
        new ProcessBuilder(cmd)
            .directory(work.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("weir as nobody did not finish in 60 s");
    }
    return new Cli.Result(
        p.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }
}
