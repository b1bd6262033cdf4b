package dev.weir.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A flow file that is not UTF-8 is named with its bad byte (was: "Input length = 1"). */
class FlowEncodingCliTest {
  @TempDir Path dir;

  private Path latin() throws Exception {
    Path flows = Files.createDirectories(dir.resolve("flows"));
    Files.writeString(flows.resolve("good.yaml"), "id: good\ntasks:\n  - {id: a, type: noop}\n");
    Path latin = flows.resolve("latin.yaml");
    Files.write(
        latin,
        "id: latin\ndescription: caf\u00e9\ntasks:\n  - {id: a, type: noop}\n"
            .getBytes(StandardCharsets.ISO_8859_1));
    return latin;
  }

  @Test
  void validate_lists_a_file_that_is_not_utf8_as_invalid_and_goes_on() throws Exception {
    Path latin = latin();
    Cli.Result r = Cli.run("validate", dir.resolve("flows").toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.out()).contains("1 valid, 1 invalid");
    assertThat(r.err())
        .contains(
            "invalid  "
                + latin
                + "\n  "
                + latin
                + " is not UTF-8 text (byte 0xE9 at offset 26, line 2); save it as UTF-8")
        .doesNotContain("Input length")
        .doesNotContain("\tat ");
  }

  @Test
  void run_says_the_file_is_not_utf8_without_a_stack_trace() throws Exception {
    Path latin = latin();
    Cli.Result r = Cli.run("run", latin.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err())
        .contains(
            "error: "
                + latin
                + " is not UTF-8 text (byte 0xE9 at offset 26, line 2); save it as UTF-8")
        .doesNotContain("\tat ");
  }
}
