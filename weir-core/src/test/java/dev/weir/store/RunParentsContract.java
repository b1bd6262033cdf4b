package dev.weir.store;

import static dev.weir.store.StateStoreContract.T0;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link StateStore} keeps of the runs subflow tasks started (schema v12). */
abstract class RunParentsContract {
  StateStore store;

  abstract StateStore open() throws Exception;

  @BeforeEach
  void openStore() throws Exception {
    store = open();
  }

  @AfterEach
  void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  @Test
  void a_child_names_its_parent_and_a_parent_lists_its_children_oldest_first() {
    store.recordParent(new RunParent("c2", "p", "load", 2, T0.plusSeconds(20)));
    store.recordParent(new RunParent("c1", "p", "load", 1, T0.plusSeconds(10)));
    store.recordParent(new RunParent("c3", "p", "apply", 1, T0.plusSeconds(30)));
    store.recordParent(new RunParent("other", "q", "load", 1, T0));

    assertThat(store.parentOf("c1"))
        .contains(new RunParent("c1", "p", "load", 1, T0.plusSeconds(10)));
    assertThat(store.parentOf("p")).isEmpty();
    assertThat(store.children("p", "load"))
        .extracting(RunParent::runId)
        .containsExactly("c1", "c2");
    assertThat(store.children("p", null))
        .extracting(RunParent::runId)
        .containsExactly("c1", "c2", "c3");
    assertThat(store.children("nobody", null)).isEmpty();
  }

  @Test
  void recording_the_same_child_again_changes_nothing() {
    var link = new RunParent("c1", "p", "load", 1, T0);
    store.recordParent(link);
    store.recordParent(new RunParent("c1", "elsewhere", "x", 3, T0.plusSeconds(5)));
    assertThat(store.parentOf("c1")).contains(link);
  }
}
