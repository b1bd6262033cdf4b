package dev.weir.bench;

import dev.weir.server.ServerOptions;
import dev.weir.server.WeirServer;
import dev.weir.store.JdbcStateStore;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The overview, flows list and datasets page (issue 12) over HTTP, signed in, on a server whose
 * embedded H2 store holds {@link DashboardFixture}'s history (100,000 runs of 200 flows, 50
 * datasets): the time from request to the last byte of the page, on 127.0.0.1 (the server's time
 * plus a local round trip). The server's clock is the fixture's {@code NOW}, so the last 24 hours
 * hold about 1,100 runs. Uses only what main has too, so the same class measures the code before
 * issue 12's queries.
 *
 * <p>Arguments: {@code --runs=100000 --samples=21 --warmup=5 --dir=/tmp}; {@code --store=DIR}
 * serves an H2 store home filled by an earlier run of this or {@link DashboardQueriesBench}.
 */
public final class DashboardPagesBench {
  static final String TOKEN = "bench-token-0123456789";
  private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

  private final HttpClient http =
      HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
  private final String base;
  private dev.weir.store.StateStore store;
  private final Map<String, String> cookies = new java.util.LinkedHashMap<>();

  private DashboardPagesBench(String base) {
    this.base = base;
  }

  public static void main(String[] argv) throws Exception {
    var a = new HashMap<String, String>();
    for (String arg : argv) {
      String[] kv = arg.replaceFirst("^--", "").split("=", 2);
      a.put(kv[0], kv.length > 1 ? kv[1] : "true");
    }
    int runs = Integer.parseInt(a.getOrDefault("runs", "100000"));
    int samples = Integer.parseInt(a.getOrDefault("samples", "21"));
    int warmup = Integer.parseInt(a.getOrDefault("warmup", "5"));
    Path dir = Files.createTempDirectory(Path.of(a.getOrDefault("dir", "/tmp")), "weir-dash-");
    try {
      System.out.printf(
          Locale.ROOT,
          "DashboardPagesBench: %,d runs of 200 flows, 50 datasets, H2 store; median and p95 of %d"
              + " page loads after %d warm-up; %d cores, max heap %d MB%n",
          runs,
          samples,
          warmup,
          Runtime.getRuntime().availableProcessors(),
          Runtime.getRuntime().maxMemory() >> 20);
      long t0 = System.nanoTime();
      Path home = a.containsKey("store") ? Path.of(a.get("store")) : dir.resolve("home");
      if (!a.containsKey("store")) { // else an H2 store home filled before: storing takes minutes
        try (JdbcStateStore store = JdbcStateStore.h2(home)) {
          DashboardFixture.fill(store, runs);
        }
      }
      DashboardFixture.writeFlows(dir.resolve("flows"));
      System.out.printf(Locale.ROOT, "stored in %.1f s%n", (System.nanoTime() - t0) / 1e9);
      var options =
          new ServerOptions(
              "127.0.0.1",
              0,
              home,
              null,
              dir.resolve("flows"),
              List.of(TOKEN),
              Map.of(),
              InstantSource.fixed(DashboardFixture.NOW),
              Duration.ofHours(1),
              Duration.ofSeconds(5),
              Map.of(),
              null);
      try (WeirServer server = WeirServer.start(options, t -> {})) {
        var bench = new DashboardPagesBench("http://127.0.0.1:" + server.port());
        bench.store = server.store();
        bench.signIn();
        System.out.printf(
            Locale.ROOT, "  %-12s %10s %10s %10s%n", "page", "median", "p95", "bytes");
        for (String page : List.of("/", "/flows", "/datasets")) {
          bench.measure(page, samples, warmup);
        }
      }
    } finally {
      DashboardFixture.deleteTree(dir);
    }
  }

  private void measure(String path, int samples, int warmup) throws Exception {
    long[] took = new long[samples];
    int bytes = 0;
    for (int i = -warmup; i < samples; i++) {
      // a live server writes between two looks at a page; without a write H2 would answer the
      // same query from the result it kept of the last one
      var last = store.listRuns(dev.weir.store.StateStore.RunQuery.latest(1)).getFirst();
      store.write(
          new dev.weir.store.StateStore.Batch(
              List.of(), List.of(last.withError(last.error())), List.of(), List.of()));
      long begin = System.nanoTime();
      HttpResponse<String> r = get(path);
      long ns = System.nanoTime() - begin;
      if (r.statusCode() != 200) {
        throw new IllegalStateException(path + " answered " + r.statusCode() + ": " + r.body());
      }
      bytes = r.body().length();
      if (i >= 0) {
        took[i] = ns;
      }
    }
    System.out.printf(
        Locale.ROOT,
        "  %-12s %10s %10s %,10d%n",
        path,
        Stats.ms(Stats.median(took)),
        Stats.ms(Stats.percentile(took, 95)),
        bytes);
  }

  private HttpResponse<String> get(String path) throws Exception {
    var b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofMinutes(2)).GET();
    if (!cookies.isEmpty()) {
      b.header("Cookie", cookie());
    }
    return remember(http.send(b.build(), HttpResponse.BodyHandlers.ofString()));
  }

  private HttpResponse<String> remember(HttpResponse<String> r) {
    for (String c : r.headers().allValues("Set-Cookie")) {
      String pair = c.split(";", 2)[0];
      int eq = pair.indexOf('=');
      cookies.put(pair.substring(0, eq), pair.substring(eq + 1));
    }
    return r;
  }

  private String cookie() {
    var out = new StringBuilder();
    cookies.forEach(
        (k, v) -> out.append(out.isEmpty() ? "" : "; ").append(k).append('=').append(v));
    return out.toString();
  }

  private void signIn() throws Exception {
    HttpResponse<String> form = get("/sign-in");
    Matcher m = CSRF.matcher(form.body());
    if (!m.find()) {
      throw new IllegalStateException("no csrf field in the sign-in form");
    }
    String body =
        "csrf="
            + URLEncoder.encode(m.group(1), StandardCharsets.UTF_8)
            + "&token="
            + TOKEN
            + "&next=%2F";
    var b =
        HttpRequest.newBuilder(URI.create(base + "/sign-in"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (!cookies.isEmpty()) {
      b.header("Cookie", cookie());
    }
    HttpResponse<String> r = remember(http.send(b.build(), HttpResponse.BodyHandlers.ofString()));
    if (r.statusCode() != 303 && r.statusCode() != 302) {
      throw new IllegalStateException("sign-in answered " + r.statusCode());
    }
  }
}
