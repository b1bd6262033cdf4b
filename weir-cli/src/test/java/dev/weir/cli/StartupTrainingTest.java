package dev.weir.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class StartupTrainingTest {
  @Test
  void training_runs_a_flow_in_a_temporary_folder_and_leaves_nothing_behind() throws Exception {
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    long before = trainingFolders(tmp);
    boolean homeHere = Files.exists(Path.of(".weir"));

    assertThat(StartupTraining.train()).isZero();

    assertThat(trainingFolders(tmp)).isEqualTo(before);
    // nothing in the directory it was started from
    assertThat(Files.exists(Path.of(".weir"))).isEqualTo(homeHere);
  }

  private static long trainingFolders(Path tmp) throws Exception {
    try (Stream<Path> s = Files.list(tmp)) {
      return s.filter(p -> p.getFileName().toString().startsWith("weir-startup-training")).count();
    }
  }

  @Test
  void training_never_writes_to_the_store_weir_db_names() throws Exception {
    String url = dev.weir.testing.TestDatabases.freshPostgresSchemaUrl();
    String javaCmd = ProcessHandle.current().info().command().orElse("java");
    var pb =
        new ProcessBuilder(
                javaCmd,
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                StartupTraining.class.getName())
            .redirectErrorStream(true);
    pb.environment().put("WEIR_DB", url);
    Process p = pb.start();
    p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
    assertThat(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isZero();
    try (var c = java.sql.DriverManager.getConnection(url);
        var rs =
            c.createStatement()
                .executeQuery(
                    "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema ="
                        + " current_schema()")) {
      rs.next();
      assertThat(rs.getInt(1)).as("tables the training made in WEIR_DB").isZero();
    }
  }
}
