package dev.weir.engine;

import dev.weir.task.TaskLogger;
import java.util.ArrayList;
import java.util.List;

/** {@link TaskGate#chain}: each gate in turn; what was taken is given back if a later one fails. */
final class GateChain implements TaskGate {
  private final List<TaskGate> gates;

  GateChain(List<TaskGate> gates) {
    this.gates = List.copyOf(gates);
  }

  @Override
  public boolean guards(Request request) {
    return gates.stream().anyMatch(g -> g.guards(request));
  }

  @Override
  public Permit acquire(Request request, TaskLogger log) throws InterruptedException {
    var held = new ArrayList<Permit>();
    try {
      for (TaskGate g : gates) {
        if (g.guards(request)) {
          held.add(g.acquire(request, log));
        }
      }
    } catch (InterruptedException | RuntimeException e) {
      releaseAll(held, Outcome.CANCELLED);
      throw e;
    }
    return outcome -> releaseAll(held, outcome);
  }

  private static void releaseAll(List<Permit> held, Outcome outcome) {
    for (int i = held.size() - 1; i >= 0; i--) {
      held.get(i).release(outcome);
    }
  }

  @Override
  public String toString() {
    return gates.toString();
  }
}
