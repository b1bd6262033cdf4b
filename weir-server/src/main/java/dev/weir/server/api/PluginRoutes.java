package dev.weir.server.api;

import dev.weir.task.plugin.Plugins;
import java.util.function.Consumer;

/** {@code GET /plugins}: the plugin jars the server loaded and skipped, as {@code weir plugins}. */
public final class PluginRoutes implements Consumer<Routes> {
  private final Plugins plugins;

  public PluginRoutes(Plugins plugins) {
    this.plugins = plugins;
  }

  @Override
  public void accept(Routes r) {
    r.get("/plugins", ctx -> ctx.json(Json.MAPPER.valueToTree(plugins.toMap())));
  }
}
