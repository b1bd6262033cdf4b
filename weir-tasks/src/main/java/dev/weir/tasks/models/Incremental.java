package dev.weir.tasks.models;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * An incremental model's later runs: its SQL (compiled with {@code is_incremental()} true) is built
 * as {@code <name>__weir_new}, then put into the existing table by the model's {@code
 * incremental_strategy}, as dbt's strategies do:
 *
 * <ul>
 *   <li>{@code append}: the new rows inserted ({@code unique_key} ignored);
 *   <li>{@code merge}: {@code insert … on conflict (unique_key) do update} — changed rows updated,
 *       new rows added — on the unique index the table was built with;
 *   <li>{@code delete+insert}: in one transaction, the table's rows whose {@code unique_key} values
 *       the new rows have are deleted, then the new rows inserted (no unique index: a key need not
 *       be unique, and two new rows with one key are both inserted).
 * </ul>
 *
 * Without a strategy: {@code merge} with a {@code unique_key}, {@code append} without.
 */
final class Incremental {
  /** dbt's {@code incremental_strategy} values Weir applies. */
  enum Strategy {
    APPEND("append"),
    MERGE("merge"),
    DELETE_INSERT("delete+insert");

    final String name;

    Strategy(String name) {
      this.name = name;
    }

    /**
     * {@code m}'s strategy; a value Weir does not apply, or one that needs a {@code unique_key} the
     * model lacks, fails naming the model's file and {@code line} (of its {@code config()}).
     */
    static Strategy of(CompiledModel m, int line) {
      String given = m.config().incrementalStrategy();
      boolean keyed = !keys(m).isEmpty();
      if (given == null || given.isBlank()) {
        return keyed ? MERGE : APPEND;
      }
      for (Strategy s : values()) {
        if (s.name.equalsIgnoreCase(given.strip())) {
          if (s != APPEND && !keyed) {
            throw new ModelsException(
                m.model().path(),
                line,
                "incremental_strategy '"
                    + s.name
                    + "' of model "
                    + m.model().name()
                    + " needs a unique_key; set one, e.g. config(unique_key='id') or"
                    + " unique_key=['id', 'day'], or use incremental_strategy='append'");
          }
          return s;
        }
      }
      throw new ModelsException(
          m.model().path(),
          line,
          "incremental_strategy '"
              + given
              + "' of model "
              + m.model().name()
              + " is not supported; use append, merge or delete+insert (or leave it out: merge"
              + " with a unique_key, append without)");
    }
  }

  private final Relations relations;
  private final Consumer<String> ran;

  /** {@code ran} hears each statement with the model's SQL before it runs (for error messages). */
  Incremental(Relations relations, Consumer<String> ran) {
    this.relations = relations;
    this.ran = ran;
  }

  /** The unique index a {@code merge} model's table is built with, or null for other strategies. */
  static String uniqueIndex(Relations on, CompiledModel m, Strategy s, boolean ifNotExists) {
    if (s != Strategy.MERGE) {
      return null;
    }
    return "create unique index "
        + (ifNotExists ? "if not exists " : "")
        + on.q(indexName(m))
        + " on "
        + m.relation()
        + " ("
        + columns(on, keys(m))
        + ")";
  }

  /** Puts {@code m}'s new rows into its existing table by {@code s}; the new rows' count. */
  Materializer.Built apply(CompiledModel m, Strategy s) throws SQLException {
    String schema = m.relation().getSchema();
    String name = m.relation().getIdentifier();
    String tmp = Relations.incoming(name);
    String from = relations.name(schema, tmp);
    relations.drop(schema, tmp); // left by a run that could not clean up (it was killed)
    String stmt = "create table " + from + " as\n" + m.sql();
    ran.accept(stmt);
    try {
      long rows = relations.create(schema, tmp, "BASE TABLE", stmt);
      List<String> cols = new SchemaChange(relations, m).columns(schema, name, tmp);
      if (rows < 0) {
        rows = relations.count(from);
      }
      String insert = insert(m, from, cols);
      switch (s) {
        case APPEND -> {
          dropUniqueIndex(m);
          relations.execute(insert);
        }
        case MERGE -> {
          // a table built under another strategy has no index yet
          relations.execute(uniqueIndex(relations, m, s, true));
          relations.execute(insert + onConflict(m, cols));
        }
        case DELETE_INSERT -> {
          dropUniqueIndex(m);
          String delete = delete(m, from);
          relations.transaction(
              schema,
              () -> {
                relations.execute(delete);
                relations.execute(insert);
              });
        }
      }
      relations.drop(schema, tmp);
      return new Materializer.Built(rows, stmt, 1);
    } catch (SQLException | RuntimeException e) { // a cancel among them: no statement starts now
      relations.dropTemporary(schema, tmp, e);
      throw e;
    }
  }

  /** A table merged before has a unique index that would refuse a repeated key. */
  private void dropUniqueIndex(CompiledModel m) throws SQLException {
    relations.execute(
        "drop index if exists " + relations.name(m.relation().getSchema(), indexName(m)));
  }

  private String insert(CompiledModel m, String from, List<String> cols) {
    String list = columns(relations, cols);
    return "insert into " + m.relation() + " (" + list + ") select " + list + " from " + from;
  }

  private String onConflict(CompiledModel m, List<String> cols) {
    List<String> keys = keys(m);
    var sets = new ArrayList<String>();
    for (String c : cols) {
      if (!keys.contains(c)) {
        sets.add(relations.q(c) + " = excluded." + relations.q(c));
      }
    }
    return " on conflict ("
        + columns(relations, keys)
        + ") "
        + (sets.isEmpty() ? "do nothing" : "do update set " + String.join(", ", sets));
  }

  /** dbt's delete+insert: the key compared with {@code =}, so a NULL key deletes nothing. */
  private String delete(CompiledModel m, String from) {
    var match = new ArrayList<String>();
    for (String k : keys(m)) {
      match.add("weir_new." + relations.q(k) + " = weir_target." + relations.q(k));
    }
    return "delete from "
        + m.relation()
        + " as weir_target using "
        + from
        + " as weir_new where "
        + String.join(" and ", match);
  }

  private static String indexName(CompiledModel m) {
    return m.relation().getIdentifier() + "__weir_key";
  }

  /** The {@code unique_key} columns (one, or a list); empty without a key. */
  static List<String> keys(CompiledModel m) {
    String key = m.config().uniqueKey();
    if (key == null || key.isBlank()) {
      return List.of();
    }
    return List.of(key.split(",")).stream().map(String::strip).filter(k -> !k.isEmpty()).toList();
  }

  private static String columns(Relations on, List<String> cols) {
    return String.join(", ", cols.stream().map(on::q).toList());
  }
}
