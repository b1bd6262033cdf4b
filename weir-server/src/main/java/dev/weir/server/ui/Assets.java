package dev.weir.server.ui;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The UI's own script and style files ({@code /ui/static/…}, from this package's resources). Only
 * plain file names of known types are served, so no path can leave the folder. Read once and kept
 * in memory: they are a few kilobytes.
 */
final class Assets {
  private static final Pattern NAME = Pattern.compile("[a-z0-9-]+\\.(js|css|svg)");
  private static final Map<String, String> TYPES =
      Map.of(
          "js", "text/javascript; charset=utf-8",
          "css", "text/css; charset=utf-8",
          "svg", "image/svg+xml");

  private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

  void serve(Context ctx) throws IOException {
    String kind = ctx.pathParam("kind");
    String file = ctx.pathParam("file");
    if (!kind.equals("static") || !NAME.matcher(file).matches()) {
      ctx.status(404).result("no such file");
      return;
    }
    byte[] body = cache.get(file);
    if (body == null) {
      try (InputStream in =
          Assets.class.getResourceAsStream("/dev/weir/server/ui/static/" + file)) {
        if (in == null) {
          ctx.status(404).result("no such file");
          return;
        }
        body = in.readAllBytes();
      }
      cache.put(file, body);
    }
    String ext = file.substring(file.lastIndexOf('.') + 1);
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("Cache-Control", "no-cache");
    ctx.contentType(TYPES.get(ext)).result(body);
  }
}
