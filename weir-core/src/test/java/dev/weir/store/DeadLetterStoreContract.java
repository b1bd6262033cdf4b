package dev.weir.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link StateStore} does for the dead-letter index (schema v19). */
abstract class DeadLetterStoreContract {
  private static final Instant T0 = Instant.parse("2026-12-04T10:00:00Z");

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

  private static DeadLetterRecord batch(String id, String run, long letters, Instant at) {
    return new DeadLetterRecord(
        id,
        "shop",
        "orders",
        run,
        "load",
        1,
        "jdbc.load",
        "/dead/" + run + "/load-1.jsonl",
        letters,
        100,
        "row 3: duplicate key",
        at,
        null,
        null,
        null);
  }

  @Test
  void a_batch_saved_again_replaces_the_first_and_one_of_no_letters_removes_it() {
    store.deadLetters().save(batch("abc123", "r1", 5, T0));
    store.deadLetters().save(batch("abc123", "r1", 2, T0.plusSeconds(1)));
    assertThat(store.deadLetters().list(null, null, null, 10))
        .singleElement()
        .satisfies(b -> assertThat(b.letters()).isEqualTo(2));
    store.deadLetters().save(batch("abc123", "r1", 0, T0.plusSeconds(2)));
    assertThat(store.deadLetters().list(null, null, null, 10)).isEmpty();
  }

  @Test
  void lists_newest_first_filtered_by_flow_and_run_prefix() {
    store.deadLetters().save(batch("b1", "run-aaa", 1, T0));
    store.deadLetters().save(batch("b2", "run-bbb", 1, T0.plusSeconds(5)));
    store.deadLetters().save(batch("b3", null, 1, T0.plusSeconds(9)));
    assertThat(store.deadLetters().list("shop", "orders", null, 10))
        .extracting(DeadLetterRecord::id)
        .containsExactly("b3", "b2", "b1");
    assertThat(store.deadLetters().list(null, null, "run-a", 10))
        .extracting(DeadLetterRecord::id)
        .containsExactly("b1");
    assertThat(store.deadLetters().list("other", null, null, 10)).isEmpty();
    assertThat(store.deadLetters().list(null, null, null, 2)).hasSize(2);
  }

  @Test
  void finds_by_id_or_unique_prefix_and_keeps_the_replay() {
    store.deadLetters().save(batch("abc123", "r1", 5, T0));
    store.deadLetters().save(batch("abd456", "r2", 5, T0));
    assertThat(store.deadLetters().find("abc")).map(DeadLetterRecord::id).contains("abc123");
    assertThat(store.deadLetters().find("ab")).isEmpty(); // ambiguous
    assertThat(store.deadLetters().find("zz")).isEmpty();
    store.deadLetters().markReplayed("abc123", T0.plusSeconds(60), null, "loaded 4, still dead 1");
    DeadLetterRecord b = store.deadLetters().find("abc123").orElseThrow();
    assertThat(b.replayedAt()).isEqualTo(T0.plusSeconds(60));
    assertThat(b.replayOutcome()).isEqualTo("loaded 4, still dead 1");
    assertThat(b.createdAt()).isEqualTo(T0);
    assertThat(b.firstReason()).isEqualTo("row 3: duplicate key");
  }
}
