package dev.weir.tasks.models;

import static dev.weir.tasks.models.JaffleShopDuckDbTest.rows;
import static dev.weir.tasks.models.Projects.write;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Generated projects for the parallel runner's tests (SQL both DuckDB and PostgreSQL run): a wide
 * one of independent models and chains, and one with a failing branch, a failing error test and a
 * failing warn test.
 */
final class WideProject {
  static final int INDEPENDENT = 24;
  static final int CHAINS = 4;
  static final int LENGTH = 4;
  private static final String[] KINDS = {"table", "view", "incremental", "table"};

  private WideProject() {}

  /**
   * A seed, {@value #INDEPENDENT} models on it alone (tables and views), {@value #CHAINS} chains of
   * {@value #LENGTH} (table → view → incremental → table), a model on the end of every chain, and
   * unique/not_null tests.
   */
  static Path wide(Path dir) throws IOException {
    write(dir, "dbt_project.yml", "name: wide\nmodels:\n  wide:\n    +materialized: table\n");
    var csv = new StringBuilder("id,v\n");
    for (int i = 1; i <= 20; i++) {
      csv.append(i).append(',').append(i * 10).append('\n');
    }
    write(dir, "seeds/base.csv", csv.toString());
    for (int i = 0; i < INDEPENDENT; i++) {
      write(
          dir,
          "models/ind/t_%02d.sql".formatted(i),
          (i % 3 == 2 ? "{{ config(materialized='view') }}\n" : "")
              + "select id, v * %d as v from {{ ref('base') }}\n".formatted(i));
    }
    var union = new StringBuilder();
    var yml = new StringBuilder("version: 2\nmodels:\n");
    for (int k = 0; k < CHAINS; k++) {
      for (int j = 0; j < LENGTH; j++) {
        String from = j == 0 ? "base" : "c%d_%d".formatted(k, j - 1);
        String kind = KINDS[j];
        String config =
            kind.equals("incremental")
                ? "{{ config(materialized='incremental', unique_key='id') }}\n"
                : "{{ config(materialized='" + kind + "') }}\n";
        write(
            dir,
            "models/chain/c%d_%d.sql".formatted(k, j),
            config
                + "select id, v + %d as v from {{ ref('%s') }}\n".formatted(k + 1, from)
                + (kind.equals("incremental")
                    ? "{% if is_incremental() %}where id > 0{% endif %}\n"
                    : ""));
      }
      String last = "c%d_%d".formatted(k, LENGTH - 1);
      union
          .append(k == 0 ? "" : "union all\n")
          .append("select %d as chain, id, v from {{ ref('%s') }}\n".formatted(k, last));
      yml.append("  - name: ")
          .append(last)
          .append("\n    columns:\n      - name: id\n        tests: [unique, not_null]\n");
    }
    write(dir, "models/all_chains.sql", union.toString());
    write(dir, "models/schema.yml", yml.toString());
    return dir;
  }

  /**
   * Branches: {@code a → a2 → a3}; {@code bad} (a SQL error) {@code → bad2 → bad3} (which also refs
   * {@code a}); {@code m} with a failing error test ({@code unique}) and a passing one, {@code m →
   * m_child}; {@code w} with a failing warn test, {@code w → w_child}; {@code a → sibling}.
   */
  static Path failing(Path dir) throws IOException {
    write(
        dir, "dbt_project.yml", "name: branches\nmodels:\n  branches:\n    +materialized: table\n");
    write(dir, "models/a.sql", "select 1 as id\n");
    write(dir, "models/a2.sql", "select id from {{ ref('a') }}\n");
    write(dir, "models/a3.sql", "select id from {{ ref('a2') }}\n");
    write(dir, "models/bad.sql", "select id\nfrom no_such_table\n");
    write(dir, "models/bad2.sql", "select id from {{ ref('bad') }}\n");
    write(
        dir,
        "models/bad3.sql",
        "select b.id from {{ ref('bad2') }} b join {{ ref('a') }} a on a.id = b.id\n");
    write(dir, "models/m.sql", "select 1 as id union all select 1 as id\n");
    write(dir, "models/m_child.sql", "select id from {{ ref('m') }}\n");
    write(dir, "models/sibling.sql", "select id from {{ ref('a') }}\n");
    write(dir, "models/w.sql", "select cast(null as integer) as id\n");
    write(dir, "models/w_child.sql", "select id from {{ ref('w') }}\n");
    write(
        dir,
        "models/schema.yml",
        """
        version: 2
        models:
          - name: m
            columns:
              - name: id
                tests: [unique, not_null]
          - name: w
            columns:
              - name: id
                tests:
                  - not_null:
                      config: {severity: warn}
        """);
    return dir;
  }

  /** Every relation the results wrote, with its rows sorted: what a run left in the database. */
  static Map<String, List<String>> tables(Connection c, List<NodeResult> results)
      throws SQLException {
    var out = new TreeMap<String, List<String>>();
    for (NodeResult r : results) {
      String relation = r.node().relation();
      if (relation != null) {
        String[] parts = relation.split("\\.");
        out.put(
            parts[1],
            rows(c, "select * from \"" + parts[0] + "\".\"" + parts[1] + "\" order by 1, 2"));
      }
    }
    return out;
  }

  /** The results without their timing (durations differ from run to run). */
  static List<String> outcomes(List<NodeResult> results) {
    return results.stream()
        .map(r -> r.name() + " " + r.status() + " " + r.rows() + " " + r.message())
        .toList();
  }
}
