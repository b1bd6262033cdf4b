package dev.weir.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad inputs are refused before `weir run` says it is running anything, and nothing is stored. */
class RunInputsTest {
  @TempDir Path dir;
  Path flow;

  @BeforeEach
  void flow() throws Exception {
    flow = dir.resolve("flow.yaml");
    Files.writeString(
        flow,
        """
        id: typed
        inputs:
          - {id: day, type: date}
          - {id: limit, type: int, default: 10}
        tasks:
          - {id: hello, type: log, message: "day {{ inputs.day }}"}
        """);
  }

  private Cli.Result run(String... inputs) {
    var args = new java.util.ArrayList<String>();
    args.addAll(
        java.util.List.of("run", flow.toString(), "--home", dir.resolve("home").toString()));
    args.addAll(java.util.List.of(inputs));
    return Cli.run(args.toArray(String[]::new));
  }

  @Test
  void an_input_of_the_wrong_type_fails_before_running() {
    Cli.Result r = run("-i", "day=x");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err())
        .isEqualTo(
            "error: 1 problem with the inputs of flow typed:\n"
                + "  input 'day': 'x' is not a valid date; expected a date like 2026-01-31\n");
  }

  @Test
  void an_unknown_input_fails_before_running() {
    Cli.Result r = run("-i", "day=2026-03-01", "-i", "dya=2026-03-01");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err())
        .isEqualTo(
            "error: 1 problem with the inputs of flow typed:\n"
                + "  unknown input 'dya'; did you mean 'day'? (flow typed declares: day, limit)\n");
  }

  @Test
  void a_missing_required_input_fails_before_running_and_stores_no_run() {
    Cli.Result r = run("-i", "limit=ten");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err())
        .isEqualTo(
            "error: 2 problems with the inputs of flow typed:\n"
                + "  missing required input 'day' (date); pass it as --input day=<a date like"
                + " 2026-01-31>\n"
                + "  input 'limit': 'ten' is not a valid int; expected a whole number like 42\n");
    assertThat(Cli.run("runs", "list", "--home", dir.resolve("home").toString()).out())
        .endsWith("no runs yet\n");
  }
}
