package dev.weir.server.api;

import dev.weir.BuildInfo;
import dev.weir.server.flows.FlowRegistry;
import dev.weir.server.runs.RunLauncher;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/** Health, version and the OpenAPI document. */
public final class SystemRoutes implements Consumer<Routes> {
  private final FlowRegistry flows;
  private final RunLauncher launcher;

  public SystemRoutes(FlowRegistry flows, RunLauncher launcher) {
    this.flows = flows;
    this.launcher = launcher;
  }

  @Override
  public void accept(Routes r) {
    r.get(
            "/health",
            ctx -> {
              var o = Json.MAPPER.createObjectNode();
              o.put("status", "ok");
              o.put("flows", flows.all().size());
              o.put("runsGoing", launcher.handles().size());
              ctx.json(o);
            })
        .get(
            "/version",
            ctx -> {
              BuildInfo build = BuildInfo.current(); // the same as `weir --version`
              var o = Json.MAPPER.createObjectNode();
              o.put("version", build.version());
              o.put("commit", build.commit());
              o.put("built", build.built());
              o.put("api", "v1");
              ctx.json(o);
            })
        .get("/openapi.json", ctx -> ctx.contentType("application/json").result(openapi()));
  }

  private static String openapi() throws IOException {
    try (InputStream in = SystemRoutes.class.getResourceAsStream("openapi.json")) {
      if (in == null) {
        throw new IOException("openapi.json is missing from the server jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
