package dev.weir.tasks.models;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Loads a seed CSV into the target: column types inferred ({@link SeedTypes}) unless {@code
 * column_types} names one, empty cells as NULL, built under a temporary name with batched inserts
 * and swapped in, so each run replaces the table.
 */
final class SeedLoader {
  private static final int BATCH = 500;
  private final Relations relations;

  SeedLoader(Relations relations) {
    this.relations = relations;
  }

  /** The columns and types {@code seed} loads with, in the file's order. */
  static Map<String, String> columnTypes(SeedFile seed, List<String> header, List<String[]> rows) {
    var out = new LinkedHashMap<String, String>();
    for (int i = 0; i < header.size(); i++) {
      String col = header.get(i);
      String given = seed.columnTypes().get(col);
      if (given != null) {
        out.put(col, given);
      } else {
        int at = i;
        out.put(col, SeedTypes.infer(rows.stream().map(r -> at < r.length ? r[at] : "").toList()));
      }
    }
    return out;
  }

  /** Loads {@code seed} (its CSV at {@code file}) as {@code schema.name}; the rows loaded. */
  long load(SeedFile seed, Path file, String schema, String name) throws SQLException {
    List<String[]> all = Csv.parse(read(file), seed.path());
    if (all.isEmpty()) {
      throw new ModelsException(seed.path(), 1, "the seed has no header line; add one");
    }
    List<String> header = List.of(all.get(0));
    List<String[]> rows = all.subList(1, all.size());
    Map<String, String> types = columnTypes(seed, header, rows);
    String tmp = Relations.temporary(name);
    relations.createSchema(schema);
    relations.drop(schema, tmp); // left by a run that could not clean up (it was killed)
    var cols = new ArrayList<String>();
    var casts = new ArrayList<String>();
    types.forEach((col, type) -> {
      cols.add(relations.q(col) + " " + type);
      casts.add("cast(? as " + type + ")");
    });
    try {
      relations.create(
          schema,
          tmp,
          "BASE TABLE",
          "create table " + relations.name(schema, tmp) + " (" + String.join(", ", cols) + ")");
      insert(schema, tmp, header, rows, casts);
      relations.swap(schema, tmp, name, null);
    } catch (SQLException | RuntimeException e) { // a cancel among them: no statement starts now
      relations.dropTemporary(schema, tmp, e);
      throw e;
    }
    return rows.size();
  }

  private void insert(
      String schema, String tmp, List<String> header, List<String[]> rows, List<String> casts)
      throws SQLException {
    String insert =
        "insert into " + relations.name(schema, tmp) + " values (" + String.join(", ", casts) + ")";
    PreparedStatement ps = relations.prepare(insert);
    try (ps) {
      int pending = 0;
      for (String[] row : rows) {
        for (int i = 0; i < header.size(); i++) {
          String v = i < row.length ? row[i] : "";
          if (v.isEmpty()) {
            ps.setNull(i + 1, Types.VARCHAR);
          } else {
            ps.setString(i + 1, v);
          }
        }
        ps.addBatch();
        if (++pending == BATCH) {
          ps.executeBatch();
          pending = 0;
        }
      }
      if (pending > 0) {
        ps.executeBatch();
      }
    } finally {
      relations.forget(ps);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
