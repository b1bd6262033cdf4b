package dev.weir.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./weir} launcher, run as a user runs it, on a copy of its scripts beside a small jar
 * compiled here (a real one is built only after the tests): its main class prints the arguments and
 * whether the JVM was started with a start-up cache, and a stand-in training class gives the cache
 * something to record.
 */
class LauncherTest {
  private static final Path REPO = Path.of("..").toAbsolutePath().normalize();

  @TempDir Path dir;
  Path root;

  @BeforeEach
  void copyTheLauncher() throws Exception {
    root = dir.resolve("weir repo"); // a space in the path, as on many laptops
    Files.createDirectories(root.resolve("bin"));
    for (String f :
        List.of("weir", "bin/find-jdk.sh", "bin/startup-cache.sh", "bin/build-jar.sh")) {
      Files.copy(REPO.resolve(f), root.resolve(f));
    }
    root.resolve("weir").toFile().setExecutable(true);
    buildProbeJar(root.resolve("weir-cli/target/weir.jar"));
  }

  @Test
  void runs_through_a_symlink_on_the_path_from_any_directory() throws Exception {
    Path bin = Files.createDirectories(dir.resolve("home/bin"));
    Files.createSymbolicLink(bin.resolve("weir"), root.resolve("weir"));
    Path elsewhere = Files.createDirectories(dir.resolve("somewhere/else"));

    var r =
        run(elsewhere, Map.of("WEIR_STARTUP_CACHE", "off"), bin.resolve("weir").toString(), "a b");

    assertThat(r.err()).isEmpty();
    assertThat(r.out()).startsWith("args=[a b] cache=false dir=" + elsewhere.toRealPath() + "\n");
    assertThat(r.exit()).isZero();
  }

  @Test
  void makes_the_start_up_cache_after_the_first_command_and_uses_it_from_then_on()
      throws Exception {
    Map<String, String> debug = Map.of("WEIR_LAUNCHER_DEBUG", "1");
    var first = run(dir, debug, launcher(), "one");
    assertThat(first.out()).startsWith("args=[one] cache=false");
    assertThat(first.err())
        .startsWith("weir launcher: no start-up cache yet; making ")
        .endsWith(" in the background after this command\n");

    Path cache = awaitCache();
    var second = run(dir, debug, launcher(), "two");
    assertThat(second.out()).startsWith("args=[two] cache=true");
    assertThat(second.err()).isEqualTo("weir launcher: using " + cache + "\n");

    // a new jar gets a new cache: the old one is not used for it
    Path jar = root.resolve("weir-cli/target/weir.jar");
    Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(60)));
    var third = run(dir, debug, launcher(), "three");
    assertThat(third.out()).startsWith("args=[three] cache=false");
    assertThat(third.err()).startsWith("weir launcher: no start-up cache yet; making ");
    Path renewed = awaitCache();
    assertThat(renewed).isNotEqualTo(cache);
    assertThat(cache).doesNotExist(); // the old jar's cache is removed
  }

  @Test
  void a_cache_the_jvm_cannot_use_neither_fails_the_command_nor_prints_anything() throws Exception {
    run(dir, Map.of(), launcher(), "first");
    Path cache = awaitCache();
    Files.writeString(cache, "not a cache");

    var r = run(dir, Map.of(), launcher(), "still", "works");

    assertThat(r.err()).isEmpty();
    assertThat(r.out()).startsWith("args=[still, works] cache=true");
    assertThat(r.exit()).isZero();
  }

  @Test
  void short_commands_get_the_quick_jit_the_server_the_full_one_and_weir_java_opts_win()
      throws Exception {
    Map<String, String> off = Map.of("WEIR_STARTUP_CACHE", "off");
    assertThat(run(dir, off, launcher(), "--help").out())
        .contains("jit=quick gc=[-XX:+UseSerialGC]");
    assertThat(run(dir, off, launcher(), "validate", "x.yaml").out())
        .contains("jit=quick gc=[-XX:+UseSerialGC]");
    // runs keep the default collector for their data; the server keeps the full JIT
    assertThat(run(dir, off, launcher(), "run", "--home", "h", "x.yaml").out())
        .contains("jit=quick gc=[]");
    assertThat(run(dir, off, launcher(), "server", "--port", "0").out()).contains("jit=full gc=[]");

    var full = Map.of("WEIR_STARTUP_CACHE", "off", "WEIR_JAVA_OPTS", "-XX:TieredStopAtLevel=4");
    assertThat(run(dir, full, launcher(), "run", "x.yaml").out()).contains("jit=full gc=[]");
    // a collector of the user's own: the launcher adds none, or the JVM would refuse to start
    var g1 = Map.of("WEIR_STARTUP_CACHE", "off", "WEIR_JAVA_OPTS", "-XX:+UseG1GC");
    var r = run(dir, g1, launcher(), "validate", "x.yaml");
    assertThat(r.out()).contains("jit=quick gc=[-XX:+UseG1GC]");
    assertThat(r.exit()).isZero();
  }

  @Test
  void with_the_cache_off_nothing_is_made_nor_used() throws Exception {
    var r = run(dir, Map.of("WEIR_STARTUP_CACHE", "off", "WEIR_LAUNCHER_DEBUG", "1"), launcher());

    assertThat(r.out()).startsWith("args=[] cache=false");
    assertThat(r.err()).isEqualTo("weir launcher: start-up cache off (WEIR_STARTUP_CACHE=off)\n");
    assertThat(root.resolve("weir-cli/target/startup-cache")).doesNotExist();
  }

  @Test
  void the_first_build_prints_one_line_per_module_instead_of_silence() throws Exception {
    Files.delete(root.resolve("weir-cli/target/weir.jar"));
    Path jar = dir.resolve("built.jar");
    buildProbeJar(jar);
    // Maven's real output for this build (trimmed), replayed by a stand-in for the wrapper
    Files.copy(Path.of("src/test/resources/launcher/maven-package.log"), root.resolve("maven.log"));
    Files.writeString(
        root.resolve("mvnw"),
        "#!/bin/sh\ncat maven.log\ncp '" + jar + "' weir-cli/target/weir.jar\n");
    Files.setPosixFilePermissions(
        root.resolve("mvnw"), PosixFilePermissions.fromString("rwx------"));

    var r = run(dir, Map.of("WEIR_STARTUP_CACHE", "off"), launcher(), "x");

    assertThat(r.err())
        .isEqualTo(
            """
            weir: building the runnable jar (missing); the first build downloads dependencies \
            and takes a few minutes
            weir:   [1/5] Weir
            weir:         downloading dependencies
            weir:   [2/5] Weir core: flow model, engine, state store
            weir:         downloading dependencies
            weir:   [3/5] Weir built-in task types
            weir:   [4/5] Weir server: scheduler, triggers, REST API
            weir:   [5/5] Weir command line
            weir: built in 01:12 min
            """);
    assertThat(r.out()).startsWith("args=[x]");
    assertThat(root.resolve("weir-cli/target/build.log"))
        .hasSameTextualContentAs(root.resolve("maven.log"));
  }

  @Test
  void a_failed_build_prints_mavens_errors_and_where_the_whole_output_is() throws Exception {
    Files.delete(root.resolve("weir-cli/target/weir.jar"));
    Files.writeString(
        root.resolve("mvnw"),
        "#!/bin/sh\necho '[INFO] Building Weir core 0.1.0 [2/5]'\n"
            + "echo '[ERROR] COMPILATION ERROR : Engine.java:[12,5] cannot find symbol'\nexit 1\n");
    Files.setPosixFilePermissions(
        root.resolve("mvnw"), PosixFilePermissions.fromString("rwx------"));

    var r = run(dir, Map.of(), launcher(), "x");

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err())
        .endsWith(
            "weir:   [2/5] Weir core\n"
                + "weir: the build failed:\n"
                + "[ERROR] COMPILATION ERROR : Engine.java:[12,5] cannot find symbol\n"
                + "weir: Maven's whole output is in "
                + root.resolve("weir-cli/target/build.log")
                + "\n");
  }

  @Test
  void a_release_runs_its_own_jar_through_links_from_anywhere_and_builds_nothing()
      throws Exception {
    Path release = release();
    // relative links to a link, as `ln -s` and package managers make them
    Path opt = Files.createDirectories(dir.resolve("opt"));
    Files.createSymbolicLink(opt.resolve("weir"), Path.of("../weir-1.0/bin/weir"));
    Path bin = Files.createDirectories(dir.resolve("home/bin"));
    Files.createSymbolicLink(bin.resolve("weir"), Path.of("../../opt/weir"));
    Path elsewhere = Files.createDirectories(dir.resolve("somewhere/else"));
    Map<String, String> debug = Map.of("WEIR_LAUNCHER_DEBUG", "1");

    var first = run(elsewhere, debug, bin.resolve("weir").toString(), "run", "x.yaml");

    // no sources and no mvnw beside it: a build attempt would have failed the command
    assertThat(first.out())
        .startsWith("args=[run, x.yaml] cache=false dir=" + elsewhere.toRealPath() + "\n");
    Path cacheDir = release.toRealPath().resolve("lib/startup-cache");
    assertThat(first.err()).startsWith("weir launcher: no start-up cache yet; making " + cacheDir);
    Path cache = awaitCache(cacheDir);
    var second = run(elsewhere, debug, bin.resolve("weir").toString(), "validate");
    assertThat(second.out()).startsWith("args=[validate] cache=true");
    assertThat(second.err()).isEqualTo("weir launcher: using " + cache + "\n");
  }

  @Test
  void a_release_the_user_cannot_write_keeps_its_start_up_cache_in_the_users_cache_folder()
      throws Exception {
    Assumptions.assumeTrue(AsNobody.available(), "needs root and setpriv to run as nobody");
    Path release = release();
    AsNobody.open(release);
    Files.walk(release).forEach(p -> p.toFile().setReadable(true, false));
    Path cacheHome = Files.createDirectories(dir.resolve("nobody-cache"));
    Files.setPosixFilePermissions(cacheHome, PosixFilePermissions.fromString("rwxrwxrwx"));

    var r =
        run(
            dir,
            Map.of("WEIR_LAUNCHER_DEBUG", "1", "XDG_CACHE_HOME", cacheHome.toString()),
            "/usr/bin/setpriv",
            "--reuid=nobody",
            "--regid=nogroup",
            "--clear-groups",
            release.resolve("bin/weir").toString(),
            "--help");

    assertThat(r.out()).startsWith("args=[--help] cache=false");
    assertThat(r.err())
        .startsWith(
            "weir launcher: no start-up cache yet; making "
                + cacheHome.resolve("weir/startup-cache/"));
    awaitCache(cacheHome.resolve("weir/startup-cache"));
    assertThat(release.resolve("lib/startup-cache")).doesNotExist();
  }

  /** weir-1.0/ as the release tarball has it: bin/weir and its scripts, lib/weir.jar. */
  private Path release() throws IOException {
    Path release = dir.resolve("weir-1.0");
    Files.createDirectories(release.resolve("bin"));
    Files.copy(REPO.resolve("weir"), release.resolve("bin/weir"));
    for (String f : List.of("bin/find-jdk.sh", "bin/startup-cache.sh")) {
      Files.copy(REPO.resolve(f), release.resolve(f));
    }
    release.resolve("bin/weir").toFile().setExecutable(true, false);
    buildProbeJar(release.resolve("lib/weir.jar"));
    return release;
  }

  private String launcher() {
    return root.resolve("weir").toString();
  }

  private Path awaitCache() throws Exception {
    return awaitCache(root.resolve("weir-cli/target/startup-cache"));
  }

  /** Waits (bounded) for the background training to leave a cache and release its lock. */
  private Path awaitCache(Path cacheDir) throws Exception {
    Instant end = Instant.now().plus(Duration.ofMinutes(3));
    while (Instant.now().isBefore(end)) {
      if (!Files.exists(cacheDir.resolve("making.lock"))) {
        try (Stream<Path> files = Files.list(cacheDir)) {
          var found =
              files
                  .filter(p -> p.toString().endsWith(".aot") || p.toString().endsWith(".jsa"))
                  .toList();
          if (found.size() == 1) {
            return found.get(0);
          }
        }
      }
      Thread.sleep(200);
    }
    throw new AssertionError(
        "no start-up cache after 3 minutes: "
            + Files.readString(cacheDir.resolve("making.log"), StandardCharsets.UTF_8));
  }

  private record Result(int exit, String out, String err) {}

  private static Result run(Path cwd, Map<String, String> env, String... command) throws Exception {
    var pb = new ProcessBuilder(command).directory(cwd.toFile());
    pb.environment().remove("WEIR_STARTUP_CACHE");
    pb.environment().remove("WEIR_LAUNCHER_DEBUG");
    pb.environment().putAll(env);
    Path out = Files.createTempFile("launcher", ".out");
    Path err = Files.createTempFile("launcher", ".err");
    Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(3, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("the launcher did not end within 3 minutes");
    }
    var r = new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    Files.delete(out);
    Files.delete(err);
    return r;
  }

  private static final String PROBE =
      """
      package probe;
      public class Probe {
        public static void main(String[] args) {
          var jvm = java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments();
          boolean cache = jvm.stream()
              .anyMatch(a -> a.startsWith("-XX:AOTCache=") || a.startsWith("-XX:SharedArchiveFile="));
          System.out.println("args=" + java.util.Arrays.toString(args) + " cache=" + cache
              + " dir=" + System.getProperty("user.dir"));
          // the last one wins, as in the JVM
          String level = jvm.stream().filter(a -> a.startsWith("-XX:TieredStopAtLevel="))
              .reduce((a, b) -> b).orElse("-XX:TieredStopAtLevel=4");
          System.out.println("jit=" + (level.endsWith("=1") ? "quick" : "full")
              + " gc=" + jvm.stream().filter(a -> a.startsWith("-XX:+Use") && a.endsWith("GC")).toList());
        }
      }
      """;

  // The launcher trains with this class; here it only loads a few classes for the cache to keep.
  private static final String TRAINING =
      """
      package dev.weir.cli;
      public class StartupTraining {
        public static void main(String[] args) {
          probe.Probe.main(new String[0]);
        }
      }
      """;

  private void buildProbeJar(Path jar) throws IOException {
    Path src = Files.createTempDirectory(dir, "src");
    Path classes = Files.createTempDirectory(dir, "classes");
    Path probe =
        Files.writeString(
            Files.createDirectories(src.resolve("probe")).resolve("Probe.java"), PROBE);
    Path training =
        Files.writeString(
            Files.createDirectories(src.resolve("dev/weir/cli")).resolve("StartupTraining.java"),
            TRAINING);
    int rc =
        ToolProvider.getSystemJavaCompiler()
            .run(null, null, null, "-d", classes.toString(), probe.toString(), training.toString());
    assertThat(rc).isZero();
    var manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "probe.Probe");
    Files.createDirectories(jar.getParent());
    try (OutputStream os = Files.newOutputStream(jar);
        var jos = new JarOutputStream(os, manifest);
        Stream<Path> walk = Files.walk(classes)) {
      for (Path c : walk.filter(Files::isRegularFile).toList()) {
        jos.putNextEntry(new JarEntry(classes.relativize(c).toString()));
        Files.copy(c, jos);
        jos.closeEntry();
      }
    }
  }
}
