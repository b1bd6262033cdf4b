package dev.weir.server.ui;

import com.google.gson.JsonObject;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.CDPSession;
import com.microsoft.playwright.Download;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.PlaywrightException;
import com.microsoft.playwright.Request;
import com.microsoft.playwright.Response;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Everything the browser received in one test: the body of every response (pages, scripts, styles,
 * JSON), every server-sent event, every download, and each page's DOM. It exists for the canary
 * secret check of issue 12: a secret must reach no page, script, SSE message or download, and
 * searching all of them is the only way to show that.
 *
 * <p>Bodies are read when a request finishes, because Chromium may forget a document's resources
 * once the page navigates. SSE messages never "finish", so they are taken from Chromium's DevTools
 * protocol ({@code Network.eventSourceMessageReceived}) as they arrive. Not covered: a stream read
 * with {@code fetch} that is still open (its body is recorded when it ends) and WebSocket frames.
 */
public final class ReceivedContent {
  /** One thing received, with where it came from ("GET http://…/app.js", "SSE …"). */
  public record Item(String source, String text) {}

  private final List<Item> items = new ArrayList<>();

  private final Consumer<Request> onRequestFinished = this::recordBody;

  void listenTo(BrowserContext context) {
    context.onRequestFinished(onRequestFinished);
    context.onPage(page -> watch(context, page));
  }

  /** Stops reading bodies (before the context closes; see {@link BrowserSession#close()}). */
  void stopListening(BrowserContext context) {
    context.offRequestFinished(onRequestFinished);
  }

  private void watch(BrowserContext context, Page page) {
    page.onDownload(this::recordDownload);
    page.onLoad(loaded -> {
      try {
        add("DOM after load of " + loaded.url(), loaded.content());
      } catch (PlaywrightException e) {
        // navigated or closed before we could read it; its HTML body is recorded anyway
      }
    });
    CDPSession cdp = context.newCDPSession(page);
    Map<String, String> urls = new HashMap<>();
    cdp.on(
        "Network.requestWillBeSent",
        event ->
            urls.put(
                event.get("requestId").getAsString(),
                event.getAsJsonObject("request").get("url").getAsString()));
    cdp.on(
        "Network.eventSourceMessageReceived",
        event -> add(sseSource(event, urls), event.get("data").getAsString()));
    cdp.send("Network.enable");
  }

  private static String sseSource(JsonObject event, Map<String, String> urls) {
    String url = urls.getOrDefault(event.get("requestId").getAsString(), "(unknown stream)");
    return "SSE message '" + event.get("eventName").getAsString() + "' on " + url;
  }

  private void recordBody(Request request) {
    Response response = request.response();
    if (response == null) {
      return;
    }
    try {
      add(
          request.method() + " " + request.url() + " (" + response.status() + ")",
          new String(response.body(), StandardCharsets.UTF_8));
    } catch (PlaywrightException e) {
      // no body: a redirect, or an event stream (its messages come through the DevTools protocol)
    }
  }

  private void recordDownload(Download download) {
    try {
      add(
          "download " + download.url(),
          new String(Files.readAllBytes(download.path()), StandardCharsets.UTF_8));
    } catch (IOException | PlaywrightException e) {
      add("download " + download.url() + " (unreadable: " + e.getMessage() + ")", "");
    }
  }

  private synchronized void add(String source, String text) {
    items.add(new Item(source, text));
  }

  /** What was received so far, plus the current DOM of each open page. */
  List<Item> items(BrowserContext context) {
    List<Item> all;
    synchronized (this) {
      all = new ArrayList<>(items);
    }
    for (Page page : context.pages()) {
      try {
        all.add(new Item("current DOM of " + page.url(), page.content()));
      } catch (PlaywrightException e) {
        // closed or in the middle of a navigation: its bodies are recorded all the same
      }
    }
    return all;
  }

  /** Whether anything came from the network yet (the DOM of a blank page does not count). */
  synchronized boolean anythingReceived() {
    return !items.isEmpty();
  }

  static String allText(List<Item> items) {
    return items.stream()
        .map(item -> "=== " + item.source() + " ===\n" + item.text())
        .collect(Collectors.joining("\n"));
  }

  /**
   * Fails, naming where, when {@code secret} is in anything received; never prints the secret. Also
   * fails when nothing was received at all, since that would prove nothing.
   */
  void assertNeverReceived(BrowserContext context, String secret) {
    if (secret == null || secret.isEmpty()) {
      throw new IllegalArgumentException("the secret to look for is empty");
    }
    List<Item> items = items(context);
    if (!anythingReceived()) {
      throw new AssertionError("the browser received nothing yet: load a page before checking");
    }
    List<String> where =
        items.stream().filter(i -> i.text().contains(secret)).map(Item::source).toList();
    if (!where.isEmpty()) {
      throw new AssertionError(
          "the secret ("
              + secret.length()
              + " characters, not shown) reached the browser in:\n  "
              + String.join("\n  ", where));
    }
  }
}
