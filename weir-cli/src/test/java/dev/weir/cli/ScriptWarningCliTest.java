package dev.weir.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `weir validate` and `weir run` print the warning about inlined untrusted values; neither fails.
 */
class ScriptWarningCliTest {
  private static final String WARNING =
      ":6:5 tasks[0].command: warning: `{{ inputs.name }}` is put into a shell script as text; a"
          + " value holding `$(…)` would run as a command. Pass it as an environment variable:"
          + " env: {NAME: \"{{ inputs.name }}\"} and use \"$NAME\" in the script, or write {{"
          + " inputs.name | shellQuote }}";

  @TempDir Path dir;

  private Path flow() throws Exception {
    Path flow = dir.resolve("flow.yaml");
    Files.writeString(
        flow,
        """
        id: greet
        inputs: [{id: name, type: string}]
        tasks:
          - id: inline
            type: shell
            command: echo "inline={{ inputs.name }}"
          - id: safe
            type: shell
            env: {NAME: "{{ inputs.name }}"}
            command: printf '%s' "$NAME" > safe.txt
        """);
    return flow;
  }

  @Test
  void validate_prints_the_warning_and_still_passes() throws Exception {
    Path flow = flow();

    Cli.Result r = Cli.run("validate", flow.toString());

    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("ok       " + flow).contains("1 valid, 0 invalid, 1 warning");
    assertThat(r.err()).isEqualTo("  " + flow + WARNING + System.lineSeparator());
  }

  @Test
  void run_prints_the_warning_and_env_keeps_a_hostile_input_as_text() throws Exception {
    Path flow = flow();

    Cli.Result r = Cli.run("run", flow.toString(), "-i", "name=$(touch pwned)");

    assertThat(r.err()).startsWith(flow + WARNING);
    assertThat(r.exit()).isZero();
    assertThat(Files.readString(dir.resolve("safe.txt"))).isEqualTo("$(touch pwned)");
    // the inlined copy did run the command: what the warning is about
    assertThat(dir.resolve("pwned")).exists();
  }
}
