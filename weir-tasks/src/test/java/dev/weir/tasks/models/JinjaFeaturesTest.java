package dev.weir.tasks.models;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Jinja that real dbt models use renders as dbt renders it. */
class JinjaFeaturesTest {
  @TempDir Path dir;

  private String compile(String model, Map<String, String> macros, Target target)
      throws IOException {
    Files.writeString(
        dir.resolve("dbt_project.yml"),
        "name: feat\nvars: {n: 3, feat: {scoped: s}, other_pkg: {x: 1}}\n");
    Files.createDirectories(dir.resolve("models"));
    Files.createDirectories(dir.resolve("macros"));
    Files.writeString(dir.resolve("models/base.sql"), "select 1 as id");
    Files.writeString(dir.resolve("models/m.sql"), model);
    for (var e : macros.entrySet()) {
      Files.writeString(dir.resolve("macros/" + e.getKey()), e.getValue());
    }
    DbtProject p = DbtProject.load(dir);
    return new ModelCompiler(
            p, CompileOptions.defaults(p).withTarget(target).withVars(Map.of("day", "2024-05-01")))
        .compile("m")
        .sql();
  }

  private String compile(String model) throws IOException {
    return compile(model, Map.of(), Target.duckdb("main"));
  }

  @Test
  void loops_know_first_and_last_and_set_blocks_capture_text() throws IOException {
    assertThat(
            compile(
                "{% for c in ['a', 'b', 'c'] %}{% if loop.first %}select {% endif %}{{ c }}"
                    + "{% if not loop.last %}, {% endif %}{% endfor %}"))
        .isEqualTo("select a, b, c");
    assertThat(compile("{% set cols %}a, b{% endset %}select {{ cols }}")).isEqualTo("select a, b");
  }

  @Test
  void dicts_lists_do_and_filters_work() throws IOException {
    assertThat(
            compile(
                "{% set xs = [] %}{% do xs.append('x') %}{% set d = {'k': 'v'} %}"
                    + "{{ xs | join(',') }} {{ d['k'] }} {{ d.k | upper }} {{ \"it's\" | replace(\"'\", \"''\") }}"
                    + " {{ [3, 1, 2] | sort | first }} {{ xs | length }}"))
        .isEqualTo("x v V it''s 1 1");
  }

  @Test
  void names_that_are_tested_defaulted_or_none_are_not_undefined() throws IOException {
    String sql =
        compile(
            "{% set nothing = none %}{% if flag is defined %}x{% endif %}{{ other | default('d') }}"
                + "{{ nothing is none }} {{ opt(1) }}",
            Map.of(
                "opt.sql",
                "{% macro opt(a, b=none) %}{{ a }}{% if b is not none %}{{ b }}{% endif %}{% endmacro %}"),
            Target.duckdb("main"));
    assertThat(sql).isEqualTo("dtrue 1");
  }

  @Test
  void call_blocks_hand_their_body_to_caller() throws IOException {
    String sql =
        compile(
            "{% call wrap('t') %}select 1{% endcall %}",
            Map.of(
                "wrap.sql",
                "{% macro wrap(name) %}with {{ name }} as ({{ caller() }}) select * from {{ name }}{% endmacro %}"),
            Target.duckdb("main"));
    assertThat(sql).isEqualTo("with t as (select 1) select * from t");
  }

  @Test
  void whitespace_control_trims_like_jinja() throws IOException {
    assertThat(compile("select\n    {%- if true %}\n    1\n    {%- endif %}\n{# note -#}\n  as x"))
        .isEqualTo("select\n    1\nas x");
  }

  @Test
  void windows_line_ends_compile_as_jinja_reads_them() throws IOException {
    assertThat(compile("select 1\r\n{%- if true %} as x{% endif %}\r\n"))
        .isEqualTo("select 1 as x");
  }

  @Test
  void vars_from_the_project_and_the_caller_and_defaults() throws IOException {
    assertThat(
            compile(
                "{{ var('n') }} {{ var('day') }} {{ var('missing', 'dflt') }} {{ var('scoped') }}"))
        .isEqualTo("3 2024-05-01 dflt s");
  }

  @Test
  void macros_take_keyword_arguments_and_return_values() throws IOException {
    String sql =
        compile(
            "{% set xs = numbers(3) %}select {{ xs | sum }} as s, {{ pad('x', width=4) }}",
            Map.of(
                "util.sql",
                "{% macro numbers(n) %}{% set out = [] %}{% for i in range(n) %}"
                    + "{% do out.append(i + 1) %}{% endfor %}{{ return(out) }}{% endmacro %}\n"
                    + "{% macro pad(s, width=2) %}'{{ s }}{% for i in range(width - 1) %}_{% endfor %}'{% endmacro %}"),
            Target.duckdb("main"));
    assertThat(sql).isEqualTo("select 6 as s, 'x___'");
  }

  @Test
  void this_target_adapter_and_two_argument_ref_on_postgres() throws IOException {
    String sql =
        compile(
            "{{ config(schema='mart') }}select '{{ this.schema }}.{{ this.identifier }}',"
                + " '{{ target.type }}/{{ target.schema }}/{{ target.threads }}',"
                + " {{ adapter.quote('Odd Name') }}"
                + " from {{ ref('feat', 'base') }} join {{ this }} using (id)",
            Map.of(),
            new Target("prod", "analytics", Target.Dialect.POSTGRES).withThreads(6));
    assertThat(sql)
        .isEqualTo(
            "select 'analytics_mart.m', 'postgres/analytics/6', \"Odd Name\""
                + " from \"analytics\".\"base\" join \"analytics_mart\".\"m\" using (id)");
  }

  @Test
  void an_ephemeral_model_inlines_into_an_existing_with() throws IOException {
    Files.createDirectories(dir.resolve("models"));
    Files.writeString(
        dir.resolve("models/eph.sql"), "{{ config(materialized='ephemeral') }}select 2 as id");
    assertThat(
            compile(
                "-- lead\nWITH RECURSIVE r as (select * from {{ ref('eph') }})\nselect * from r"))
        .isEqualTo(
            "-- lead\nWITH RECURSIVE __dbt__cte__eph as (\nselect 2 as id\n), r as"
                + " (select * from __dbt__cte__eph)\nselect * from r");
  }
}
