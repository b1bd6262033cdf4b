package dev.weir.server.api;

import dev.weir.flow.Durations;
import dev.weir.store.RunCursor;
import dev.weir.store.RunFilter;
import dev.weir.store.RunSearch;
import dev.weir.store.RunSort;
import dev.weir.store.RunState;
import io.javalin.http.Context;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The query of {@code GET /runs} as a {@link RunSearch}: every parameter is checked, and a bad one
 * is a 400 that names it, its value and what would work.
 */
public final class RunSearchParams {
  /** The page size when none is asked for: what {@code GET /runs} answered before it had pages. */
  static final int DEFAULT_LIMIT = 100;

  private RunSearchParams() {}

  public static RunSearch parse(Context ctx) {
    String namespace = ctx.queryParam("namespace");
    String flowId = null;
    String flow = ctx.queryParam("flow");
    if (flow != null) {
      int slash = flow.indexOf('/');
      if (slash > 0) {
        namespace = flow.substring(0, slash);
        flowId = flow.substring(slash + 1);
      } else {
        flowId = flow;
      }
    }
    try {
      RunFilter filter =
          RunFilter.ANY
              .withFlow(blankToNull(namespace), blankToNull(flowId))
              .withStates(states(ctx))
              .withTriggers(list(ctx, "trigger"))
              .within(timeField(ctx), time(ctx, "from"), time(ctx, "to"))
              .lasting(duration(ctx, "minDuration"), duration(ctx, "maxDuration"));
      RunSort sort = RunSort.parse(ctx.queryParam("sort"), ctx.queryParam("order"));
      String cursor = ctx.queryParam("cursor");
      RunCursor after = cursor == null || cursor.isBlank() ? null : RunCursor.parse(cursor);
      return new RunSearch(filter, sort, limit(ctx), after);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    }
  }

  /** {@code ?state=FAILED&state=CANCELLED} or {@code ?state=FAILED,CANCELLED}, any case. */
  private static List<RunState> states(Context ctx) {
    var out = new ArrayList<RunState>();
    for (String s : list(ctx, "state")) {
      try {
        out.add(RunState.valueOf(s.toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "unknown state '" + s + "' (known: " + Arrays.toString(RunState.values()) + ")");
      }
    }
    return out;
  }

  private static List<String> list(Context ctx, String name) {
    var out = new ArrayList<String>();
    for (String v : ctx.queryParams(name)) {
      for (String part : v.split(",")) {
        if (!part.isBlank()) {
          out.add(part.strip());
        }
      }
    }
    return out;
  }

  private static RunFilter.TimeField timeField(Context ctx) {
    String v = ctx.queryParam("timeField");
    if (v == null) {
      return RunFilter.TimeField.CREATED;
    }
    return switch (v.strip().toLowerCase(Locale.ROOT)) {
      case "created" -> RunFilter.TimeField.CREATED;
      case "started" -> RunFilter.TimeField.STARTED;
      default ->
          throw new IllegalArgumentException(
              "unknown timeField '" + v + "' (known: created, started)");
    };
  }

  static Instant time(Context ctx, String name) {
    String v = ctx.queryParam(name);
    if (v == null) {
      return null;
    }
    try {
      return Instant.parse(v);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "'" + name + "' must be an ISO-8601 instant like 2026-11-21T08:00:00Z, got '" + v + "'");
    }
  }

  /** Seconds ({@code 90}, {@code 1.5}) or a duration ({@code 5m}, {@code 2h}, {@code PT90S}). */
  private static Duration duration(Context ctx, String name) {
    String v = ctx.queryParam(name);
    if (v == null || v.isBlank()) {
      return null;
    }
    try {
      BigDecimal seconds = new BigDecimal(v.strip());
      if (seconds.signum() < 0) {
        throw new IllegalArgumentException("'" + name + "' must not be negative, got '" + v + "'");
      }
      return Duration.ofMillis(seconds.movePointRight(3).longValue());
    } catch (NumberFormatException e) {
      try {
        return Durations.parse(v);
      } catch (IllegalArgumentException notDuration) {
        throw new IllegalArgumentException(
            "'"
                + name
                + "' must be seconds (90, 1.5) or a duration ("
                + Durations.EXAMPLES
                + "), got '"
                + v
                + "'");
      }
    }
  }

  /** 1 and more; above {@link RunSearch#MAX_LIMIT} the page is that size (see nextCursor). */
  private static int limit(Context ctx) {
    String v = ctx.queryParam("limit");
    if (v == null) {
      return DEFAULT_LIMIT;
    }
    int n = FlowRoutes.intParam(v, "limit");
    if (n < 1) {
      throw new IllegalArgumentException("'limit' must be at least 1, got " + n);
    }
    return Math.min(n, RunSearch.MAX_LIMIT);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
