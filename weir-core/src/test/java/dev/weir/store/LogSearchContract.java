package dev.weir.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A run's log a page at a time, filtered in the database, on each store backend. */
abstract class LogSearchContract {
  JdbcStateStore store;
  LogSearch logs;

  abstract JdbcStateStore open() throws Exception;

  @BeforeEach
  void openStore() throws Exception {
    store = open();
    logs = new LogSearch(store.dataSource());
    var lines = new ArrayList<LogLine>();
    Instant t = Instant.parse("2026-12-02T10:00:00Z");
    for (int i = 1; i <= 1200; i++) {
      String task = i % 3 == 0 ? "load" : "extract";
      String level = i % 100 == 0 ? "ERROR" : "INFO";
      String msg = i == 777 ? "row 777: 100% of 50_MB written" : "line " + i + " of the log";
      // load's lines 601 on are its second attempt
      int attempt = task.equals("load") && i > 600 ? 2 : 1;
      lines.add(new LogLine("run-a", task, attempt, t.plusMillis(i), level, msg));
      if (i % 400 == 0) {
        lines.add(new LogLine("run-b", "other", 1, t.plusMillis(i), "INFO", "another run " + i));
      }
    }
    store.appendLogs(lines);
  }

  @AfterEach
  void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  private List<String> messages(LogSearch.Page p) {
    return p.lines().stream().map(l -> l.line().message()).toList();
  }

  @Test
  void pages_forward_and_back_cover_the_run_once_in_order() {
    var seen = new ArrayList<String>();
    long after = 0;
    int pages = 0;
    LogSearch.Page p;
    do {
      p = logs.page(new LogSearch.Query("run-a", null, null, null, after, 0, 500));
      seen.addAll(messages(p));
      after = p.lines().get(p.lines().size() - 1).id();
      pages++;
    } while (p.more() && pages < 10);
    assertThat(pages).isEqualTo(3);
    assertThat(seen)
        .hasSize(1200)
        .startsWith("line 1 of the log")
        .doesNotContain("another run 400");
    assertThat(logs.count("run-a")).isEqualTo(1200);

    // the page before the last one, read backwards from the last page's first line
    var last = logs.page(new LogSearch.Query("run-a", null, null, null, 0, 0, 500));
    var second =
        logs.page(
            new LogSearch.Query("run-a", null, null, null, last.lines().get(499).id(), 0, 500));
    var back =
        logs.page(
            new LogSearch.Query("run-a", null, null, null, 0, second.lines().get(0).id(), 500));
    assertThat(messages(back)).isEqualTo(messages(last));
    assertThat(back.earlier()).isFalse();
    assertThat(second.earlier()).isTrue();
  }

  @Test
  void task_level_and_text_filter_in_the_database_and_like_characters_are_literal() {
    var load = logs.page(new LogSearch.Query("run-a", "load", null, null, 0, 0, 5000));
    assertThat(load.lines()).hasSize(400).allMatch(l -> l.line().taskId().equals("load"));
    var errors = logs.page(new LogSearch.Query("run-a", null, "error", null, 0, 0, 5000));
    assertThat(errors.lines()).hasSize(12);
    var found = logs.page(new LogSearch.Query("run-a", null, null, "100% OF 50_mb", 0, 0, 50));
    assertThat(messages(found)).containsExactly("row 777: 100% of 50_MB written");
    // % and _ match themselves, not "anything"
    assertThat(logs.page(new LogSearch.Query("run-a", null, null, "1_0", 0, 0, 50)).lines())
        .isEmpty();
    assertThat(logs.tasks("run-a")).containsExactly("extract", "load");
  }

  @Test
  void the_attempt_filter_picks_one_attempt_of_a_task_in_the_database_and_pages_within_it() {
    var second = logs.page(new LogSearch.Query("run-a", "load", 2, null, null, 0, 0, 5000));
    assertThat(second.lines())
        .hasSize(200)
        .allMatch(l -> l.line().attempt() == 2 && l.line().taskId().equals("load"));
    assertThat(second.lines().get(0).line().message()).isEqualTo("line 603 of the log");
    var first = logs.page(new LogSearch.Query("run-a", "load", 1, null, null, 0, 0, 5000));
    assertThat(first.lines()).hasSize(200).allMatch(l -> l.line().attempt() == 1);
    // attempt 1 of every task: all of extract's lines and load's first 200
    assertThat(logs.page(new LogSearch.Query("run-a", null, 1, null, null, 0, 0, 5000)).lines())
        .hasSize(1000);
    // with the level filter too, and paged: 150 lines of attempt 2, then the other 50
    var errors = logs.page(new LogSearch.Query("run-a", "load", 2, "error", null, 0, 0, 5000));
    assertThat(messages(errors)).containsExactly("line 900 of the log", "line 1200 of the log");
    var page1 = logs.page(new LogSearch.Query("run-a", "load", 2, null, null, 0, 0, 150));
    var page2 =
        logs.page(
            new LogSearch.Query(
                "run-a", "load", 2, null, null, page1.lines().get(149).id(), 0, 150));
    assertThat(page1.more()).isTrue();
    assertThat(page2.lines()).hasSize(50).allMatch(l -> l.line().attempt() == 2);
    assertThat(page2.more()).isFalse();
    assertThat(logs.attempts("run-a", null)).containsExactly(1, 2);
    assertThat(logs.attempts("run-a", "extract")).containsExactly(1);
    assertThat(logs.page(new LogSearch.Query("run-a", "extract", 2, null, null, 0, 0, 50)).lines())
        .isEmpty();
    assertThatThrownBy(() -> new LogSearch.Query("run-a", null, -1, null, null, 0, 0, 50))
        .hasMessageContaining("attempt must be 1 or more (0: every attempt), got -1");
  }

  @Test
  void a_limit_out_of_range_is_refused() {
    assertThatThrownBy(() -> new LogSearch.Query("run-a", null, null, null, 0, 0, 0))
        .hasMessageContaining("limit must be 1..5000");
  }
}
