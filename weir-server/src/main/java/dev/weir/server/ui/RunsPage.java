package dev.weir.server.ui;

import dev.weir.server.api.ApiException;
import dev.weir.server.api.RunSearchParams;
import dev.weir.store.RunPage;
import dev.weir.store.RunSearch;
import dev.weir.store.RunState;
import io.javalin.http.Context;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The runs list: pages read by key on the server (the same query and parameters as {@code GET
 * /api/v1/runs}), sortable by column, filtered by namespace, flow, states, trigger, time range and
 * duration; selected runs can be cancelled or retried together.
 */
final class RunsPage {
  static final int PAGE = 50;
  static final int SCATTER_RUNS = 500;
  static final List<String> SORTS = List.of("created", "started", "duration", "flow", "state");

  private final Ui ui;
  private final View view;

  RunsPage(Ui ui, View view) {
    this.ui = ui;
    this.view = view;
  }

  void handle(Context ctx, Sessions.Session session) {
    String problem = null;
    RunSearch search;
    try {
      search = RunSearchParams.parse(ctx);
      if (ctx.queryParam("limit") == null) {
        search = new RunSearch(search.filter(), search.sort(), PAGE, search.after());
      }
    } catch (ApiException e) {
      problem = e.getMessage();
      search = RunSearch.first(null, PAGE);
    }
    RunPage page = ui.store().searchRuns(search);
    Instant now = ui.clock().instant();
    List<RunRow> runs = page.runs().stream().map(r -> RunRow.of(r, now, ui.masker())).toList();
    Map<String, String> params = params(ctx);
    String sort = search.sort().key().name().toLowerCase(java.util.Locale.ROOT);
    boolean desc = search.sort().descending();
    var model = new LinkedHashMap<String, Object>();
    model.put("runs", runs);
    model.put("total", page.total());
    model.put("totalExact", page.totalExact());
    model.put("problem", problem);
    model.put("p", params);
    model.put("states", Arrays.stream(RunState.values()).map(Enum::name).toList());
    model.put("chosenStates", ctx.queryParams("state"));
    model.put(
        "next",
        page.next() == null
            ? null
            : "/runs?" + query(params, Map.of("cursor", page.next().token())));
    model.put("paged", ctx.queryParam("cursor") != null);
    model.put("first", "/runs?" + query(params, Map.of("cursor", "")));
    var sortLinks = new LinkedHashMap<String, String>();
    for (String s : SORTS) {
      boolean flip = s.equals(sort) && desc;
      sortLinks.put(
          s,
          "/runs?"
              + query(params, Map.of("sort", s, "order", flip ? "asc" : "desc", "cursor", "")));
    }
    model.put("sortLinks", sortLinks);
    model.put("sort", sort);
    model.put("desc", desc);
    model.put("scatter", scatter(search, now));
    view.page(ctx, session, "runs", "Runs", "runs", model);
  }

  /**
   * The timeline of the filter's latest {@link #SCATTER_RUNS} runs and the next fires of the
   * schedules of the flows it selects.
   */
  private RunScatter scatter(RunSearch search, Instant now) {
    var sample =
        ui.store()
            .searchRuns(
                new RunSearch(
                    search.filter(),
                    dev.weir.store.RunSort.parse("started", "desc"),
                    SCATTER_RUNS,
                    null))
            .runs();
    var filter = search.filter();
    var next =
        ui.scheduler().upcoming(50).stream()
            .filter(u ->
                (filter.namespace() == null || filter.namespace().equals(u.flow().namespace()))
                    && (filter.flowId() == null || filter.flowId().equals(u.flow().id())))
            .limit(20)
            .toList();
    return RunScatter.of(sample, next, now);
  }

  /** The page's own query parameters (the filters), for links that change one of them. */
  private static Map<String, String> params(Context ctx) {
    var out = new LinkedHashMap<String, String>();
    for (String name :
        List.of(
            "namespace",
            "flow",
            "trigger",
            "from",
            "to",
            "minDuration",
            "maxDuration",
            "sort",
            "order")) {
      String v = blankToNull(ctx.queryParam(name));
      if (v != null) {
        out.put(name, v);
      }
    }
    List<String> states = ctx.queryParams("state");
    if (!states.isEmpty()) {
      out.put("state", String.join(",", states));
    }
    return out;
  }

  static String query(Map<String, String> params, Map<String, String> change) {
    var all = new LinkedHashMap<>(params);
    change.forEach((k, v) -> {
      if (v.isEmpty()) {
        all.remove(k);
      } else {
        all.put(k, v);
      }
    });
    return all.entrySet().stream()
        .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }

  static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }
}
