package dev.weir.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.store.JdbcStateStore;
import dev.weir.store.RunRecord;
import dev.weir.store.RunState;
import dev.weir.store.StateStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One home for every command: --home, the project's weir.yaml, $WEIR_HOME, ~/.weir. */
class HomeTest {
  @TempDir Path dir;
  Path project;
  Path user;

  @BeforeEach
  void project() throws Exception {
    project = dir.resolve("project");
    user = dir.resolve("user");
    Files.createDirectories(project.resolve("flows/deep/er"));
    Files.createDirectories(user);
    Files.writeString(project.resolve("weir.yaml"), "connections: {}\n");
    Files.writeString(
        project.resolve("flows/hello.yaml"),
        """
        id: hello
        tasks:
          - {id: say, type: log, message: hi}
        """);
  }

  private Surroundings at(Path cwd, Map<String, String> env) {
    return Cli.at(cwd, user, env);
  }

  @Test
  void a_nested_subdirectory_finds_the_project_upward() {
    Home h = Home.resolve(at(project.resolve("flows/deep/er"), Map.of()), null, null);
    assertThat(h.dir()).isEqualTo(project.resolve(".weir"));
    assertThat(h.origin()).isEqualTo("found from " + project.resolve("weir.yaml"));
  }

  @Test
  void the_project_comes_before_weir_home() {
    Home h = Home.resolve(at(project, Map.of("WEIR_HOME", "/elsewhere")), null, null);
    assertThat(h.dir()).isEqualTo(project.resolve(".weir"));
  }

  @Test
  void outside_a_project_weir_home_is_used() {
    Path outside = dir.resolve("outside");
    Home h = Home.resolve(at(outside, Map.of("WEIR_HOME", "shared/home")), null, null);
    assertThat(h.dir()).isEqualTo(outside.resolve("shared/home"));
    assertThat(h.origin()).isEqualTo("from $WEIR_HOME");
  }

  @Test
  void outside_a_project_without_weir_home_the_user_home_is_the_last_choice() {
    Path outside = dir.resolve("outside");
    Home h = Home.resolve(at(outside, Map.of("WEIR_HOME", " ")), null, null);
    assertThat(h.dir()).isEqualTo(user.resolve(".weir"));
    assertThat(h.origin())
        .isEqualTo(
            "the default: no weir.yaml in " + outside + " or above, and $WEIR_HOME is not set");
  }

  @Test
  void home_option_wins_and_is_relative_to_where_the_command_started() {
    Home h = Home.resolve(at(project.resolve("flows"), Map.of()), Path.of("../mine"), null);
    assertThat(h.dir()).isEqualTo(project.resolve("mine"));
    assertThat(h.origin()).isEqualTo("given with --home");
  }

  @Test
  void a_flow_belongs_to_its_own_project_even_when_run_from_another() throws Exception {
    Path other = dir.resolve("other");
    Files.createDirectories(other);
    Files.writeString(other.resolve("weir.yaml"), "connections: {}\n");
    Home h = Home.resolve(at(other, Map.of()), null, project.resolve("flows"));
    assertThat(h.dir()).isEqualTo(project.resolve(".weir"));
    // a flow outside any project falls back to the directory the command started in
    Home loose = Home.resolve(at(other, Map.of()), null, dir.resolve("loose"));
    assertThat(loose.dir()).isEqualTo(other.resolve(".weir"));
  }

  @Test
  void run_then_runs_list_logs_and_resume_from_a_subdirectory_need_no_home_option()
      throws Exception {
    Cli.Result run =
        Cli.run(at(project.resolve("flows/deep"), Map.of()), "run", "../hello.yaml", "--json");
    assertThat(run.exit()).as(run.out() + run.err()).isZero();
    String runId = new ObjectMapper().readTree(run.out()).get("runId").asText();
    assertThat(project.resolve(".weir/state.mv.db")).exists();

    Surroundings deeper = at(project.resolve("flows/deep/er"), Map.of());
    Cli.Result list = Cli.run(deeper, "runs", "list");
    assertThat(list.exit()).isZero();
    assertThat(list.out().lines().toList())
        .startsWith(
            "Runs in "
                + project.resolve(".weir")
                + " (found from "
                + project.resolve("weir.yaml")
                + ")");
    assertThat(list.out()).contains(runId);
    assertThat(Cli.run(deeper, "logs", runId).out()).contains("hi");

    // as if its process had been killed: the run is still RUNNING in the store
    try (StateStore store = JdbcStateStore.h2(project.resolve(".weir"))) {
      RunRecord r = store.resolveRun(runId);
      store.write(
          new StateStore.Batch(
              List.of(),
              List.of(r.withOwner(RunState.RUNNING, r.startedAt(), "gone-host:1")),
              List.of(),
              List.of()));
    }
    Cli.Result resumed = Cli.run(deeper, "resume", runId, "--force");
    assertThat(resumed.exit()).as(resumed.out() + resumed.err()).isZero();
    assertThat(resumed.out())
        .contains("Resuming run " + runId)
        .contains("Logs:    weir logs " + runId + "\n"); // found from here: no --home to add
  }

  @Test
  void a_summary_names_the_home_when_it_would_not_be_found_from_where_the_user_is()
      throws Exception {
    Path outside = dir.resolve("outside");
    Files.createDirectories(outside);
    Cli.Result run =
        Cli.run(at(outside, Map.of()), "run", project.resolve("flows/hello.yaml").toString());
    assertThat(run.exit()).as(run.out() + run.err()).isZero();
    assertThat(run.out()).containsPattern("Logs:    weir logs \\w+ --home " + project + "/.weir\n");
  }

  @Test
  void the_server_keeps_its_runs_in_the_project_of_its_flows() throws Exception {
    Path outside = dir.resolve("outside");
    Files.createDirectories(outside);
    Process server =
        Cli.child(
            outside,
            Map.of("WEIR_API_TOKENS", "t0ken"),
            "server",
            "--port",
            "0",
            "--flows",
            project.resolve("flows").toString());
    try {
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(60))
          .pollInterval(java.time.Duration.ofMillis(100))
          .until(() -> {
            assertThat(server.isAlive()).as("the server child is running").isTrue();
            return Files.readString(outside.resolve("child.out")).contains("Weir server on");
          });
      assertThat(Files.readString(outside.resolve("child.out")))
          .contains(
              "(flows in " + project.resolve("flows") + ", home " + project.resolve(".weir") + ")");
    } finally {
      server.destroy();
      server.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
    }
  }

  @Test
  void reading_commands_name_the_rule_when_no_home_exists() {
    Path outside = dir.resolve("outside");
    Cli.Result r = Cli.run(at(outside, Map.of()), "runs", "list");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo(
            "error: no Weir home at "
                + user.resolve(".weir")
                + " (the default: no weir.yaml in "
                + outside
                + " or above, and $WEIR_HOME is not set); run a flow first, or choose the home"
                + " with --home DIR (the rule: --home DIR, else .weir beside the nearest weir.yaml"
                + " upward, else $WEIR_HOME, else ~/.weir)\n");
    assertThat(user.resolve(".weir")).doesNotExist();
  }
}
