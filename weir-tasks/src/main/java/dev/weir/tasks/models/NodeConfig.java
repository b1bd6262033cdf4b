package dev.weir.tasks.models;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The configuration of one model (or seed) as dbt merges it: {@code dbt_project.yml} folder by
 * folder, then the model's YAML {@code config:}, then its {@code {{ config(...) }}} call. A null
 * field is "not set here"; {@link #with} lets the later level win, except {@code tags}, which add
 * up as in dbt.
 */
public record NodeConfig(
    String materialized,
    String schema,
    String alias,
    List<String> tags,
    Boolean enabled,
    String uniqueKey,
    String incrementalStrategy,
    String onSchemaChange) {
  /** The config keys Weir understands; other dbt keys are accepted and ignored. */
  static final Set<String> KEYS =
      Set.of(
          "materialized",
          "schema",
          "alias",
          "tags",
          "enabled",
          "unique_key",
          "incremental_strategy",
          "on_schema_change");

  /** Keys dbt accepts that do not change compiled SQL: accepted, ignored for now. */
  static final Set<String> IGNORED =
      Set.of(
          "database",
          "docs",
          "persist_docs",
          "pre-hook",
          "post-hook",
          "pre_hook",
          "post_hook",
          "full_refresh",
          "column_types",
          "quote_columns",
          "grants",
          "meta",
          "contract",
          "severity",
          "group",
          "access",
          "sql_header",
          "quoting",
          "delimiter",
          "store_failures",
          "where",
          "limit",
          "warn_if",
          "error_if",
          "on_configuration_change",
          "indexes",
          "packages",
          "batch_size",
          "event_time");

  public static final NodeConfig EMPTY =
      new NodeConfig(null, null, null, List.of(), null, null, null, null);

  public NodeConfig {
    tags = tags == null ? List.of() : List.copyOf(tags);
  }

  /** This config overridden by {@code over} (tags: both). */
  public NodeConfig with(NodeConfig over) {
    Set<String> all = new LinkedHashSet<>(tags);
    all.addAll(over.tags);
    return new NodeConfig(
        pick(over.materialized, materialized),
        pick(over.schema, schema),
        pick(over.alias, alias),
        new ArrayList<>(all),
        over.enabled != null ? over.enabled : enabled,
        pick(over.uniqueKey, uniqueKey),
        pick(over.incrementalStrategy, incrementalStrategy),
        pick(over.onSchemaChange, onSchemaChange));
  }

  /** The materialization, dbt's default {@code view} when none is set. */
  public String materializedOrDefault() {
    return materialized == null ? "view" : materialized;
  }

  public boolean isEnabled() {
    return enabled == null || enabled;
  }

  /** One key ({@code materialized}, {@code +materialized}) and its value, else this unchanged. */
  NodeConfig withKey(String key, Object value) {
    String k = key.startsWith("+") ? key.substring(1) : key;
    return switch (k) {
      case "materialized" ->
          with(new NodeConfig(text(value), null, null, null, null, null, null, null));
      case "schema" -> with(new NodeConfig(null, text(value), null, null, null, null, null, null));
      case "alias" -> with(new NodeConfig(null, null, text(value), null, null, null, null, null));
      case "tags" -> with(new NodeConfig(null, null, null, list(value), null, null, null, null));
      case "enabled" ->
          with(new NodeConfig(null, null, null, null, truthy(value), null, null, null));
      case "unique_key" ->
          with(new NodeConfig(null, null, null, null, null, key(value), null, null));
      case "incremental_strategy" ->
          with(new NodeConfig(null, null, null, null, null, null, text(value), null));
      case "on_schema_change" ->
          with(new NodeConfig(null, null, null, null, null, null, null, text(value)));
      default -> this;
    };
  }

  /** The config of a {@code config(materialized=…, …)} call's keyword arguments. */
  static NodeConfig of(Map<String, Object> kwargs) {
    NodeConfig c = EMPTY;
    for (var e : kwargs.entrySet()) {
      c = c.withKey(e.getKey(), e.getValue());
    }
    return c;
  }

  private static String pick(String a, String b) {
    return a != null ? a : b;
  }

  private static String text(Object v) {
    return v == null ? null : v.toString();
  }

  private static Boolean truthy(Object v) {
    return v instanceof Boolean b ? b : v == null ? null : Boolean.parseBoolean(v.toString());
  }

  private static List<String> list(Object v) {
    if (v instanceof List<?> l) {
      return l.stream().map(String::valueOf).toList();
    }
    return v == null ? List.of() : List.of(v.toString());
  }

  private static String key(Object v) {
    return v instanceof List<?> l
        ? String.join(", ", l.stream().map(String::valueOf).toList())
        : text(v);
  }
}
