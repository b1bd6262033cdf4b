package dev.weir.cli;

import dev.weir.expr.Masker;
import dev.weir.expr.Secrets;
import dev.weir.store.JdbcStateStore;
import dev.weir.store.StateStore;
import dev.weir.store.StoreAddress;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code --home} and {@code --db}: where runs are kept. */
final class StoreOptions {
  @Spec(Spec.Target.MIXEE)
  CommandSpec mixee;

  @Option(
      names = "--home",
      paramLabel = "DIR",
      description =
          "Weir's home: the H2 state store and staging data (default: .weir beside the nearest"
              + " weir.yaml upward, else $WEIR_HOME, else ~/.weir; see docs/cli.md)")
  Path home;

  @Option(
      names = "--db",
      paramLabel = "JDBC_URL",
      defaultValue = "${env:WEIR_DB}",
      description =
          "Keep state in this database instead (env WEIR_DB), e.g."
              + " jdbc:postgresql://host/db?user=weir; may use {{ secret('NAME') }}")
  String db;

  Surroundings surroundings() {
    return Surroundings.of(mixee);
  }

  /**
   * The home by the one rule ({@link Home}).
   *
   * @param flowDir the directory of the flow the command works on, or null
   */
  Home home(Path flowDir) {
    return Home.resolve(surroundings(), home, flowDir);
  }

  /** Opens the store in {@code home}, creating the home if needed (commands that run flows). */
  StateStore open(Home home) {
    if (db != null) {
      Surroundings s = surroundings();
      String dir = s.env("WEIR_SECRETS_DIR");
      var secrets =
          new Secrets(s.env(), dir == null ? null : s.resolve(Path.of(dir)), new Masker());
      return StoreAddress.of(db).resolve(secrets, "the state store (--db or WEIR_DB)").open();
    }
    return JdbcStateStore.h2(home.dir());
  }

  /**
   * Opens the store for a command that reads or continues runs ({@code runs}, {@code logs}, {@code
   * resume}): it must find an existing home rather than create an empty one.
   */
  StateStore openExisting(Home home) {
    return db != null ? open(home) : open(home.requireExisting());
  }
}
