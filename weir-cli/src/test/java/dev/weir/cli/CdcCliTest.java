package dev.weir.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.testing.RestartablePostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `weir run` of a cdc.postgres flow: until caught up, and killed mid-stream then run again. */
class CdcCliTest {
  private static RestartablePostgres pg;

  @TempDir Path dir;

  @BeforeAll
  static void startPostgres() {
    pg = RestartablePostgres.startLogical();
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    if (pg != null) {
      pg.close();
    }
  }

  private void flow(String table) throws Exception {
    Files.writeString(dir.resolve("weir.yaml"), "connections:\n  pg: {url: '" + pg.url() + "'}\n");
    Files.writeString(
        dir.resolve("flow.yaml"),
        """
        id: cdc_cli
        tasks:
          - id: stream
            type: cdc.postgres
            connection: pg
            tables: [public.%s]
            target: {connection: pg, schema: raw}
            maxBatch: 500
            maxLatency: 100ms
        """
            .formatted(table));
  }

  @Test
  void until_caught_up_ends_a_streaming_task_once_it_applied_what_was_there() throws Exception {
    sql(
        "CREATE TABLE public.cli_orders (id int PRIMARY KEY, v text)",
        "INSERT INTO public.cli_orders SELECT g, 'v' || g FROM generate_series(1, 1000) g");
    flow("cli_orders");
    String home = dir.resolve("home").toString();

    Cli.Result r =
        Cli.run(
            Cli.at(dir, dir, System.getenv()),
            "run",
            "--until-caught-up",
            "flow.yaml",
            "--home",
            home);

    assertThat(r.exit()).as(r.out() + r.err()).isZero();
    assertThat(rows("SELECT id, v FROM raw.cli_orders ORDER BY id"))
        .isEqualTo(rows("SELECT id, v FROM public.cli_orders ORDER BY id"));
  }

  @Test
  void changes_the_target_refuses_are_listed_by_weir_deadletters() throws Exception {
    sql(
        "CREATE TABLE public.cli_dead (id int PRIMARY KEY, qty int)",
        "INSERT INTO public.cli_dead VALUES (1, 5), (2, -1), (3, 7)",
        "CREATE SCHEMA IF NOT EXISTS raw",
        "CREATE TABLE raw.cli_dead (id int PRIMARY KEY, qty int CHECK (qty >= 0))");
    flow("cli_dead");
    // a flow of its own: its slot and publication are not another test's
    Files.writeString(
        dir.resolve("flow.yaml"),
        Files.readString(dir.resolve("flow.yaml")).replace("id: cdc_cli", "id: cdc_cli_dead")
            + "    deadLetter: {path: dead/, maxRejected: 1}\n");
    String home = dir.resolve("home").toString();

    Cli.Result r =
        Cli.run(
            Cli.at(dir, dir, System.getenv()),
            "run",
            "--until-caught-up",
            "flow.yaml",
            "--home",
            home);

    assertThat(r.exit()).as(r.out() + r.err()).isZero();
    assertThat(rows("SELECT id, qty FROM raw.cli_dead ORDER BY id")).containsExactly("1|5", "3|7");
    Cli.Result list =
        Cli.run(Cli.at(dir, dir, System.getenv()), "deadletters", "list", "--home", home, "--json");
    var batch =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(list.out())
            .get("deadLetters")
            .get(0);
    assertThat(batch.get("letters").asLong()).isEqualTo(1);
    assertThat(batch.get("task").asText()).isEqualTo("stream");
    Cli.Result show =
        Cli.run(
            Cli.at(dir, dir, System.getenv()),
            "deadletters",
            "show",
            batch.get("id").asText(),
            "--home",
            home);
    assertThat(show.out()).contains("cli_dead_qty_check").contains("\"op\":\"snapshot\"");
  }

  @Test
  void a_weir_killed_mid_stream_loses_and_doubles_nothing() throws Exception {
    sql(
        "CREATE TABLE public.cli_storm (id int PRIMARY KEY, v int, hits int)",
        "INSERT INTO public.cli_storm SELECT g, g, 0 FROM generate_series(1, 2000) g");
    flow("cli_storm");
    String home = dir.resolve("home").toString();
    Process child = Cli.child(dir, Map.of(), "run", "flow.yaml", "--home", home);
    var storming = new AtomicBoolean(true);
    Thread storm = Thread.ofPlatform().start(() -> storm(storming));
    try {
      // a few batches in, while changes keep coming: SIGKILL
      Cli.waitFor(
          dir,
          child,
          () -> {
            try {
              return count("SELECT coalesce(sum(hits), 0) FROM raw.cli_storm") > 300;
            } catch (java.sql.SQLException e) {
              return false; // the target table is not made yet
            }
          });
      child.destroyForcibly();
      assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
    } finally {
      storming.set(false);
      storm.join(30_000);
      child.destroyForcibly();
    }

    // streaming again from the stored offset (or snapshotting again, when the kill came before
    // the snapshot's end) with --until-caught-up: it stops by itself, target equal to source
    Process again =
        Cli.child(dir, Map.of(), "run", "--until-caught-up", "flow.yaml", "--home", home);
    boolean ended = again.waitFor(120, TimeUnit.SECONDS);
    if (!ended) {
      again.destroyForcibly();
      again.waitFor(10, TimeUnit.SECONDS);
    }
    assertThat(ended).as("stopped by itself:\n%s", taskLogs(home)).isTrue();
    assertThat(again.exitValue()).as(taskLogs(home)).isZero();
    String query = "SELECT id, v, hits FROM %s ORDER BY id";
    assertThat(rows(query.formatted("raw.cli_storm")))
        .isEqualTo(rows(query.formatted("public.cli_storm")));
  }

  /** The output of the last child and the logs of every run in {@code home}. */
  private String taskLogs(String home) throws Exception {
    var log =
        new StringBuilder(Files.readString(dir.resolve("child.out")))
            .append(Files.readString(dir.resolve("child.err")));
    Cli.Result list = Cli.run(Cli.at(dir, dir, System.getenv()), "runs", "list", "--home", home);
    log.append('\n').append(list.out()).append(list.err());
    var id = java.util.regex.Pattern.compile("\\b[0-9a-z]{15}\\b").matcher(list.out());
    while (id.find()) {
      Cli.Result logs =
          Cli.run(Cli.at(dir, dir, System.getenv()), "logs", id.group(), "--home", home);
      log.append("\n==== ").append(id.group()).append('\n').append(logs.out()).append(logs.err());
    }
    return log.toString();
  }

  /** Updates, inserts and deletes in small transactions until told to stop (at most 60 s). */
  private static void storm(AtomicBoolean going) {
    var random = new Random(3);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    try (Connection c = DriverManager.getConnection(pg.url())) {
      int next = 100_000;
      while (going.get() && System.nanoTime() < deadline) {
        c.setAutoCommit(false);
        for (int i = 0; i < 20; i++) {
          int id = 1 + random.nextInt(2000);
          switch (random.nextInt(4)) {
            case 0 ->
                c.createStatement()
                    .execute("INSERT INTO public.cli_storm VALUES (" + next++ + ", 0, 1)");
            case 1 -> c.createStatement().execute("DELETE FROM public.cli_storm WHERE id = " + id);
            default ->
                c.createStatement()
                    .execute(
                        "UPDATE public.cli_storm SET hits = hits + 1, v = v + 1 WHERE id = " + id);
          }
        }
        c.commit();
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static void sql(String... statements) throws Exception {
    try (Connection c = DriverManager.getConnection(pg.url())) {
      for (String s : statements) {
        c.createStatement().execute(s);
      }
    }
  }

  private static long count(String query) throws java.sql.SQLException {
    try (Connection c = DriverManager.getConnection(pg.url());
        ResultSet rs = c.createStatement().executeQuery(query)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static List<String> rows(String query) throws Exception {
    try (Connection c = DriverManager.getConnection(pg.url());
        ResultSet rs = c.createStatement().executeQuery(query)) {
      var out = new ArrayList<String>();
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        var sb = new StringBuilder();
        for (int i = 1; i <= n; i++) {
          sb.append(i == 1 ? "" : "|").append(rs.getString(i));
        }
        out.add(sb.toString());
      }
      return out;
    }
  }
}
