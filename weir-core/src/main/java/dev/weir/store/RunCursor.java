package dev.weir.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;

/**
 * Where a page of a {@link RunSearch} starts: the sort values of the last run of the page before
 * (see {@link JdbcRunSearch#columns}), with the sort they belong to. Clients see it as an opaque
 * string ({@link #token()}); its form may change between versions.
 *
 * @param values one per sort column: an {@link Instant}, a {@link String}, a {@link Long}
 *     (milliseconds) or null
 */
public record RunCursor(RunSort sort, List<Object> values) {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String VERSION = "r1";

  public RunCursor {
    values = Collections.unmodifiableList(new ArrayList<>(values));
    check(sort, values);
  }

  /** The cursor as a URL-safe string. */
  public String token() {
    ArrayNode a = JSON.createArrayNode();
    a.add(VERSION).add(sort.key().label()).add(sort.descending() ? "desc" : "asc");
    for (Object v : values) {
      switch (v) {
        case null -> a.addNull();
        case Long l -> a.add(l);
        default -> a.add(v.toString());
      }
    }
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(a.toString().getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The cursor a {@link #token()} stands for.
   *
   * @throws IllegalArgumentException when the text is not a cursor this version made
   */
  public static RunCursor parse(String token) {
    JsonNode a;
    try {
      a = JSON.readTree(Base64.getUrlDecoder().decode(token.trim()));
    } catch (IllegalArgumentException | java.io.IOException e) {
      throw bad(token, "it is not base64url JSON");
    }
    if (a == null || !a.isArray() || a.size() < 3 || !VERSION.equals(a.get(0).asText())) {
      throw bad(token, "it is not a runs cursor of this version");
    }
    RunSort sort;
    try {
      sort = RunSort.parse(a.get(1).asText(), a.get(2).asText());
    } catch (IllegalArgumentException e) {
      throw bad(token, e.getMessage());
    }
    var columns = JdbcRunSearch.columns(sort.key());
    if (a.size() != 3 + columns.size()) {
      throw bad(
          token,
          "it has " + (a.size() - 3) + " values, sort '" + sort + "' needs " + columns.size());
    }
    var values = new ArrayList<Object>();
    for (int i = 0; i < columns.size(); i++) {
      JsonNode v = a.get(3 + i);
      if (v.isNull()) {
        values.add(null);
        continue;
      }
      try {
        values.add(
            switch (columns.get(i).kind()) {
              case TIME -> Instant.parse(v.asText());
              case MILLIS -> {
                if (!v.isIntegralNumber()) {
                  throw new IllegalArgumentException("not a whole number: " + v);
                }
                yield v.asLong();
              }
              case TEXT -> v.asText();
            });
      } catch (DateTimeParseException | IllegalArgumentException e) {
        throw bad(token, "value " + (i + 1) + " is not a " + columns.get(i).kind());
      }
    }
    try {
      return new RunCursor(sort, values);
    } catch (IllegalArgumentException e) {
      throw bad(token, e.getMessage());
    }
  }

  private static void check(RunSort sort, List<Object> values) {
    var columns = JdbcRunSearch.columns(sort.key());
    if (values.size() != columns.size()) {
      throw new IllegalArgumentException(
          "sort '" + sort + "' needs " + columns.size() + " values, got " + values);
    }
    for (int i = 0; i < values.size(); i++) {
      var c = columns.get(i);
      Object v = values.get(i);
      if (v == null ? !c.nullable() : !c.kind().type().isInstance(v)) {
        throw new IllegalArgumentException(
            c.sql()
                + " must be "
                + (c.nullable() ? "null or " : "")
                + "a "
                + c.kind()
                + ", got "
                + v);
      }
    }
  }

  private static IllegalArgumentException bad(String token, String why) {
    String shown = token.length() > 40 ? token.substring(0, 40) + "…" : token;
    return new IllegalArgumentException(
        "cursor '"
            + shown
            + "' is not one this server made ("
            + why
            + "); pass the nextCursor of the page before, or leave cursor out for the first page");
  }
}
