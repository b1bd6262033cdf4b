package dev.weir.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.server.ServerFixture;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Steps in the API (with their parent) and on the run page (right under their task). */
class StepsRunPageHttpTest {
  @TempDir static Path dir;
  static ServerFixture server;

  @BeforeAll
  static void startServer() throws Exception {
    server = StepsFlow.serve(dir);
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void steps_are_listed_with_their_parent_and_shown_under_it() {
    StepsFlow.Run run = StepsFlow.run(server);
    var byId = run.tasks();
    assertThat(byId.get("m/broken").path("parent").asText()).isEqualTo("m");
    assertThat(byId.get("m/broken").path("state").asText()).isEqualTo("FAILED");
    assertThat(byId.get("m").has("parent")).isFalse();

    UiSession ui = new UiSession(server);
    ui.signIn(ServerFixture.TOKEN);
    String html = ui.get("/runs/" + run.id()).body();
    var rows = new ArrayList<String>();
    var m = Pattern.compile("<tr id=\"task-([^\"]+)\"( class=\"step\")?>").matcher(html);
    while (m.find()) {
      rows.add(m.group(1) + (m.group(2) == null ? "" : " (step)"));
    }
    assertThat(rows.subList(0, 2)).containsExactly("extract", "m");
    assertThat(rows.subList(2, 6))
        .containsExactlyInAnyOrder(
            "m/load_orders (step)",
            "m/load_customers (step)",
            "m/broken (step)",
            "m/after_broken (step)");
    assertThat(rows.get(6)).isEqualTo("publish");
  }
}
