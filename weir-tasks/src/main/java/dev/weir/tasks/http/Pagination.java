package dev.weir.tasks.http;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How an {@code http.extract} task walks through pages. Only the keys of the chosen {@code type}
 * may be given; each has a default but {@code nextCursor}.
 *
 * @param pageSize page: sent as {@code sizeParam} when given
 * @param startPage page: the first page number; defaults to 1
 * @param limit offset: records asked for per request; defaults to 100
 * @param nextCursor cursor: JSON pointer to the next cursor in each response body
 */
public record Pagination(
    Type type,
    String pageParam,
    String sizeParam,
    Integer pageSize,
    Integer startPage,
    String offsetParam,
    String limitParam,
    Integer limit,
    String cursorParam,
    String nextCursor) {

  static final int DEFAULT_LIMIT = 100;

  /** The pagination styles. */
  public enum Type {
    PAGE,
    OFFSET,
    CURSOR,
    LINK;

    @JsonCreator
    static Type of(String value) {
      return Names.parse(Type.class, value, "pagination.type", "type: cursor");
    }
  }

  String pageParamOrDefault() {
    return pageParam == null ? "page" : pageParam;
  }

  String sizeParamOrDefault() {
    return sizeParam == null ? "per_page" : sizeParam;
  }

  int startPageOrDefault() {
    return startPage == null ? 1 : startPage;
  }

  String offsetParamOrDefault() {
    return offsetParam == null ? "offset" : offsetParam;
  }

  String limitParamOrDefault() {
    return limitParam == null ? "limit" : limitParam;
  }

  int limitOrDefault() {
    return limit == null ? DEFAULT_LIMIT : limit;
  }

  String cursorParamOrDefault() {
    return cursorParam == null ? "cursor" : cursorParam;
  }

  /** The keys given for this pagination, by YAML name (null values left out). */
  Map<String, Object> given() {
    var m = new LinkedHashMap<String, Object>();
    m.put("pageParam", pageParam);
    m.put("sizeParam", sizeParam);
    m.put("pageSize", pageSize);
    m.put("startPage", startPage);
    m.put("offsetParam", offsetParam);
    m.put("limitParam", limitParam);
    m.put("limit", limit);
    m.put("cursorParam", cursorParam);
    m.put("nextCursor", nextCursor);
    m.values().removeIf(java.util.Objects::isNull);
    return m;
  }

  /** The keys that belong to {@code type}. */
  static List<String> keysOf(Type type) {
    return switch (type) {
      case PAGE -> List.of("pageParam", "sizeParam", "pageSize", "startPage");
      case OFFSET -> List.of("offsetParam", "limitParam", "limit");
      case CURSOR -> List.of("cursorParam", "nextCursor");
      case LINK -> List.of();
    };
  }

  /** Query parameter names this pagination sets, which {@code query} must not set too. */
  List<String> params() {
    var names = new ArrayList<String>();
    switch (type) {
      case PAGE -> {
        names.add(pageParamOrDefault());
        if (pageSize != null) {
          names.add(sizeParamOrDefault());
        }
      }
      case OFFSET -> {
        names.add(offsetParamOrDefault());
        names.add(limitParamOrDefault());
      }
      case CURSOR -> names.add(cursorParamOrDefault());
      case LINK -> {}
    }
    return names;
  }
}
