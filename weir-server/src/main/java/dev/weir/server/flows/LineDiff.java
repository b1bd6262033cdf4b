package dev.weir.server.flows;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import com.github.difflib.algorithm.myers.MyersDiffWithLinearSpace;
import com.github.difflib.patch.AbstractDelta;
import com.github.difflib.patch.ChangeDelta;
import com.github.difflib.patch.Chunk;
import com.github.difflib.patch.Patch;
import java.util.ArrayList;
import java.util.List;

/**
 * Line diffs of two flow revisions, by java-diff-utils' Myers diff in linear space: memory grows
 * with the two texts' lengths (not their product) and time with their lengths times the number of
 * changes.
 */
public final class LineDiff {
  /** Lines of unchanged context around each hunk, as {@code diff -u}. */
  public static final int CONTEXT = 3;

  private LineDiff() {}

  /**
   * The changes from {@code from} to {@code to}, line by line. A replaced run of lines is one delta
   * (its removed lines, then its added ones), as {@code diff -u} shows it.
   */
  public static Patch<String> patch(List<String> from, List<String> to) {
    return joined(DiffUtils.diff(from, to, new MyersDiffWithLinearSpace<String>()));
  }

  /**
   * The linear-space Myers diff gives a replacement as an insert and a delete that touch; joined
   * into one change, the unified diff lists {@code -} lines before {@code +} lines.
   */
  private static Patch<String> joined(Patch<String> patch) {
    var out = new Patch<String>();
    AbstractDelta<String> open = null;
    for (AbstractDelta<String> d : patch.getDeltas()) {
      if (open != null
          && d.getSource().getPosition() == open.getSource().getPosition() + open.getSource().size()
          && d.getTarget().getPosition()
              == open.getTarget().getPosition() + open.getTarget().size()) {
        open =
            new ChangeDelta<>(
                new Chunk<>(
                    open.getSource().getPosition(),
                    concat(open.getSource().getLines(), d.getSource().getLines())),
                new Chunk<>(
                    open.getTarget().getPosition(),
                    concat(open.getTarget().getLines(), d.getTarget().getLines())));
      } else {
        if (open != null) {
          out.addDelta(open);
        }
        open = d;
      }
    }
    if (open != null) {
      out.addDelta(open);
    }
    return out;
  }

  private static List<String> concat(List<String> a, List<String> b) {
    var all = new ArrayList<String>(a.size() + b.size());
    all.addAll(a);
    all.addAll(b);
    return all;
  }

  /**
   * A unified diff with {@value #CONTEXT} lines of context: {@code ---}/{@code +++} headers, then
   * {@code @@ -l,s +l,s @@} hunks. Two equal texts give the empty string, as {@code diff -u} does.
   */
  public static String unified(String fromName, String from, String toName, String to) {
    List<String> a = from.lines().toList();
    List<String> b = to.lines().toList();
    List<String> out =
        UnifiedDiffUtils.generateUnifiedDiff(fromName, toName, a, patch(a, b), CONTEXT);
    return out.isEmpty() ? "" : String.join("\n", out) + "\n";
  }
}
