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
}
