package dev.weir.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.store.StreamOffsetStore.StreamKey;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link StateStore} keeps of change data capture streams (schema v18). */
abstract class StreamOffsetsContract {
  private static final StreamKey ORDERS = new StreamKey("shop", "orders", "cdc");

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
  void offsets_are_replaced_per_key_and_kept_per_task() {
    var offsets = store.streamOffsets();
    assertThat(offsets.offsets(ORDERS)).isEmpty();

    offsets.saveOffsets(ORDERS, Map.of("[\"p\",{\"server\":\"a\"}]", "{\"lsn\":1}"));
    offsets.saveOffsets(ORDERS, Map.of("[\"p\",{\"server\":\"a\"}]", "{\"lsn\":2}", "k2", "v2"));
    offsets.saveOffsets(new StreamKey("shop", "orders", "other"), Map.of("k", "other task"));
    offsets.saveOffsets(new StreamKey("hr", "orders", "cdc"), Map.of("k", "other namespace"));

    assertThat(offsets.offsets(ORDERS))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("[\"p\",{\"server\":\"a\"}]", "{\"lsn\":2}", "k2", "v2"));
  }

  @Test
  void a_null_value_removes_its_key() {
    var offsets = store.streamOffsets();
    offsets.saveOffsets(ORDERS, Map.of("a", "1", "b", "2"));
    var removal = new HashMap<String, String>();
    removal.put("a", null);
    offsets.saveOffsets(ORDERS, removal);

    assertThat(offsets.offsets(ORDERS)).containsExactlyEntriesOf(Map.of("b", "2"));
  }

  @Test
  void history_is_read_back_in_the_order_it_was_appended() {
    var offsets = store.streamOffsets();
    for (int i = 0; i < 12; i++) {
      offsets.appendHistory(ORDERS, List.of("ddl " + i));
    }
    offsets.appendHistory(ORDERS, List.of("ddl 12", "ddl 13"));

    assertThat(offsets.history(ORDERS)).hasSize(14).startsWith("ddl 0", "ddl 1").endsWith("ddl 13");
    assertThat(offsets.offsets(ORDERS)).isEmpty();
  }

  @Test
  void clear_forgets_offsets_and_history_of_that_task_only() {
    var offsets = store.streamOffsets();
    var other = new StreamKey("shop", "orders", "other");
    offsets.saveOffsets(ORDERS, Map.of("a", "1"));
    offsets.appendHistory(ORDERS, List.of("ddl"));
    offsets.saveOffsets(other, Map.of("a", "kept"));

    offsets.clear(ORDERS);

    assertThat(offsets.offsets(ORDERS)).isEmpty();
    assertThat(offsets.history(ORDERS)).isEmpty();
    assertThat(offsets.offsets(other)).containsEntry("a", "kept");
  }
}
