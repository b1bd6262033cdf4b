package dev.weir.server.metrics;

import dev.weir.engine.gate.Gates;
import dev.weir.expr.Masker;
import dev.weir.server.api.ApiException;
import dev.weir.server.api.Routes;
import dev.weir.server.api.Tokens;
import dev.weir.server.runs.RunLauncher;
import dev.weir.server.schedule.Scheduler;
import io.javalin.http.Context;
import java.time.InstantSource;
import java.util.function.Consumer;

/**
 * {@code GET /metrics} in the Prometheus text format. It needs the API's bearer token like every
 * endpoint, unless {@code metrics: {public: true}} opens it to scrapers that cannot send one.
 */
public final class MetricsRoutes implements Consumer<Routes> {
  public static final String PATH = "/metrics";

  private final RunMetrics runs;
  private final ServerGauges gauges;
  private final Tokens tokens;
  private final boolean open;
  private final Masker masker;

  public MetricsRoutes(
      RunMetrics runs,
      RunLauncher launcher,
      Gates gates,
      Scheduler scheduler,
      InstantSource clock,
      Tokens tokens,
      boolean open,
      Masker masker) {
    this.runs = runs;
    this.gauges = new ServerGauges(launcher, gates, scheduler, runs, clock);
    this.tokens = tokens;
    this.open = open;
    this.masker = masker;
  }

  @Override
  public void accept(Routes r) {
    r.getOutsideApi(PATH, this::scrape);
  }

  /** Everything as one scrape would show it. */
  public String text() {
    var out = new PromText(masker);
    runs.write(out);
    gauges.write(out);
    return out.toString();
  }

  private void scrape(Context ctx) {
    if (!open && !tokens.accepts(ctx.header("Authorization"))) {
      throw new ApiException(
          401,
          "/metrics needs `Authorization: Bearer <token>` (Prometheus: `authorization: {credentials:"
              + " <token>}` in the scrape config), or set `metrics: {public: true}` in the server"
              + " config");
    }
    ctx.contentType(PromText.CONTENT_TYPE).result(text());
  }
}
