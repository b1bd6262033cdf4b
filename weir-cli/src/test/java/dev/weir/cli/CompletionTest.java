package dev.weir.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompletionTest {
  @TempDir Path dir;

  @Test
  void bash_completion_is_a_valid_bash_script_that_knows_the_commands() throws Exception {
    Cli.Result r = Cli.run("completion", "bash");
    assertThat(r.exit()).isZero();
    assertThat(r.err()).isEmpty();
    assertThat(r.out())
        .startsWith("#!/usr/bin/env bash")
        .contains(
            "local commands=\"run validate schema runs logs resume retry deadletters server worker deploy"
                + " flows backfill backfills sql models gc plugins completion init help\"")
        .contains("complete -F _complete_weir -o default weir");
    Path script = dir.resolve("weir.bash");
    Files.writeString(script, r.out());
    Process bash = new ProcessBuilder("bash", "-n", script.toString()).start();
    assertThat(bash.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(new String(bash.getErrorStream().readAllBytes(), StandardCharsets.UTF_8)).isEmpty();
    assertThat(bash.exitValue()).isZero();
  }

  @Test
  void zsh_completion_loads_bash_completion_into_zsh() {
    Cli.Result r = Cli.run("completion", "zsh");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("autoload -U +X bashcompinit && bashcompinit");
    assertThat(r.out()).isEqualTo(Cli.run("completion", "bash").out());
  }

  @Test
  void an_unknown_shell_is_refused_with_the_shells_weir_completes() {
    Cli.Result r = Cli.run("completion", "fish");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err())
        .isEqualTo(
            "error: cannot complete for shell 'fish': weir completes bash, zsh"
                + " (e.g. `weir completion bash`)\n");
  }
}
