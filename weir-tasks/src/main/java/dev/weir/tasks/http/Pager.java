package dev.weir.tasks.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.task.TaskFailedException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The URL of each page. The task asks for the next one only after a page with records, so every
 * style also stops on an empty page.
 */
final class Pager {
  private final Pagination p;
  private final URI base;
  private final Function<URI, String> shown;
  private long page;
  private long offset;
  private String cursor;

  /**
   * @param base the url with the configured query parameters
   * @param shown how to print a URL in a message (redacted)
   */
  Pager(Pagination pagination, URI base, Function<URI, String> shown) {
    this.p = pagination;
    this.base = base;
    this.shown = shown;
    if (p != null && p.type() == Pagination.Type.PAGE) {
      page = p.startPageOrDefault();
    }
  }

  URI first() {
    if (p == null) {
      return base;
    }
    return switch (p.type()) {
      case PAGE -> pageUri();
      case OFFSET -> offsetUri();
      case CURSOR, LINK -> base;
    };
  }

  /** The page after {@code response}, which held {@code records} (> 0); null at the end. */
  URI next(Response response, JsonNode body, int records) {
    if (p == null) {
      return null;
    }
    return switch (p.type()) {
      case PAGE -> {
        page++;
        yield pageUri();
      }
      case OFFSET -> {
        // by what came back, not by the limit asked: servers often cap the limit
        offset += records;
        yield offsetUri();
      }
      case CURSOR -> nextCursor(response, body);
      case LINK -> nextLink(response);
    };
  }

  private URI pageUri() {
    var params = new LinkedHashMap<String, String>();
    params.put(p.pageParamOrDefault(), Long.toString(page));
    if (p.pageSize() != null) {
      params.put(p.sizeParamOrDefault(), Integer.toString(p.pageSize()));
    }
    return Urls.withParams(base, params);
  }

  private URI offsetUri() {
    return Urls.withParams(
        base,
        Map.of(
            p.offsetParamOrDefault(), Long.toString(offset),
            p.limitParamOrDefault(), Integer.toString(p.limitOrDefault())));
  }

  private URI nextCursor(Response response, JsonNode body) {
    JsonNode value = body.at(p.nextCursor());
    if (value.isMissingNode() || value.isNull()) {
      return null;
    }
    if (!value.isValueNode()) {
      throw TaskFailedException.permanent(
          "http.extract: pagination.nextCursor "
              + p.nextCursor()
              + " holds "
              + (value.isArray() ? "a list" : "an object")
              + " in the response of "
              + shown.apply(response.uri())
              + ", not a cursor; point it at the text or number of the next cursor");
    }
    String next = value.asText();
    if (next.isEmpty()) {
      return null;
    }
    if (next.equals(cursor)) {
      throw TaskFailedException.permanent(
          "http.extract: the API returned the same cursor twice in a row (from "
              + shown.apply(response.uri())
              + "), which would loop forever; check that pagination.nextCursor ("
              + p.nextCursor()
              + ") points at the next cursor and cursorParam ("
              + p.cursorParamOrDefault()
              + ") is the parameter the API reads");
    }
    cursor = next;
    return Urls.withParam(base, p.cursorParamOrDefault(), next);
  }

  private URI nextLink(Response response) {
    URI next =
        LinkHeader.next(response.headers().allValues("Link"))
            .map(response.uri()::resolve)
            .orElse(null);
    if (next != null
        && !"http".equalsIgnoreCase(next.getScheme())
        && !"https".equalsIgnoreCase(next.getScheme())) {
      throw TaskFailedException.permanent(
          "http.extract: the Link header of "
              + shown.apply(response.uri())
              + " names "
              + shown.apply(next)
              + " as rel=\"next\", which is not an http(s) URL");
    }
    if (next != null && next.equals(response.uri())) {
      throw TaskFailedException.permanent(
          "http.extract: the Link header of "
              + shown.apply(response.uri())
              + " names that same page as rel=\"next\", which would loop forever");
    }
    return next;
  }
}
