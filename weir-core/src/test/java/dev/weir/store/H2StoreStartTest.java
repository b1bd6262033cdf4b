package dev.weir.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opening the H2 store, in a fresh JVM, starts no other JDBC driver: the first use of {@code
 * DriverManager} would load and start every driver on the class path (PostgreSQL's here; DuckDB's
 * and MariaDB's in the CLI), time every short command paid for nothing.
 */
class H2StoreStartTest {
  @TempDir Path dir;

  @Test
  void opening_the_h2_store_starts_no_other_jdbc_driver() throws Exception {
    String java = ProcessHandle.current().info().command().orElseThrow();
    Path log = dir.resolve("classes.log");
    var p =
        new ProcessBuilder(
                java,
                "-Xlog:class+load=info:file=" + log,
                "-cp",
                System.getProperty("java.class.path"),
                OpenH2.class.getName(),
                dir.resolve("home").toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).contains("opened H2 store in");

    String loaded = Files.readString(log);
    assertThat(loaded).contains("org.h2.jdbcx.JdbcDataSource ");
    assertThat(loaded).doesNotContain("org.postgresql.Driver ");
  }

  /** The child JVM: opens the store and closes it. */
  public static final class OpenH2 {
    public static void main(String[] args) {
      try (StateStore store = JdbcStateStore.h2(Path.of(args[0]))) {
        System.out.println("opened " + store);
      }
    }
  }
}
