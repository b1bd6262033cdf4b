package dev.weir.server.flows;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class LineDiffTest {
  private static String numbered(int lines) {
    var sb = new StringBuilder();
    for (int i = 1; i <= lines; i++) {
      sb.append("line ").append(i).append('\n');
    }
    return sb.toString();
  }

  @Test
  void a_change_is_one_hunk_with_three_lines_of_context() {
    String from = numbered(20);
    String to = from.replace("line 10\n", "line ten\n");

    assertThat(LineDiff.unified("revision 1", from, "revision 2", to))
        .isEqualTo(
            """
            --- revision 1
            +++ revision 2
            @@ -7,7 +7,7 @@
             line 7
             line 8
             line 9
            -line 10
            +line ten
             line 11
             line 12
             line 13
            """);
  }

  @Test
  void changes_far_apart_are_separate_hunks_and_near_ones_share_one() {
    String from = numbered(40);
    String to =
        from.replace("line 2\n", "")
            .replace("line 20\n", "line 20\nline 20b\n")
            .replace("line 24\n", "line twenty-four\n");

    String diff = LineDiff.unified("a", from, "b", to);

    assertThat(diff.lines().filter(l -> l.startsWith("@@")))
        .containsExactly("@@ -1,5 +1,4 @@", "@@ -18,10 +17,11 @@");
    assertThat(diff).contains("\n-line 2\n").contains("\n+line 20b\n").doesNotContain(" line 30");
  }

  @Test
  void lines_added_at_the_end_and_an_empty_side() {
    assertThat(LineDiff.unified("a", "x\n", "b", "x\ny\n"))
        .isEqualTo("--- a\n+++ b\n@@ -1,1 +1,2 @@\n x\n+y\n");
    assertThat(LineDiff.unified("a", "", "b", "x\n")).contains("@@ -0,0 +1,1 @@\n+x\n");
  }

  @Test
  void equal_texts_give_no_diff() {
    assertThat(LineDiff.unified("a", numbered(5), "b", numbered(5))).isEmpty();
  }

  @Test
  void two_files_of_20000_lines_diff_in_bounded_time_and_memory_with_right_hunk_headers() {
    String from = numbered(20_000);
    List<String> lines = new ArrayList<>(from.lines().toList());
    lines.set(99, "changed 100");
    lines.remove(9_999); // line 10000
    lines.add(15_000, "inserted after 15001");
    lines.set(lines.size() - 1, "last changed");
    String to = String.join("\n", lines) + "\n";

    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long id = Thread.currentThread().threadId();
    long allocatedBefore = threads.getThreadAllocatedBytes(id);
    long start = System.nanoTime();
    String diff = LineDiff.unified("a", from, "b", to);
    long millis = (System.nanoTime() - start) / 1_000_000;
    long allocated = threads.getThreadAllocatedBytes(id) - allocatedBefore;

    // The table of the old LCS diff alone was 20,001² ints, 1.6 GB.
    assertThat(allocated).as("bytes allocated").isLessThan(64L << 20);
    assertThat(millis).as("ms").isLessThan(5_000);
    assertThat(diff.lines().filter(l -> l.startsWith("@@")))
        .containsExactly(
            "@@ -97,7 +97,7 @@",
            "@@ -9997,7 +9997,6 @@",
            "@@ -14999,6 +14998,7 @@",
            "@@ -19997,4 +19997,4 @@");
    assertThat(diff.lines().filter(l -> l.startsWith("-") || l.startsWith("+")))
        .containsExactly(
            "--- a",
            "+++ b",
            "-line 100",
            "+changed 100",
            "-line 10000",
            "+inserted after 15001",
            "-line 20000",
            "+last changed");
    assertThat(Pattern.compile("^ ", Pattern.MULTILINE).matcher(diff).results().count())
        .isEqualTo(6 + 6 + 6 + 3);
  }
}
