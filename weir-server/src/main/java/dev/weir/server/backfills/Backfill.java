package dev.weir.server.backfills;

import dev.weir.server.flows.FlowKey;
import java.time.Instant;
import java.util.Objects;

/**
 * A backfill as stored: runs of {@code flow} for every slot of its schedule trigger in {@code
 * [from, to]}, at most {@code parallel} at a time.
 *
 * @param slots how many slots the range holds (each gets one run)
 * @param error why it ended other than by its runs (cancelled, flow removed), or null
 */
public record Backfill(
    String id,
    FlowKey flow,
    String triggerId,
    Instant from,
    Instant to,
    int parallel,
    BackfillState state,
    int slots,
    Instant createdAt,
    Instant endedAt,
    String error) {
  public Backfill {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(flow, "flow");
    Objects.requireNonNull(state, "state");
    if (parallel < 1) {
      throw new IllegalArgumentException("parallel must be at least 1, got " + parallel);
    }
  }

  /** Whether the two backfills run the same flow over ranges that share an instant. */
  boolean overlaps(FlowKey otherFlow, Instant otherFrom, Instant otherTo) {
    return flow.equals(otherFlow) && !otherTo.isBefore(from) && !otherFrom.isAfter(to);
  }
}
