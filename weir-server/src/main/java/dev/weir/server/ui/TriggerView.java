package dev.weir.server.ui;

import dev.weir.expr.Masker;
import dev.weir.flow.trigger.FileTrigger;
import dev.weir.flow.trigger.FlowTrigger;
import dev.weir.flow.trigger.ScheduleTrigger;
import dev.weir.flow.trigger.TriggerDef;
import dev.weir.flow.trigger.WebhookTrigger;
import dev.weir.server.flows.DeployedFlow;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A trigger of a flow as its pages show it: what starts a run, in words, and for a schedule when it
 * fires next. A disabled flow or trigger fires nothing, so it has no next fire time.
 *
 * @param what what fires it, e.g. {@code cron "0 5 * * *" in Europe/Paris}
 * @param upstream for a flow trigger, the upstream flow's page; null otherwise
 * @param next the next slot of an active schedule; null for other triggers or when it is over
 * @param inputs the inputs it passes, unrendered and masked, {@code a = …, b = …}; empty for none
 */
record TriggerView(
    String id,
    String type,
    String what,
    String upstream,
    Instant next,
    boolean disabled,
    String inputs) {

  static List<TriggerView> of(DeployedFlow flow, Instant now, Masker masker) {
    var out = new ArrayList<TriggerView>();
    for (TriggerDef t : flow.flow().triggers()) {
      String inputs =
          masker.mask(
              t.inputs().entrySet().stream()
                  .map(e -> e.getKey() + " = " + e.getValue())
                  .collect(Collectors.joining(", ")));
      boolean active = flow.enabled() && !t.disabled();
      out.add(
          switch (t) {
            case ScheduleTrigger s ->
                new TriggerView(
                    s.id(),
                    s.type(),
                    schedule(s),
                    null,
                    active ? s.nextSlotAfter(now).orElse(null) : null,
                    s.disabled(),
                    inputs);
            case WebhookTrigger w ->
                new TriggerView(
                    w.id(),
                    w.type(),
                    "POST /api/v1/webhooks/"
                        + flow.flow().namespace()
                        + "/"
                        + flow.flow().id()
                        + "/<key>",
                    null,
                    null,
                    w.disabled(),
                    inputs);
            case FlowTrigger f ->
                new TriggerView(
                    f.id(),
                    f.type(),
                    "a run of "
                        + f.namespace()
                        + "."
                        + f.flow()
                        + " ends "
                        + f.states().stream()
                            .map(st -> st.name().toLowerCase(Locale.ROOT))
                            .collect(Collectors.joining(" or ")),
                    "/flows/" + f.namespace() + "/" + f.flow(),
                    null,
                    f.disabled(),
                    inputs);
            case FileTrigger f ->
                new TriggerView(
                    f.id(), f.type(), masker.mask(file(f)), null, null, f.disabled(), inputs);
            case dev.weir.flow.trigger.QueueTrigger q ->
                new TriggerView(
                    q.id(), q.type(), masker.mask(queue(q)), null, null, q.disabled(), inputs);
          });
    }
    return out;
  }

  /** The soonest next fire among these triggers; null when none has one. */
  static Instant nextFire(List<TriggerView> triggers) {
    return triggers.stream()
        .map(TriggerView::next)
        .filter(Objects::nonNull)
        .min(Comparator.naturalOrder())
        .orElse(null);
  }

  private static String schedule(ScheduleTrigger s) {
    var b = new StringBuilder("cron \"").append(s.cron().expression()).append("\" in ");
    b.append(s.timezone().equals(ZoneOffset.UTC) ? "UTC" : s.timezone().getId());
    b.append(", catch-up ").append(s.catchup().name().toLowerCase(Locale.ROOT));
    if (s.start() != null) {
      b.append(", from ").append(Templates.utc(s.start()));
    }
    if (s.end() != null) {
      b.append(", until ").append(Templates.utc(s.end()));
    }
    return b.toString();
  }

  private static String queue(dev.weir.flow.trigger.QueueTrigger q) {
    return "messages on "
        + q.source()
        + (q.stream() == null ? "" : " (stream " + q.stream() + ")")
        + " of connection "
        + q.connection()
        + (q.maxBatch() == 1
            ? ", a run per message"
            : ", up to " + q.maxBatch() + " messages per run");
  }

  private static String file(FileTrigger f) {
    String then =
        switch (f.onProcessed()) {
          case KEEP -> "kept";
          case DELETE -> "deleted";
          case MOVE -> "moved to " + f.moveTo();
        };
    return "a new file matching "
        + f.path()
        + " (looked for every "
        + f.interval().toString().substring(2).toLowerCase(Locale.ROOT)
        + "; once processed it is "
        + then
        + ")";
  }
}
