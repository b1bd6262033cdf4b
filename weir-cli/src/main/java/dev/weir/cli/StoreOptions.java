package dev.weir.cli;

import dev.weir.store.JdbcStateStore;
import dev.weir.store.StateStore;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --home} and {@code --db}: where runs are kept. */
final class StoreOptions {
  @Option(
      names = "--home",
      paramLabel = "DIR",
      description =
          "Weir's home: the H2 state store and staging data (default: .weir beside the flow for"
              + " `run`, else $WEIR_HOME or ./.weir)")
  Path home;

  @Option(
      names = "--db",
      paramLabel = "JDBC_URL",
      description = "Keep state in this database instead, e.g. jdbc:postgresql://host/db?user=weir")
  String db;

  Path home(Path fallback) {
    if (home != null) {
      return home;
    }
    if (fallback != null) {
      return fallback;
    }
    String env = System.getenv("WEIR_HOME");
    return env != null && !env.isBlank() ? Path.of(env) : Path.of(".weir");
  }

  /**
   * Opens the store. Commands that only read ({@code runs}, {@code logs}, {@code resume}) pass null
   * and must find an existing home rather than create an empty one.
   */
  StateStore open(Path fallbackHome) {
    if (db != null) {
      return JdbcStateStore.open(db, null, null, null);
    }
    Path h = home(fallbackHome);
    if (fallbackHome == null && !java.nio.file.Files.isDirectory(h)) {
      throw new dev.weir.WeirException(
          "no Weir home at "
              + h.toAbsolutePath().normalize()
              + "; runs are kept in the .weir folder beside the flow file: pass it with --home"
              + " (e.g. --home examples/quickstart/.weir), or set WEIR_HOME");
    }
    return JdbcStateStore.h2(h);
  }
}
