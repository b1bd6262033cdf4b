package dev.weir.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.server.ServerFixture;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run page links the run's subflow runs, and a child run's page links its parent. */
class SubflowRunPageHttpTest {
  @TempDir static Path dir;
  static ServerFixture server;

  @BeforeAll
  static void startServer() throws Exception {
    server = new ServerFixture(dir).start();
    server.writeFlow("child.yaml", "id: child\nnamespace: ui\ntasks:\n  - {id: a, type: noop}\n");
    server.writeFlow(
        "parent.yaml",
        "id: parent\nnamespace: ui\ntasks:\n  - {id: apply, type: subflow, flow: child}\n");
    server.server.watcher().scan();
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void parent_and_child_run_pages_link_each_other() {
    String parentId = server.post("/flows/ui/parent/runs", "{}").json().get("runId").asText();
    assertThat(server.awaitRun(parentId).get("state").asText()).isEqualTo("SUCCEEDED");
    String childId =
        server.get("/runs/" + parentId).json().get("children").get(0).get("runId").asText();

    UiSession ui = new UiSession(server);
    ui.signIn(ServerFixture.TOKEN);
    assertThat(ui.get("/runs/" + parentId).body())
        .contains(
            "<a href=\"/runs/"
                + childId
                + "\">ui.child</a> <span class=\"muted\">SUCCEEDED, task apply</span>");
    assertThat(ui.get("/runs/" + childId).body())
        .contains(
            "<dd data-parent-run>run <a href=\"/runs/"
                + parentId
                + "\">"
                + parentId
                + "</a>, task apply</dd>");
  }
}
