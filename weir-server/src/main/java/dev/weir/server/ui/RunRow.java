package dev.weir.server.ui;

import dev.weir.store.RunRecord;
import java.time.Duration;
import java.time.Instant;

/**
 * A run as the pages show it: what a template needs, already masked, with the duration computed (up
 * to now for a run that has not ended).
 */
public record RunRow(
    String id,
    String shortId,
    String namespace,
    String flow,
    String state,
    String trigger,
    Instant created,
    Instant started,
    Instant ended,
    Instant logicalDate,
    Duration duration,
    String error) {

  static RunRow of(RunRecord r, Instant now, dev.weir.expr.Masker masker) {
    Instant from = r.startedAt();
    Duration d =
        from == null ? null : Duration.between(from, r.endedAt() == null ? now : r.endedAt());
    return new RunRow(
        r.id(),
        r.id().length() > 10 ? r.id().substring(0, 10) : r.id(),
        r.namespace(),
        r.flowId(),
        r.state().name(),
        r.trigger(),
        r.createdAt(),
        r.startedAt(),
        r.endedAt(),
        r.logicalDate(),
        d,
        r.error() == null ? null : masker.mask(r.error()));
  }
}
