package dev.weir.flow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class DagTest {
  /** "b:a,c" is task b depending on a and c. */
  private static Dag dag(String... specs) {
    List<TaskDef> tasks =
        Arrays.stream(specs)
            .map(s -> {
              String[] parts = s.split(":", -1);
              List<String> deps =
                  parts.length < 2 || parts[1].isEmpty() ? List.of() : List.of(parts[1].split(","));
              return new TaskDef(
                  parts[0],
                  "test.ok",
                  TaskDef.Phase.MAIN,
                  deps,
                  RunIf.SUCCESS,
                  null,
                  null,
                  null,
                  null,
                  JsonNodeFactory.instance.objectNode(),
                  "tasks[?]");
            })
            .toList();
    return new Dag(tasks);
  }

  @Test
  void a_graph_without_cycles_has_none() {
    assertThat(dag("a", "b:a", "c:a", "d:b,c").findCycle()).isEmpty();
  }

  @Test
  void a_cycle_is_spelled_out_from_its_first_task_back_to_it() {
    assertThat(dag("a:b", "b:c", "c:a").findCycle()).contains(List.of("a", "b", "c", "a"));
  }

  @Test
  void a_cycle_behind_other_tasks_is_found_without_them() {
    assertThat(dag("start", "x:start,z", "y:x", "z:y").findCycle())
        .contains(List.of("x", "z", "y", "x"));
  }

  @Test
  void a_self_dependency_is_a_cycle_of_one() {
    assertThat(dag("a:a").findCycle()).contains(List.of("a", "a"));
  }

  @Test
  void unknown_dependencies_are_left_to_validation() {
    assertThat(dag("a:ghost").findCycle()).isEmpty();
  }

  @Test
  void ancestors_are_every_task_waited_for_directly_or_not() {
    Dag dag = dag("a", "b:a", "c", "d:b,c", "e:d");
    assertThat(dag.ancestors("e")).containsExactlyInAnyOrder("a", "b", "c", "d");
    assertThat(dag.ancestors("b")).containsExactly("a");
    assertThat(dag.ancestors("a")).isEmpty();
  }

  @Test
  void ancestors_terminate_on_a_cycle() {
    assertThat(dag("a:c", "b:a", "c:b").ancestors("a")).containsExactlyInAnyOrder("a", "b", "c");
  }

  @Test
  void downstream_lists_the_tasks_that_wait_for_a_task() {
    Dag dag = dag("a", "b:a", "c:a", "d:b");
    assertThat(dag.downstream("a")).containsExactly("b", "c");
    assertThat(dag.downstream("d")).isEmpty();
    assertThat(dag.upstream("d")).containsExactly("b");
    assertThat(dag.contains("a")).isTrue();
    assertThat(dag.contains("z")).isFalse();
  }
}
