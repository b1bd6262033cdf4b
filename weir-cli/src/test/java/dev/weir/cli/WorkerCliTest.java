package dev.weir.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What `weir worker` and the cluster options refuse, with the words a user sees. */
class WorkerCliTest {
  @Test
  void a_worker_without_a_database_says_it_needs_the_clusters_postgresql() {
    var r = Cli.run("worker");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err())
        .contains(
            "a worker needs the cluster's PostgreSQL store: give --db (or WEIR_DB), e.g."
                + " jdbc:postgresql://db.internal/weir?user=weir");
  }

  @Test
  void a_bad_log_format_slots_or_role_is_refused_naming_what_is_allowed() {
    assertThat(Cli.run("worker", "--log-format", "xml").err())
        .contains("--log-format (or WEIR_LOG_FORMAT) must be text or json, got 'xml'");
    assertThat(Cli.run("worker", "--db", "jdbc:postgresql://x/y", "--slots", "0").err())
        .contains("--slots must be at least 1, got 0");
    assertThat(Cli.run("server", "--role", "boss").err())
        .contains(
            "role 'boss' is not known: use all, scheduler, api or worker (`weir worker` is a"
                + " worker)");
  }
}
