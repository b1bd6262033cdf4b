package dev.weir.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.store.DeadLetterRecord;
import java.net.ConnectException;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The text of a batch whose letters cannot be read back. */
class LetterReadFailureTest {
  private static DeadLetterRecord batch(String location) {
    return new DeadLetterRecord(
        "3f2a9c0e11aa22bb",
        "shop",
        "orders",
        "r1",
        "load",
        2,
        "jdbc.load",
        location,
        4,
        100,
        "row 3: null",
        Instant.EPOCH,
        null,
        null,
        null);
  }

  @Test
  void an_unreachable_s3_endpoint_names_the_connection_of_the_location() {
    var e =
        LetterReadFailure.of(
            batch("s3://lake/dead/r1/load-2.jsonl#lake"),
            new RuntimeException(
                "Unable to execute HTTP request", new ConnectException("Connection refused")),
            Path.of("/flows"));
    assertThat(e.getMessage())
        .startsWith(
            "cannot read the letters of batch 3f2a9c0e11aa22bb (run r1, task load, attempt 2, 4"
                + " letters) at s3://lake/dead/r1/load-2.jsonl#lake: cannot connect: connection"
                + " refused;")
        .endsWith(
            "Check that the S3 endpoint of connection 'lake' is reachable and that the connection"
                + " is in the weir.yaml beside the flow (/flows), then run this again.");
  }

  @Test
  void a_consequence_is_added_after_the_fix() {
    var e =
        LetterReadFailure.with(
            LetterReadFailure.of(
                batch("/flows/dead/r1/load-2.jsonl"),
                new java.nio.file.AccessDeniedException("/flows/dead/r1/load-2.jsonl"),
                Path.of("/flows")),
            "Nothing was replayed.");
    assertThat(e.getMessage())
        .endsWith(
            "at /flows/dead/r1/load-2.jsonl: permission denied. Check that the file can be read,"
                + " then run this again. Nothing was replayed.");
  }
}
