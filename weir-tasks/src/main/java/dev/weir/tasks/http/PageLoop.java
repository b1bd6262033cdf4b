package dev.weir.tasks.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.weir.task.TaskContext;
import dev.weir.task.TaskFailedException;
import dev.weir.task.TaskLogger;
import dev.weir.tasks.http.HttpExtractTask.Config;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Locale;

/**
 * The page loop of {@code http.extract}: one request per page, each page's records appended to the
 * record file before the next is fetched.
 */
final class PageLoop {
  private final Config config;
  private final Caller caller;
  private final Redactor redactor;
  private final TaskContext context;
  private final int maxPages;
  private URI firstUri;
  private long pages;
  private long rows;

  PageLoop(Config config, Caller caller, Redactor redactor, TaskContext context) {
    this.config = config;
    this.caller = caller;
    this.redactor = redactor;
    this.context = context;
    this.maxPages = HttpExtractTask.or(config.maxPages(), HttpExtractTask.DEFAULT_MAX_PAGES);
  }

  void all(RecordWriter writer) throws IOException, InterruptedException {
    URI base = URI.create(config.url());
    if (config.query() != null) {
      base = Urls.withParams(base, config.query());
    }
    var pager = new Pager(config.pagination(), base, redactor::url);
    URI uri = pager.first();
    firstUri = uri;
    Call template = template(uri);
    while (uri != null) {
      if (pages >= maxPages) {
        throw TaskFailedException.permanent(
            "http.extract stopped at maxPages "
                + maxPages
                + " with more to fetch (next: "
                + redactor.url(uri)
                + ") after "
                + rows
                + " records; raise maxPages if the API really has more pages, or check the"
                + " pagination settings if it should have ended");
      }
      Call call = template.at(uri).named("page " + (pages + 1));
      Response response = caller.send(call, true);
      pages++;
      JsonNode body = parse(response);
      int n = writer.write(records(body, response));
      rows += n;
      context
          .logger()
          .log(
              TaskLogger.Level.DEBUG,
              "http.extract: page "
                  + pages
                  + ": "
                  + n
                  + " records from "
                  + redactor.url(response.uri()));
      uri = n == 0 ? null : pager.next(response, body, n);
    }
  }

  /** The URL of the first page. */
  URI firstUri() {
    return firstUri;
  }

  long pages() {
    return pages;
  }

  long rows() {
    return rows;
  }

  private Call template(URI uri) throws JsonProcessingException {
    var headers = new LinkedHashMap<String, String>();
    headers.put("Accept", "application/json");
    headers.put("User-Agent", "weir http.extract");
    byte[] body = null;
    JsonNode b = config.body();
    if (b != null && !b.isNull()) {
      if (b.isTextual()) {
        body = b.textValue().getBytes(StandardCharsets.UTF_8);
      } else {
        body = HttpExtractTask.JSON.writeValueAsBytes(b);
        headers.put("Content-Type", "application/json");
      }
    }
    if (config.headers() != null) {
      // the user's headers win, compared without case as HTTP does
      config
          .headers()
          .forEach((k, v) -> {
            headers.keySet().removeIf(k::equalsIgnoreCase);
            headers.put(k, v);
          });
    }
    String method = config.method() == null ? "GET" : config.method().name();
    return new Call("page 1", method, uri, headers, body);
  }

  private JsonNode parse(Response response) {
    if (response.status() == 204 || response.body().length == 0) {
      return MissingNode.getInstance();
    }
    try {
      return HttpExtractTask.JSON.readTree(response.body());
    } catch (IOException e) {
      String why =
          e instanceof JsonProcessingException jpe && jpe.getLocation() != null
              ? jpe.getOriginalMessage()
                  + " at line "
                  + jpe.getLocation().getLineNr()
                  + ", column "
                  + jpe.getLocation().getColumnNr()
              : e.getMessage();
      throw TaskFailedException.permanent(
          "http.extract: page "
              + pages
              + " from "
              + redactor.url(response.uri())
              + " is not valid JSON ("
              + redactor.text(why)
              + "); the body starts: "
              + redactor.text(response.snippet()));
    }
  }

  /** The records array of one page; empty when the pointer finds nothing or null. */
  private JsonNode records(JsonNode body, Response response) {
    String pointer = config.records() == null ? "" : config.records();
    JsonNode records = body.isMissingNode() ? body : body.at(pointer);
    if (records.isMissingNode() || records.isNull()) {
      return JsonNodeFactory.instance.arrayNode();
    }
    if (records.isArray()) {
      return records;
    }
    String where = pointer.isEmpty() ? "the body" : "records " + pointer;
    String hint;
    if (records.isObject()) {
      var lists = new ArrayList<String>();
      records
          .properties()
          .forEach(e -> {
            if (e.getValue().isArray()) {
              lists.add(pointer + "/" + e.getKey().replace("~", "~0").replace("/", "~1"));
            }
          });
      hint =
          lists.isEmpty()
              ? "; set `records` to the JSON pointer of the list of records"
              : "; set `records` to the JSON pointer of the list of records, e.g. `records: "
                  + lists.getFirst()
                  + "`"
                  + (lists.size() > 1 ? " (lists here: " + String.join(", ", lists) + ")" : "");
    } else {
      hint = "; set `records` to the JSON pointer of the list of records";
    }
    throw TaskFailedException.permanent(
        "http.extract: in page "
            + pages
            + " from "
            + redactor.url(response.uri())
            + ", "
            + where
            + " is "
            + (records.isObject()
                ? "an object"
                : "a " + records.getNodeType().name().toLowerCase(Locale.ROOT))
            + ", not a list of records"
            + hint);
  }
}
