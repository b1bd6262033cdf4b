package dev.weir.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UnknownCommandTest {
  @Test
  void a_mistyped_command_names_the_closest_one() {
    Cli.Result r = Cli.run("rnu", "flow.yaml");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err())
        .isEqualTo(
            "error: unknown command `rnu`; did you mean `run`?\n"
                + "Run `weir --help` to see every command.\n");
  }

  @Test
  void a_mistyped_subcommand_names_the_closest_one_with_its_parent() {
    Cli.Result r = Cli.run("runs", "lst");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo(
            "error: unknown command `runs lst`; did you mean `runs list`?\n"
                + "Run `weir runs --help` to see every command.\n");
  }

  @Test
  void a_word_close_to_nothing_lists_the_commands() {
    Cli.Result r = Cli.run("backfills", "zzzzzzzz");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo(
            "error: unknown command `backfills zzzzzzzz`; the commands are: list, show, pause,"
                + " resume, cancel\n"
                + "Run `weir backfills --help` to see every command.\n");
  }

  @Test
  void other_usage_errors_keep_their_own_message() {
    Cli.Result r = Cli.run("run");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).startsWith("Missing required parameter: 'FLOW.yaml'");
  }
}
