package dev.weir.store;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The last runs of many flows at once: the flows list's health strips and the overview's failing
 * flows. On PostgreSQL one statement per {@value #FLOWS_PER_STATEMENT} flows instead of one per
 * flow; on the embedded H2 store, where a statement costs no round trip, one short statement per
 * flow on one connection, which H2 runs faster than the same branches joined (BENCHMARKS.md).
 *
 * <p>The statement is a {@code UNION ALL} of one {@code ORDER BY created_at DESC LIMIT n} branch
 * per flow, each read backwards from the {@code weir_runs_flow} index and stopped after n runs, so
 * it reads n runs a flow however many each has. The constant namespace and flow lead the {@code
 * ORDER BY}, as in the runs list: H2 reads the index in order only when the order starts with the
 * index's first columns (without them it sorted every run of every flow: 4.5 s for 100,000 runs). A
 * window function ({@code ROW_NUMBER() OVER (PARTITION BY namespace, flow_id …)}) would be shorter
 * SQL but numbers every stored run of the flows first (see docs/decisions.md, "Overview, flows and
 * datasets pages").
 */
public final class RecentRuns {
  /** Flows per statement: a statement's text and parameters stay small. */
  static final int FLOWS_PER_STATEMENT = 100;

  public static final int MAX_PER_FLOW = 100;

  /** A flow, by namespace and id. */
  public record Flow(String namespace, String id) {}

  private final DataSource ds;

  public RecentRuns(DataSource ds) {
    this.ds = ds;
  }

  /**
   * Each flow's last {@code perFlow} runs, newest first (by creation, then id); a flow without runs
   * maps to an empty list. The map keeps the order of {@code flows}.
   */
  public Map<Flow, List<RunRecord>> of(Collection<Flow> flows, int perFlow) {
    if (perFlow < 1 || perFlow > MAX_PER_FLOW) {
      throw new IllegalArgumentException(
          "runs per flow must be 1.." + MAX_PER_FLOW + ", got " + perFlow);
    }
    var out = new LinkedHashMap<Flow, List<RunRecord>>();
    flows.forEach(f -> out.put(f, new ArrayList<>()));
    var all = List.copyOf(out.keySet());
    for (int from = 0; from < all.size(); from += FLOWS_PER_STATEMENT) {
      read(all.subList(from, Math.min(all.size(), from + FLOWS_PER_STATEMENT)), perFlow, out);
    }
    var newestFirst =
        Comparator.comparing(RunRecord::createdAt).thenComparing(RunRecord::id).reversed();
    out.values().forEach(l -> l.sort(newestFirst));
    return out;
  }

  private void read(List<Flow> flows, int perFlow, Map<Flow, List<RunRecord>> out) {
    String branch =
        "SELECT "
            + JdbcRuns.RUN_COLUMNS
            + " FROM weir_runs WHERE namespace = ? AND flow_id = ?"
            + " ORDER BY namespace DESC, flow_id DESC, created_at DESC, id DESC LIMIT "
            + perFlow;
    try (var c = ds.getConnection()) {
      if (c.getMetaData().getURL().startsWith("jdbc:h2:")) {
        // embedded: a statement costs no round trip, and H2 runs 200 one-flow statements faster
        // than their UNION ALL (BENCHMARKS.md); one connection, the statement prepared once
        try (var ps = c.prepareStatement(branch)) {
          for (Flow f : flows) {
            collect(ps, List.of(f), out);
          }
        }
        return;
      }
      String sql =
          String.join(
              " UNION ALL ", java.util.Collections.nCopies(flows.size(), "(" + branch + ")"));
      try (var ps = c.prepareStatement(sql)) {
        collect(ps, flows, out);
      }
    } catch (SQLException e) {
      throw new dev.weir.WeirException(
          "state store: cannot read the last runs of " + flows.size() + " flows: " + e.getMessage(),
          e);
    }
  }

  private static void collect(
      java.sql.PreparedStatement ps, List<Flow> flows, Map<Flow, List<RunRecord>> out)
      throws SQLException {
    int i = 1;
    for (Flow f : flows) {
      ps.setString(i++, f.namespace());
      ps.setString(i++, f.id());
    }
    try (var rs = ps.executeQuery()) {
      while (rs.next()) {
        RunRecord r = JdbcRuns.read(rs);
        out.get(new Flow(r.namespace(), r.flowId())).add(r);
      }
    }
  }
}
