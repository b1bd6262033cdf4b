package dev.weir.server.metrics;

import dev.weir.expr.Masker;
import dev.weir.server.api.ApiException;
import dev.weir.server.api.Routes;
import dev.weir.server.api.Tokens;
import io.javalin.http.Context;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * {@code GET /metrics}: the server's registry in the Prometheus text format 0.0.4, or in
 * OpenMetrics when the scraper asks for it ({@code Accept: application/openmetrics-text}), as
 * client_java's {@link ExpositionFormats} chooses. It needs the API's bearer token like every
 * endpoint, unless {@code metrics: {public: true}} opens it to scrapers that cannot send one.
 */
public final class MetricsRoutes implements Consumer<Routes> {
  public static final String PATH = "/metrics";

  private final PrometheusRegistry registry;
  private final ExpositionFormats formats = ExpositionFormats.init();
  private final Tokens tokens;
  private final boolean open;
  private final Masker masker;

  public MetricsRoutes(PrometheusRegistry registry, Tokens tokens, boolean open, Masker masker) {
    this.registry = registry;
    this.tokens = tokens;
    this.open = open;
    this.masker = masker;
  }

  @Override
  public void accept(Routes r) {
    r.getOutsideApi(PATH, this::scrape);
  }

  /** Everything as one scrape in the text format would show it. */
  public String text() {
    return new String(write(formats.getPrometheusTextFormatWriter()), StandardCharsets.UTF_8);
  }

  private void scrape(Context ctx) {
    if (!open && !tokens.accepts(ctx.header("Authorization"))) {
      throw new ApiException(
          401,
          "/metrics needs `Authorization: Bearer <token>` (Prometheus: `authorization: {credentials:"
              + " <token>}` in the scrape config), or set `metrics: {public: true}` in the server"
              + " config");
    }
    ExpositionFormatWriter writer = writer(ctx.header("Accept"));
    ctx.contentType(writer.getContentType()).result(write(writer));
  }

  /**
   * The format the scraper asked for. The protobuf format is not in the jars Weir ships (it would
   * bring protobuf along): a scraper that prefers it (Prometheus with native histograms on) gets
   * the text format, which it reads as well.
   */
  private ExpositionFormatWriter writer(String accept) {
    ExpositionFormatWriter w = formats.findWriter(accept);
    return w.isAvailable() ? w : formats.getPrometheusTextFormatWriter();
  }

  private byte[] write(ExpositionFormatWriter writer) {
    var out = new ByteArrayOutputStream(16384);
    try {
      writer.write(out, MaskedSnapshots.of(registry.scrape(), masker));
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a byte array does not fail
    }
    return out.toByteArray();
  }
}
