package dev.weir.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `weir server` in a child JVM, driven by the client commands as a user would. */
class ServerCliTest {
  static final String FLOW =
      """
      id: hello
      namespace: team.a
      tasks:
        - {id: greet, type: log, message: "hello"}
      """;

  @TempDir Path dir;

  @Test
  void server_makes_a_token_once_and_the_client_deploys_lists_and_rolls_back() throws Exception {
    Path home = dir.resolve("home");
    Path flows = dir.resolve("flows");
    Path src = dir.resolve("src");
    Files.createDirectories(src);
    Files.writeString(src.resolve("hello.yaml"), FLOW);

    Process server = start(home, flows);
    String url;
    String token;
    try {
      String out = Files.readString(dir.resolve("child.out"));
      url = match(out, "(http://127\\.0\\.0\\.1:\\d+)/api/v1");
      token = match(out, "\\n\\s+(weir_\\S+)\\s*\\n");

      var deployed = Cli.run("deploy", src.toString(), "--server", url, "--token", token);
      assertThat(deployed.exit()).as(deployed.err()).isZero();
      assertThat(deployed.out()).contains("team.a/hello revision 1");
      Files.writeString(src.resolve("hello.yaml"), FLOW.replace("hello\"", "hi\""));
      assertThat(Cli.run("deploy", src.toString(), "--server", url, "--token", token).out())
          .contains("revision 2");

      var history = Cli.run("flows", "history", "team.a/hello", "--server", url, "--token", token);
      assertThat(history.out()).contains("  1 ").contains("* ");
      var back =
          Cli.run(
              "flows", "rollback", "team.a/hello", "--to", "1", "--server", url, "--token", token);
      assertThat(back.out()).contains("revision 3 (the text of revision 1)");
      assertThat(Files.readString(flows.resolve("team.a/hello.yaml"))).isEqualTo(FLOW);

      var wrong = Cli.run("flows", "list", "--server", url, "--token", "nope");
      assertThat(wrong.exit()).isNotZero();
      assertThat(wrong.err()).contains("401").contains("not valid");
    } finally {
      server.destroy(); // SIGTERM: a graceful stop
      assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(server.exitValue()).isIn(0, 143);

    // a second start keeps the token's hash and prints no new one
    Process again = start(home, flows);
    try {
      String out = Files.readString(dir.resolve("child.out"));
      assertThat(out).doesNotContain("A new API token");
      String url2 = match(out, "(http://127\\.0\\.0\\.1:\\d+)/api/v1");
      var list = Cli.run("flows", "list", "--server", url2, "--token", token);
      var hist = Cli.run("flows", "history", "team.a/hello", "--server", url2, "--token", token);
      assertThat(list.out()).as(hist.out()).contains("team.a/hello").contains("rev 3");
    } finally {
      again.destroy();
      again.waitFor(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void a_run_interrupted_by_a_killed_server_resumes_when_it_starts_again() throws Exception {
    Path home = dir.resolve("home");
    Path flows = dir.resolve("flows");
    Files.createDirectories(flows);
    Files.writeString(
        flows.resolve("slow.yaml"),
        """
        id: slow
        namespace: team.a
        tasks:
          - {id: first, type: test.sleep, duration: 3s}
          - {id: second, type: test.ok, message: done}
        """);
    Process server = start(home, flows, "tok-0123456789abcdef");
    String url =
        match(Files.readString(dir.resolve("child.out")), "(http://127\\.0\\.0\\.1:\\d+)/api/v1");
    var api = new ApiClient(url, "tok-0123456789abcdef");
    String runId =
        api.post("/flows/team.a/slow/runs", "{}", "application/json").path("runId").asText();
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> api.get("/runs/" + runId).path("state").asText().equals("RUNNING"));
    server.destroyForcibly(); // kill -9 in the middle of the first task
    server.waitFor(30, TimeUnit.SECONDS);

    Process again = start(home, flows, "tok-0123456789abcdef");
    try {
      String url2 =
          match(Files.readString(dir.resolve("child.out")), "(http://127\\.0\\.0\\.1:\\d+)/api/v1");
      var api2 = new ApiClient(url2, "tok-0123456789abcdef");
      Awaitility.await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> api2.get("/runs/" + runId).path("state").asText().equals("SUCCEEDED"));
      var tasks = api2.get("/runs/" + runId).path("tasks");
      assertThat(tasks.toString()).contains("\"second\"");
    } finally {
      again.destroy();
      again.waitFor(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void the_console_has_a_time_stamped_line_when_a_run_starts_and_when_it_ends() throws Exception {
    Path flows = dir.resolve("flows");
    Files.createDirectories(flows);
    Files.writeString(flows.resolve("hello.yaml"), FLOW);
    Process server = start(dir.resolve("home"), flows, "tok-0123456789abcdef");
    try {
      String url =
          match(Files.readString(dir.resolve("child.out")), "(http://127\\.0\\.0\\.1:\\d+)/api/v1");
      var api = new ApiClient(url, "tok-0123456789abcdef");
      String runId =
          api.post("/flows/team.a/hello/runs", "{}", "application/json").path("runId").asText();
      String stamp = "\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{3} ";
      Pattern ended =
          Pattern.compile(
              "(?m)^"
                  + stamp
                  + "INFO  weir\\.runs - run ended    team\\.a/hello  "
                  + runId
                  + "  SUCCEEDED in \\d+\\.\\d s$");
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> ended.matcher(Files.readString(dir.resolve("child.err"))).find());
      String err = Files.readString(dir.resolve("child.err"));
      assertThat(err)
          .containsPattern(
              "(?m)^"
                  + stamp
                  + "INFO  weir\\.runs - run started  team\\.a/hello  "
                  + runId
                  + "  \\(api\\)$");
      // every line of the server's own log has its time stamp
      assertThat(err.lines().filter(l -> !l.isBlank() && !l.startsWith("\t")))
          .allSatisfy(l -> assertThat(l).containsPattern("^" + stamp));
    } finally {
      server.destroy();
      server.waitFor(30, TimeUnit.SECONDS);
    }
  }

  private Process start(Path home, Path flows) throws Exception {
    return start(home, flows, "");
  }

  private Process start(Path home, Path flows, String tokens) throws Exception {
    Files.deleteIfExists(dir.resolve("child.out"));
    Process p =
        Cli.child(
            dir,
            Map.of("WEIR_API_TOKENS", tokens),
            "server",
            "--port",
            "0",
            "--home",
            home.toString(),
            "--flows",
            flows.toString());
    Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> {
          if (!p.isAlive()) {
            throw new AssertionError(
                "server exited: " + Files.readString(dir.resolve("child.err")));
          }
          return Files.exists(dir.resolve("child.out"))
              && Files.readString(dir.resolve("child.out")).contains("Weir server on");
        });
    return p;
  }

  private static String match(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    assertThat(m.find()).as("'%s' in:%n%s", regex, text).isTrue();
    return m.group(1);
  }
}
