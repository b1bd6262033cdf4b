package dev.weir.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Writes a generated dbt project of {@code models} models for {@link ModelsBench}: three seed CSVs
 * and four {@code range()} source tables, twenty staging views over them, then layers of table,
 * view, incremental and ephemeral models, each joining 1–3 earlier ones by {@code id}. Every model
 * uses Jinja as real projects do: {@code config(materialized=…)}, a {@code {% set %}} list walked
 * by a {@code {% for %}} loop, a macro of {@code macros/}, {@code var()}. Every fifth built model
 * has {@code unique} and {@code not_null} tests on {@code id}.
 *
 * <p>All models have the columns {@code id, grp, label, amount}, with unique ids (a model keeps its
 * first parent's rows), so every test passes. Views and ephemeral models ref only tables, sources
 * and staging views: a view never stacks on a view of a view, so DuckDB's planning stays small and
 * the SQL's own time stays that of tiny tables.
 */
final class GeneratedProject {
  static final int SOURCES = 4;
  static final int SEEDS = 3;
  static final int STAGING = 20;
  static final int SEED_ROWS = 20;
  private static final String[] KINDS = {"table", "view", "incremental", "ephemeral"};

  /** What was written: the folder of dbt_project.yml and how many of each node. */
  record Written(Path root, int models, int seeds, int tests, int ephemeral) {
    /** Nodes Weir runs: seeds, built models (ephemeral ones are inlined) and tests. */
    int nodes() {
      return seeds + models - ephemeral + tests;
    }
  }

  private record Model(String name, String kind, int layer) {
    boolean flat() {
      return kind.equals("view") || kind.equals("ephemeral");
    }
  }

  private GeneratedProject() {}

  /** Writes the project into {@code root} (made if missing); {@code rows} per source table. */
  static Written write(Path root, int models, int rows) throws IOException {
    if (models < SOURCES + STAGING + 1) {
      throw new IllegalArgumentException(
          "--models must be at least " + (SOURCES + STAGING + 1) + ", got " + models);
    }
    Files.createDirectories(root.resolve("macros"));
    Files.createDirectories(root.resolve("seeds"));
    Files.createDirectories(root.resolve("models/sources"));
    Files.createDirectories(root.resolve("models/staging"));
    Files.writeString(
        root.resolve("dbt_project.yml"),
        """
        name: 'bench'
        config-version: 2
        version: '1.0'
        model-paths: ["models"]
        seed-paths: ["seeds"]
        macro-paths: ["macros"]
        vars:
          rows: %d
          factor: 3
        models:
          bench:
            materialized: table
            staging:
              materialized: view
        """
            .formatted(rows));
    Files.writeString(
        root.resolve("macros/scaled.sql"),
        """
        {% macro scaled(column, factor) -%}
          round({{ column }} * {{ factor }}, 2)
        {%- endmacro %}
        """);
    var random = new Random(17);
    var upstream = new ArrayList<String>();
    for (int s = 0; s < SEEDS; s++) {
      var csv = new StringBuilder("id,grp,label,amount\n");
      for (int i = 0; i < SEED_ROWS; i++) {
        csv.append(i).append(',').append(i % 5).append(",seed ").append(s).append(" row ");
        csv.append(i).append(',').append(i * 1.25).append('\n');
      }
      Files.writeString(root.resolve("seeds/seed_" + s + ".csv"), csv);
      upstream.add("seed_" + s);
    }
    for (int s = 0; s < SOURCES; s++) {
      Files.writeString(
          root.resolve("models/sources/src_" + s + ".sql"),
          """
          {{ config(materialized='table') }}
          select
              range as id,
              cast(range %% 5 as integer) as grp,
              'source %d item ' || range as label,
              cast(range %% 97 as double) * %d.5 as amount
          from range({{ var('rows') }})
          """
              .formatted(s, s + 1));
      upstream.add("src_" + s);
    }
    var all = new ArrayList<Model>();
    for (int i = 0; i < STAGING; i++) {
      String name = "stg_%02d".formatted(i);
      Files.writeString(
          root.resolve("models/staging/" + name + ".sql"),
          """
          select
              cast(id as bigint) as id,
              cast(grp as integer) as grp,
              cast(label as varchar) as label,
              cast(amount as double) as amount
          from {{ ref('%s') }}
          """
              .formatted(upstream.get(i % upstream.size())));
      all.add(new Model(name, "view", 0));
    }
    int layered = models - SOURCES - STAGING;
    int layers = Math.max(1, Math.min(8, layered / 10));
    int perLayer = (layered + layers - 1) / layers;
    var tested = new ArrayList<String>();
    int ephemeral = 0;
    for (int i = 0; i < layered; i++) {
      int layer = 1 + i / perLayer;
      String kind = KINDS[i % KINDS.length];
      var m = new Model("m_%03d".formatted(i), kind, layer);
      List<Model> parents = parents(m, all, random);
      Path dir = root.resolve("models/layer_" + layer);
      Files.createDirectories(dir);
      Files.writeString(dir.resolve(m.name + ".sql"), sql(m, parents));
      all.add(m);
      if (kind.equals("ephemeral")) {
        ephemeral++;
      } else if (i % 5 == 0) {
        tested.add(m.name);
      }
    }
    var yml = new StringBuilder("version: 2\n\nmodels:\n");
    for (String name : tested) {
      yml.append("  - name: ").append(name).append("\n    columns:\n");
      yml.append("      - name: id\n        tests:\n          - unique\n          - not_null\n");
    }
    Files.writeString(root.resolve("models/schema.yml"), yml);
    return new Written(root, models, SEEDS, tested.size() * 2, ephemeral);
  }

  /**
   * 1–3 distinct earlier models, one of them from the layer just below; a view or ephemeral model
   * refs only tables and staging views.
   */
  private static List<Model> parents(Model m, List<Model> before, Random random) {
    List<Model> allowed =
        before.stream()
            .filter(p -> !m.flat() || p.layer == 0 || !p.flat())
            .filter(p -> p.layer < m.layer)
            .toList();
    List<Model> below = allowed.stream().filter(p -> p.layer == m.layer - 1).toList();
    var out = new ArrayList<Model>();
    out.add(below.isEmpty() ? allowed.get(random.nextInt(allowed.size())) : pick(below, random));
    int want = 1 + random.nextInt(3);
    for (int tries = 0; out.size() < want && tries < 20; tries++) {
      Model p = pick(allowed, random);
      if (!out.contains(p)) {
        out.add(p);
      }
    }
    return out;
  }

  private static Model pick(List<Model> from, Random random) {
    return from.get(random.nextInt(from.size()));
  }

  /** A model keeping its first parent's rows, adding the others' amounts by id. */
  private static String sql(Model m, List<Model> parents) {
    var sb = new StringBuilder();
    if (m.kind.equals("incremental")) {
      sb.append("{{ config(materialized='incremental', unique_key='id') }}\n");
    } else {
      sb.append("{{ config(materialized='").append(m.kind).append("') }}\n");
    }
    var weights = new ArrayList<String>();
    for (int i = 0; i < parents.size(); i++) {
      weights.add(String.valueOf(i + 1));
    }
    sb.append("{% set weights = [").append(String.join(", ", weights)).append("] %}\n");
    sb.append("select\n    p0.id,\n    p0.grp,\n    p0.label,\n");
    sb.append("    (\n      {{ scaled('p0.amount', var('factor')) }}\n");
    sb.append("      {%- for w in weights %}\n");
    sb.append("      + {{ w }} * coalesce(p{{ loop.index0 }}.amount, 0)");
    sb.append("{% if loop.last %} -- {{ loop.length }} parents{% endif %}\n");
    sb.append("      {%- endfor %}\n    ) % 1000 as amount\n");
    sb.append("from {{ ref('").append(parents.get(0).name).append("') }} as p0\n");
    for (int i = 1; i < parents.size(); i++) {
      sb.append("left join {{ ref('")
          .append(parents.get(i).name)
          .append("') }} as p")
          .append(i)
          .append(" on p")
          .append(i)
          .append(".id = p0.id\n");
    }
    if (m.kind.equals("incremental")) {
      sb.append("{% if is_incremental() %}\n");
      sb.append("where p0.id > (select coalesce(max(id), -1) from {{ this }})\n");
      sb.append("{% endif %}\n");
    }
    return sb.toString();
  }
}
