package dev.weir.cli;

import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Where a command was started: its working directory, environment and the user's home. Commands
 * read these from here rather than from the JVM so a test can start one "from" any directory and
 * never touch the real {@code ~/.weir}.
 */
record Surroundings(Path cwd, Map<String, String> env, Path userHome) {
  Surroundings {
    cwd = cwd.toAbsolutePath().normalize();
    env = Map.copyOf(env);
    userHome = userHome.toAbsolutePath().normalize();
  }

  /** This process's directory, environment and {@code user.home}. */
  static Surroundings current() {
    return new Surroundings(Path.of(""), System.getenv(), Path.of(System.getProperty("user.home")));
  }

  /** The surroundings the running command line was given ({@link Main#execute}). */
  static Surroundings of(CommandSpec spec) {
    return spec.root().userObject() instanceof Main m ? m.surroundings() : current();
  }

  /** A path as the user typed it, relative to the directory the command was started in. */
  Path resolve(Path p) {
    return cwd.resolve(p).normalize();
  }

  /** An environment variable, or null when unset or blank. */
  String env(String name) {
    String v = env.get(name);
    return v == null || v.isBlank() ? null : v;
  }
}
