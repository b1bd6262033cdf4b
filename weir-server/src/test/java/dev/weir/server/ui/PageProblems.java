package dev.weir.server.ui;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.ConsoleMessage;
import com.microsoft.playwright.Request;
import com.microsoft.playwright.Response;
import com.microsoft.playwright.WebError;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Everything that went wrong in the pages of one test without making an assertion fail: console
 * errors, uncaught script errors, requests that failed on the network and HTTP answers of 400 and
 * above. A UI that "works" while its console fills with errors is broken, so {@link
 * ChromiumExtension} fails the test when any is left after {@link AllowConsoleErrors}.
 */
public final class PageProblems {
  private final List<String> problems = new ArrayList<>();

  private final Consumer<ConsoleMessage> onConsole = this::console;
  private final Consumer<WebError> onWebError = error -> add("uncaught error: " + error.error());
  private final Consumer<Request> onRequestFailed = this::failed;
  private final Consumer<Response> onResponse = this::response;

  void listenTo(BrowserContext context) {
    context.onConsoleMessage(onConsole);
    context.onWebError(onWebError);
    context.onRequestFailed(onRequestFailed);
    context.onResponse(onResponse);
  }

  /** Stops listening (before the context closes; see {@link BrowserSession#close()}). */
  void stopListening(BrowserContext context) {
    context.offConsoleMessage(onConsole);
    context.offWebError(onWebError);
    context.offRequestFailed(onRequestFailed);
    context.offResponse(onResponse);
  }

  private void console(ConsoleMessage message) {
    if ("error".equals(message.type())) {
      add("console.error: " + message.text() + " (at " + message.location() + ")");
    }
  }

  private void failed(Request request) {
    // ERR_ABORTED is the browser cancelling a request because the page navigated away (an
    // open SSE stream, an image still loading): not a fault of the page.
    if (!String.valueOf(request.failure()).contains("ERR_ABORTED")) {
      add("request failed: " + describe(request) + ": " + request.failure());
    }
  }

  private void response(Response response) {
    if (response.status() >= 400) {
      add("HTTP " + response.status() + ": " + describe(response.request()));
    }
  }

  private synchronized void add(String problem) {
    problems.add(problem);
  }

  /** Every problem so far, in the order they happened. */
  public synchronized List<String> all() {
    return List.copyOf(problems);
  }

  /**
   * The problems no allowed pattern matches (searched anywhere in the line); no patterns allow
   * every problem.
   */
  synchronized List<String> notAllowed(AllowConsoleErrors allowed) {
    if (allowed == null) {
      return List.copyOf(problems);
    }
    if (allowed.value().length == 0) {
      return List.of();
    }
    List<Pattern> patterns = new ArrayList<>();
    for (String regex : allowed.value()) {
      patterns.add(Pattern.compile(regex));
    }
    return problems.stream()
        .filter(p -> patterns.stream().noneMatch(pattern -> pattern.matcher(p).find()))
        .toList();
  }

  static String message(List<String> problems) {
    return problems.size()
        + " problem(s) in the page (allow expected ones with @AllowConsoleErrors):\n  "
        + String.join("\n  ", problems);
  }

  private static String describe(Request request) {
    return request.method() + " " + request.url();
  }
}
