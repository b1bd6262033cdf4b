package dev.weir.server.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.server.backfills.BackfillPreview;
import java.time.ZoneOffset;

/** {@code POST /backfills/preview}'s answer: the slots a backfill would run and each one's fate. */
final class BackfillPreviewJson {
  private BackfillPreviewJson() {}

  static ObjectNode of(BackfillPreview p) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("flow", p.flow().toString());
    o.put("trigger", p.triggerId());
    o.put("cron", p.cron());
    o.put("timezone", p.timezone().equals(ZoneOffset.UTC) ? "UTC" : p.timezone().getId());
    o.put("from", p.from().toString());
    o.put("to", p.to().toString());
    o.put("parallel", p.parallel());
    o.put("rerun", p.rerun().name());
    var loads = o.putArray("loads");
    for (BackfillPreview.Load l : p.loads()) {
      ObjectNode n = loads.addObject();
      n.put("task", l.task());
      n.put("table", l.table());
      n.put("mode", l.mode());
    }
    ObjectNode counts = o.putObject("counts");
    counts.put("slots", p.slots().size());
    p.counts().forEach(counts::put);
    var slots = o.putArray("slots");
    for (BackfillPreview.PlannedSlot s : p.slots()) {
      ObjectNode n = slots.addObject();
      n.put("logicalDate", s.logicalDate().toString());
      n.put("fate", s.fate().name());
      var earlier = n.putArray("earlierRuns");
      for (BackfillPreview.EarlierRun r : s.earlier()) {
        ObjectNode e = earlier.addObject();
        e.put("id", r.id());
        e.put("state", r.state().name());
        e.put("trigger", r.trigger());
        e.put("createdAt", r.createdAt() == null ? null : r.createdAt().toString());
      }
    }
    return o;
  }
}
