package dev.weir.flow;

import dev.weir.WeirException;
import java.util.List;
import java.util.stream.Collectors;

/** A flow file that cannot run; carries every problem found, each with file:line:col. */
public final class FlowDefinitionException extends WeirException {
  private final List<Problem> problems;

  public FlowDefinitionException(List<Problem> problems) {
    super(format(problems));
    this.problems = List.copyOf(problems);
  }

  public List<Problem> problems() {
    return problems;
  }

  private static String format(List<Problem> problems) {
    String head = problems.size() == 1 ? "1 problem" : problems.size() + " problems";
    return head
        + " in flow definition:\n"
        + problems.stream().map(p -> "  " + p).collect(Collectors.joining("\n"));
  }
}
