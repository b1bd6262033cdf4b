package dev.weir.lineage;

import java.net.URI;
import java.nio.file.Path;

/**
 * Where OpenLineage events go: a file of JSON lines, or a Marquez-compatible HTTP endpoint (events
 * are POSTed to {@code <url>/api/v1/lineage}).
 *
 * @param file append events here, one JSON object a line; null when sent over HTTP
 * @param url the base URL of the lineage server (e.g. {@code http://marquez:5000}); null for a file
 * @param apiKey sent as {@code Authorization: Bearer <apiKey>}, null for none
 */
public record LineageConfig(Path file, URI url, String apiKey) {
  public LineageConfig {
    if ((file == null) == (url == null)) {
      throw new IllegalArgumentException(
          "lineage needs exactly one of file and url, e.g. `lineage: {file: lineage.jsonl}` or"
              + " `lineage: {url: http://marquez:5000}`");
    }
  }

  public static LineageConfig toFile(Path file) {
    return new LineageConfig(file, null, null);
  }

  public static LineageConfig toUrl(URI url, String apiKey) {
    return new LineageConfig(null, url, apiKey);
  }

  /** Where events go, without the key: for the start-up log. */
  @Override
  public String toString() {
    return file != null
        ? "file " + file
        : url + "/api/v1/lineage" + (apiKey == null ? "" : " (with an API key)");
  }
}
