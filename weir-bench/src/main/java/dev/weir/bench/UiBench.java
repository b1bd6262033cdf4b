package dev.weir.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import dev.weir.server.ServerOptions;
import dev.weir.server.WeirServer;
import dev.weir.store.LogLine;
import dev.weir.store.LogSearch;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The web UI's targets (issue 12), on the embedded H2 store, in Debian's Chromium through
 * Playwright:
 *
 * <ul>
 *   <li>{@code graph}: the run page of a 5,000-task flow, from navigation to the graph drawn with
 *       every task's state applied (median of N page loads);
 *   <li>{@code live}: how long after a task's change is stored it reaches an open run page (p50,
 *       p95), over a run of 300 chained tasks; "stored" is bounded below by the attempt's own time
 *       stamp, so the figure is an upper bound;
 *   <li>{@code logsearch}: a search in a 50 MB log (median of 5, in the store);
 *   <li>{@code heap}: the server heap that 20 open run pages add (live SSE watchers).
 * </ul>
 *
 * <p>Arguments: {@code --tasks=5000 --loads=5 --chain=300 --logmb=50 --pages=20}.
 */
public final class UiBench {
  static final String TOKEN = "bench-token-0123456789";
  static final ObjectMapper JSON = new ObjectMapper();

  private final WeirServer server;
  private final String base;
  private final HttpClient http = HttpClient.newHttpClient();

  UiBench(WeirServer server) {
    this.server = server;
    this.base = "http://127.0.0.1:" + server.port();
  }

  public static void main(String[] argv) throws Exception {
    Map<String, String> a = new HashMap<>();
    for (String arg : argv) {
      int eq = arg.indexOf('=');
      a.put(arg.substring(2, eq < 0 ? arg.length() : eq), eq < 0 ? "true" : arg.substring(eq + 1));
    }
    int tasks = Integer.parseInt(a.getOrDefault("tasks", "5000"));
    int loads = Integer.parseInt(a.getOrDefault("loads", "5"));
    int chain = Integer.parseInt(a.getOrDefault("chain", "300"));
    int logMb = Integer.parseInt(a.getOrDefault("logmb", "50"));
    int pages = Integer.parseInt(a.getOrDefault("pages", "20"));
    String chromium = a.getOrDefault("chromium", "/usr/bin/chromium");
    Path dir = Files.createTempDirectory("weir-uibench");
    Files.createDirectories(dir.resolve("flows"));
    Files.writeString(dir.resolve("flows/big.yaml"), bigFlow(tasks));
    Files.writeString(dir.resolve("flows/chain.yaml"), chainFlow(chain));
    System.out.printf(
        "UiBench: %d cores, max heap %d MB, H2 store, Chromium at %s%n",
        Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory() >> 20,
        chromium);
    var options =
        new ServerOptions(
            "127.0.0.1",
            0,
            dir.resolve("home"),
            null,
            dir.resolve("flows"),
            List.of(TOKEN),
            Map.of(),
            null,
            Duration.ofSeconds(2),
            Duration.ofSeconds(5),
            Map.of(),
            null);
    try (WeirServer server = WeirServer.start(options, t -> {});
        Playwright pw =
            Playwright.create(
                new Playwright.CreateOptions()
                    .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        Browser browser =
            pw.chromium()
                .launch(
                    new BrowserType.LaunchOptions()
                        .setExecutablePath(Path.of(chromium))
                        .setHeadless(true)
                        .setArgs(
                            List.of(
                                "--no-sandbox",
                                "--disable-gpu",
                                "--disable-background-networking",
                                "--disable-component-update",
                                "--disable-sync",
                                "--no-first-run")))) {
      var bench = new UiBench(server);
      bench.graph(browser, loads);
      bench.live(browser);
      bench.logSearch(logMb);
      bench.heap(browser, pages);
    }
  }

  // --- the run page of a big flow

  void graph(Browser browser, int loads) throws Exception {
    String runId = startRun("big", "{}");
    JsonNode run = awaitRun(runId, Duration.ofMinutes(10));
    Page page = signedIn(browser);
    var times = new ArrayList<Long>();
    int nodes = 0;
    for (int i = 0; i < loads + 1; i++) {
      long t0 = System.nanoTime();
      page.navigate(base + "/runs/" + runId);
      page.locator("[data-run-live][data-live=ended]")
          .waitFor(new com.microsoft.playwright.Locator.WaitForOptions().setTimeout(60_000));
      page.locator("svg.dag [data-task]").first().waitFor();
      long ms = (System.nanoTime() - t0) / 1_000_000;
      if (i > 0) { // the first load warms the server's JIT and the browser's cache
        times.add(ms);
      }
      nodes =
          ((Number) page.evaluate("document.querySelectorAll('svg.dag [data-task]').length"))
              .intValue();
    }
    JsonNode layout = getJson("/api/v1/runs/" + runId + "/graph");
    System.out.printf(
        "graph: run of %d tasks (%s), page load to graph drawn with states: median %d ms"
            + " (all %s); %d nodes in the layout, %d drawn in view (culling)%n",
        layout.get("nodes").size(),
        run.get("state").asText(),
        Stats.median(times),
        times,
        layout.get("nodes").size(),
        nodes);
  }

  // --- a change reaching an open page

  void live(Browser browser) throws Exception {
    Path gate = Files.createTempFile("weir-uibench-gate", "");
    Files.delete(gate);
    String runId = startRun("chain", "{\"inputs\": {\"gate\": \"" + gate + "\"}}");
    Page page = signedIn(browser);
    page.navigate(base + "/runs/" + runId);
    page.locator("[data-run-live][data-live=snapshot]").waitFor();
    Files.writeString(gate, "go");
    page.locator("[data-run-live][data-live=ended]")
        .waitFor(new com.microsoft.playwright.Locator.WaitForOptions().setTimeout(300_000));
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> marks =
        (List<Map<String, Object>>)
            page.evaluate(
                "performance.getEntriesByType('mark').filter(m => m.name.startsWith('weir-task'))"
                    + ".map(m => ({name: m.name, at: performance.timeOrigin + m.startTime}))");
    JsonNode run = getJson("/api/v1/runs/" + runId);
    var ended = new HashMap<String, Instant>();
    run.get("tasks")
        .forEach(t -> {
          JsonNode last = t.get("attempts").get(t.get("attempts").size() - 1);
          if (last.hasNonNull("endedAt")) {
            ended.put(t.get("id").asText(), Instant.parse(last.get("endedAt").asText()));
          }
        });
    var lags = new ArrayList<Long>();
    for (Map<String, Object> m : marks) {
      String[] parts = ((String) m.get("name")).split(" ");
      if (parts.length == 3 && parts[2].equals("SUCCEEDED") && ended.containsKey(parts[1])) {
        double at = ((Number) m.get("at")).doubleValue();
        lags.add(Math.round(at - ended.get(parts[1]).toEpochMilli()));
      }
    }
    lags.sort(null);
    System.out.printf(
        "live: %d task ends seen on an open page; from the attempt's end time to the page:"
            + " p50 %d ms, p95 %d ms, max %d ms%n",
        lags.size(),
        Stats.percentile(lags, 50),
        Stats.percentile(lags, 95),
        lags.isEmpty() ? 0 : lags.get(lags.size() - 1));
  }

  // --- a search in a big log

  void logSearch(int megabytes) {
    var store = server.store();
    String runId = "logbench";
    long bytes = 0;
    int n = 0;
    var batch = new ArrayList<LogLine>(10_000);
    Instant t = Instant.now();
    while (bytes < megabytes * 1024L * 1024L) {
      String msg =
          "row batch "
              + n
              + " loaded into orders_staging: 10000 rows, 0 rejected, checksum "
              + Long.toHexString(n * 2654435761L);
      if (n == 400_000) {
        msg = "the needle: customer 42 had a malformed postcode";
      }
      batch.add(new LogLine(runId, "load", 1, t.plusMillis(n), "INFO", msg));
      bytes += msg.length() + 40;
      n++;
      if (batch.size() == 10_000) {
        store.appendLogs(batch);
        batch.clear();
      }
    }
    store.appendLogs(batch);
    var search = new LogSearch(store.dataSource());
    var times = new ArrayList<Long>();
    int found = 0;
    for (int i = 0; i < 6; i++) {
      long t0 = System.nanoTime();
      var p = search.page(new LogSearch.Query(runId, null, null, "MALFORMED POSTCODE", 0, 0, 500));
      long ms = (System.nanoTime() - t0) / 1_000_000;
      found = p.lines().size();
      if (i > 0) {
        times.add(ms);
      }
    }
    var firstPage = new ArrayList<Long>();
    for (int i = 0; i < 6; i++) {
      long t0 = System.nanoTime();
      search.page(new LogSearch.Query(runId, null, null, null, 200_000, 0, 500));
      if (i > 0) {
        firstPage.add((System.nanoTime() - t0) / 1_000_000);
      }
    }
    System.out.printf(
        "logsearch: %d lines, %d MB of messages; a search finding %d line: median %d ms (all %s);"
            + " a page of 500 lines from the middle: median %d ms%n",
        n, bytes >> 20, found, Stats.median(times), times, Stats.median(firstPage));
  }

  // --- server heap of open pages

  void heap(Browser browser, int pages) throws Exception {
    Path gate = Files.createTempFile("weir-uibench-gate", "");
    Files.delete(gate);
    String runId = startRun("chain", "{\"inputs\": {\"gate\": \"" + gate + "\"}}");
    long before = usedHeapAfterGc();
    var open = new ArrayList<Page>();
    for (int i = 0; i < pages; i++) {
      Page p = signedIn(browser);
      p.navigate(base + "/runs/" + runId);
      p.locator("[data-run-live][data-live=snapshot]").waitFor();
      open.add(p);
    }
    long with = usedHeapAfterGc();
    Files.writeString(gate, "go");
    awaitRun(runId, Duration.ofMinutes(5));
    for (Page p : open) {
      p.context().close();
    }
    System.out.printf(
        "heap: %d open run pages (SSE watchers) add %d MB of server heap (%d → %d MB after GC)%n",
        pages, (with - before) >> 20, before >> 20, with >> 20);
  }

  private static long usedHeapAfterGc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(200);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  // --- helpers

  private Page signedIn(Browser browser) {
    var context = browser.newContext();
    Page page = context.newPage();
    page.navigate(base + "/sign-in");
    page.getByLabel("API token").fill(TOKEN);
    page.locator("button[type=submit]").click();
    page.waitForURL(base + "/");
    return page;
  }

  private String startRun(String flow, String body) throws Exception {
    var r =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/api/v1/flows/bench/" + flow + "/runs"))
                .header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(r.body()).get("runId").asText();
  }

  private JsonNode getJson(String path) throws Exception {
    var r =
        http.send(
            HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + TOKEN)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(r.body());
  }

  private JsonNode awaitRun(String runId, Duration max) throws Exception {
    long deadline = System.nanoTime() + max.toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode run = getJson("/api/v1/runs/" + runId);
      String s = run.path("state").asText();
      if (s.equals("SUCCEEDED") || s.equals("FAILED") || s.equals("CANCELLED")) {
        return run;
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("run " + runId + " did not end within " + max);
  }

  static String bigFlow(int n) {
    var b = new StringBuilder("id: big\nnamespace: bench\nparallelism: 8\ntasks:\n");
    for (int i = 0; i < n; i++) {
      b.append("  - {id: t").append(i).append(", type: noop");
      if (i % 50 == 0) {
        b.append(", dependsOn: []");
      } else if (i % 7 == 0 && i > 60) {
        b.append(", dependsOn: [t").append(i - 1).append(", t").append(i - 57).append("]");
      }
      b.append("}\n");
    }
    return b.toString();
  }

  static String chainFlow(int n) {
    var b =
        new StringBuilder(
            """
            id: chain
            namespace: bench
            inputs:
              - {id: gate, type: string}
            tasks:
              - id: gate
                type: shell
                env:
                  GATE: "{{ inputs.gate }}"
                command: |
                  for i in $(seq 1 3000); do [ -f "$GATE" ] && exit 0; sleep 0.1; done; exit 1
            """);
    for (int i = 0; i < n; i++) {
      b.append("  - {id: step").append(i).append(", type: noop}\n");
    }
    return b.toString();
  }
}
