package dev.weir.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** How two revisions face each other in the diff view, and where the source defines each task. */
class SideBySideTest {
  private static String row(SideBySide.Row r) {
    return cell(r.left()) + " | " + cell(r.right());
  }

  private static String cell(SideBySide.Cell c) {
    return c.no() == 0 ? "-" : c.no() + " " + c.kind() + " " + c.html().replaceAll("<[^>]+>", "");
  }

  @Test
  void removed_lines_face_the_lines_that_replaced_them_and_the_rest_is_padded() {
    var diff = SideBySide.of("a: 1\nb: 2\nc: 3\nd: 4\n", "a: 1\nB: 2\nd: 4\ne: 5\n");
    assertThat(diff.rows().stream().map(SideBySideTest::row))
        .containsExactly(
            "1 same a: 1 | 1 same a: 1",
            "2 removed b: 2 | 2 added B: 2",
            "3 removed c: 3 | -",
            "4 same d: 4 | 3 same d: 4",
            "- | 4 added e: 5");
    assertThat(diff.removed()).isEqualTo(2);
    assertThat(diff.added()).isEqualTo(2);
  }

  @Test
  void each_side_is_highlighted_as_a_whole_text_and_escaped() {
    var diff = SideBySide.of("run: |\n  # <b>x</b>\n", "run: |\n  # <i>y</i>\n");
    SideBySide.Row changed = diff.rows().get(1);
    // inside a block scalar, '#' is text, not a comment
    assertThat(changed.left().html()).isEqualTo("  # &lt;b&gt;x&lt;/b&gt;");
    assertThat(changed.right().html()).isEqualTo("  # &lt;i&gt;y&lt;/i&gt;");
  }

  @Test
  void the_same_text_has_no_changes() {
    var diff = SideBySide.of("a: 1\n", "a: 1\n");
    assertThat(diff.removed() + diff.added()).isZero();
    assertThat(diff.rows()).hasSize(1);
  }

  @Test
  void a_task_is_found_on_its_id_line_in_a_task_list_not_among_the_inputs() {
    String yaml =
        """
        id: load
        namespace: ui
        inputs:
          - id: load
            type: string
        tasks:
          - id: extract
            type: shell
          - type: shell
            id: "load"   # the task
        finally:
          - {id: cleanup, type: shell}
          - id: report
        """;
    List<SourceLines.Line> lines =
        SourceLines.of(yaml, Set.of("extract", "load", "cleanup", "report"));
    assertThat(lines).hasSize(13);
    assertThat(lines.stream().filter(l -> l.task() != null).map(l -> l.no() + " " + l.task()))
        .containsExactly("7 extract", "10 load", "12 cleanup", "13 report");
  }
}
