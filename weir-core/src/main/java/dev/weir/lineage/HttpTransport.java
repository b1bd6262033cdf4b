package dev.weir.lineage;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** POSTs each event to {@code <url>/api/v1/lineage}, as Marquez and the OpenLineage proxy take. */
final class HttpTransport implements LineageTransport {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final URI endpoint;
  private final String apiKey;
  private final HttpClient client;

  HttpTransport(URI url, String apiKey) {
    String base = url.toString().replaceAll("/+$", "");
    this.endpoint = URI.create(base + "/api/v1/lineage");
    this.apiKey = apiKey;
    this.client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
  }

  @Override
  public void send(byte[] buf, int off, int len) throws IOException, InterruptedException {
    var request =
        HttpRequest.newBuilder(endpoint)
            .timeout(TIMEOUT)
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofByteArray(
                    java.util.Arrays.copyOfRange(buf, off, off + len)));
    if (apiKey != null && !apiKey.isBlank()) {
      request.header("Authorization", "Bearer " + apiKey);
    }
    HttpResponse<String> response =
        client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() / 100 != 2) {
      String body = response.body() == null ? "" : response.body();
      throw new IOException(
          "POST "
              + endpoint
              + " answered "
              + response.statusCode()
              + (body.isBlank() ? "" : ": " + body.substring(0, Math.min(200, body.length()))));
    }
  }

  @Override
  public void close() {
    client.close();
  }

  @Override
  public String toString() {
    return "POST " + endpoint;
  }
}
