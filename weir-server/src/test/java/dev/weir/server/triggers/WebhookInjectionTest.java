package dev.weir.server.triggers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.weir.server.ServerFixture;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a webhook caller sends is data: through {@code env:} (or {@code | shellQuote}) it reaches a
 * {@code shell} script as text and runs nothing, and a template in the body is never rendered.
 */
class WebhookInjectionTest {
  static final String KEY = "hook-key-5d1e0a7c93b24f86";
  static final String HOSTILE = "$(touch pwned1) `touch pwned2`";

  static final String GREET =
      """
      id: greet
      namespace: hooks
      tasks:
        - id: by_env
          type: shell
          env:
            NAME: "{{ trigger.body.name }}"
            NOTE: "{{ trigger.body.note }}"
          command: printf '%s|%s' "$NAME" "$NOTE" > by_env.txt
        - id: quoted
          type: shell
          command: printf '%s' {{ trigger.body.name | shellQuote }} > quoted.txt
        - id: note
          type: log
          message: "note={{ trigger.body.note }}"
      triggers:
        - id: push
          type: webhook
          key: "{{ secret('HOOK') }}"
      """;

  static final String INLINE =
      """
      id: inline
      namespace: hooks
      tasks:
        - id: greet
          type: shell
          command: echo "name={{ trigger.body.name }}"
      triggers:
        - id: push
          type: webhook
          key: "{{ secret('HOOK') }}"
      """;

  @TempDir Path dir;
  ServerFixture fx;
  LogCapture logs;

  @BeforeEach
  void start() throws Exception {
    logs = new LogCapture();
    fx = new ServerFixture(dir);
    fx.writeFlow("hooks/greet.yaml", GREET);
    fx.writeFlow("hooks/inline.yaml", INLINE);
    var env = new HashMap<>(System.getenv());
    env.put("WEIR_SECRET_HOOK", KEY);
    TriggerServer.start(fx, env);
  }

  @AfterEach
  void stop() {
    fx.close();
    logs.close();
  }

  private static Stream<Path> pwned(Path dir) throws Exception {
    return Files.walk(dir).filter(p -> p.getFileName().toString().startsWith("pwned"));
  }

  @Test
  void a_hostile_body_reaches_the_script_as_text_and_runs_nothing() throws Exception {
    var body = JsonNodeFactory.instance.objectNode();
    body.put("name", HOSTILE);
    body.put("note", "{{ secret('HOOK') }}");

    var answer =
        fx.send(
            HttpRequest.newBuilder(fx.uri("/webhooks/hooks/greet/" + KEY))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())));

    assertThat(answer.status()).isEqualTo(202);
    var run = fx.awaitRun(answer.json().path("runId").asText());
    assertThat(run.path("state").asText()).isEqualTo("SUCCEEDED");
    Path flowDir = dir.resolve("flows/hooks");
    try (var files = pwned(dir)) {
      assertThat(files).as("no command of the body ran").isEmpty();
    }
    // the body's template stays text: there is no second rendering pass
    assertThat(Files.readString(flowDir.resolve("by_env.txt")))
        .isEqualTo(HOSTILE + "|{{ secret('HOOK') }}");
    assertThat(Files.readString(flowDir.resolve("quoted.txt"))).isEqualTo(HOSTILE);
    String runLogs = fx.get("/runs/" + run.path("id").asText() + "/logs").body();
    assertThat(runLogs).contains("note={{ secret('HOOK') }}").doesNotContain(KEY);
  }

  @Test
  void loading_a_flow_that_inlines_the_body_logs_the_warning_and_still_loads_it() {
    assertThat(logs.text())
        .contains(
            "inline.yaml:6:5 tasks[0].command: warning: `{{ trigger.body.name }}` is put into a"
                + " shell script as text; a value holding `$(…)` would run as a command. Pass it"
                + " as an environment variable: env: {NAME: \"{{ trigger.body.name }}\"} and use"
                + " \"$NAME\" in the script, or write {{ trigger.body.name | shellQuote }}");
    assertThat(fx.get("/flows/hooks/inline").status()).isEqualTo(200);
  }

  @Test
  void validate_and_deploy_answer_with_the_warnings() {
    var validated = fx.post("/flows/validate", INLINE, "application/yaml").json();
    assertThat(validated.path("valid").asBoolean()).isTrue();
    assertThat(validated.path("warnings").get(0).path("path").asText())
        .isEqualTo("tasks[0].command");
    assertThat(validated.path("warnings").get(0).path("message").asText())
        .startsWith("warning: `{{ trigger.body.name }}` is put into a shell script as text;");

    var deployed =
        fx.post("/flows", INLINE.replace("id: inline", "id: inline2"), "application/yaml");
    assertThat(deployed.status()).isEqualTo(201);
    assertThat(deployed.json().path("warnings")).hasSize(1);
    assertThat(fx.post("/flows/validate", GREET, "application/yaml").json().path("warnings"))
        .isEmpty();
  }
}
