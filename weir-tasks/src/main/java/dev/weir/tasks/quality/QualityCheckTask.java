package dev.weir.tasks.quality;

import static dev.weir.tasks.duck.Sql.readParquet;

import dev.weir.store.CheckRecord;
import dev.weir.task.Dataset;
import dev.weir.task.Required;
import dev.weir.task.TaskContext;
import dev.weir.task.TaskFailedException;
import dev.weir.task.TaskResult;
import dev.weir.task.TaskType;
import dev.weir.tasks.duck.DuckSession;
import dev.weir.tasks.duck.Sql;
import dev.weir.tasks.jdbc.ConnectionTables;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.stream.Collectors;

/** Checks a staged dataset against rules; fails the task (or warns) when rows break them. */
public final class QualityCheckTask implements TaskType<QualityCheckTask.Config> {
  /**
   * @param severity for checks that set none; defaults to error
   */
  public record Config(
      @Required(example = "shape") String dataset,
      @Required(example = "[{notNull: [order_id]}]") List<Check> checks,
      Severity severity) {}

  @Override
  public String name() {
    return "quality.check";
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public List<String> datasetInputs(Config config) {
    var inputs = new ArrayList<String>();
    inputs.add(config.dataset());
    if (config.checks() != null) {
      for (Check c : config.checks()) {
        if (c != null
            && c.relationships() != null
            && c.relationships().to() != null
            && c.relationships().toDataset()) {
          if (!inputs.contains(c.relationships().to())) {
            inputs.add(c.relationships().to());
          }
        }
      }
    }
    return inputs;
  }

  @Override
  public List<String> validate(Config config) {
    var problems = new ArrayList<String>();
    if (config.checks() == null || config.checks().isEmpty()) {
      problems.add("checks is empty; list at least one, e.g. `checks: [{rowCount: {min: 1}}]`");
      return problems;
    }
    for (int i = 0; i < config.checks().size(); i++) {
      Check check = config.checks().get(i);
      if (check == null) {
        problems.add("checks[" + i + "] is empty; give one of " + String.join(", ", Check.KINDS));
      } else {
        problems.addAll(check.problems(i));
      }
    }
    return problems;
  }

  @Override
  public TaskResult run(Config config, TaskContext context) throws Exception {
    Dataset dataset = context.dataset(config.dataset());
    Severity fallback = config.severity() == null ? Severity.ERROR : config.severity();
    var results = new ArrayList<CheckResult>();
    Instant now = context.clock().instant();
    try (DuckSession duck = DuckSession.memory(context)) {
      List<String> views = views(config, dataset, duck, context);
      var runner =
          new CheckRunner(
              duck,
              now,
              new AnomalyJudge(runs -> context.pastRowCounts(config.dataset(), runs)),
              references(duck, context));
      for (int i = 0; i < config.checks().size(); i++) {
        Check check = config.checks().get(i);
        try {
          results.add(runner.run(check, check.severity() == null ? fallback : check.severity()));
        } catch (SQLException e) {
          if (duck.isCancelled()) {
            throw e;
          }
          throw TaskFailedException.permanent(
              "quality.check checks["
                  + i
                  + "] "
                  + check.label()
                  + " could not run: "
                  + Sql.message(e)
                  + "\nColumns of dataset '"
                  + config.dataset()
                  + "': "
                  + dataset.schema().stream()
                      .map(c -> c.name() + " " + c.type())
                      .collect(Collectors.joining(", "))
                  + (check.sql() != null ? "\nViews the query can read: " + views : ""));
        }
      }
    }
    context.saveChecks(records(config.dataset(), results, context, now));
    return report(config.dataset(), results, context);
  }

  /**
   * Makes the checked dataset the view {@code dataset} and, when a check reads other datasets (sql,
   * relationships), every upstream dataset a view named by its task id; returns the views' names.
   */
  private static List<String> views(
      Config config, Dataset dataset, DuckSession duck, TaskContext context) throws SQLException {
    var views = new ArrayList<String>();
    duck.exec(
        "CREATE VIEW " + CheckRunner.VIEW + " AS SELECT * FROM " + readParquet(dataset.path()));
    views.add(CheckRunner.VIEW);
    boolean readsOthers =
        config.checks().stream()
            .anyMatch(c ->
                c.sql() != null || (c.relationships() != null && c.relationships().toDataset()));
    if (readsOthers) {
      for (var upstream : context.upstreamDatasets().entrySet()) {
        if (!upstream.getKey().equals(CheckRunner.VIEW)) {
          duck.exec(
              "CREATE VIEW "
                  + Sql.id(upstream.getKey())
                  + " AS SELECT * FROM "
                  + readParquet(upstream.getValue().path()));
          views.add(upstream.getKey());
        }
      }
    }
    return views;
  }

  /** Copies a connection table's keys into the session, one table per relationships check. */
  private static CheckRunner.References references(DuckSession duck, TaskContext context) {
    int[] tables = {0};
    return r -> {
      String field = ConnectionTables.column(r.field(), r.connection(), context);
      return ConnectionTables.read(
          duck,
          r.connection(),
          "SELECT DISTINCT "
              + field
              + " AS "
              + CheckRunner.References.KEY
              + " FROM "
              + r.to()
              + " WHERE "
              + field
              + " IS NOT NULL",
          ++tables[0],
          context);
    };
  }

  private static List<CheckRecord> records(
      String dataset, List<CheckResult> results, TaskContext context, Instant at) {
    var records = new ArrayList<CheckRecord>();
    for (int i = 0; i < results.size(); i++) {
      CheckResult r = results.get(i);
      records.add(
          new CheckRecord(
              context.runId(),
              context.taskId(),
              context.attempt(),
              i,
              context.namespace(),
              context.flowId(),
              dataset,
              r.name(),
              r.kind(),
              r.passed(),
              r.severityName(),
              r.failingRows(),
              r.observed(),
              context.mask(line(r)),
              at));
    }
    return records;
  }

  private static TaskResult report(String dataset, List<CheckResult> results, TaskContext context) {
    List<CheckResult> failed = results.stream().filter(r -> !r.passed()).toList();
    var outputs = new LinkedHashMap<String, Object>();
    outputs.put("checks", results.stream().map(CheckResult::toOutput).toList());
    outputs.put("failed", failed.size());
    List<CheckResult> errors = failed.stream().filter(r -> r.severity() == Severity.ERROR).toList();
    for (CheckResult r : failed) {
      if (r.severity() == Severity.WARN) {
        context
            .logger()
            .warn("quality check " + r.name() + " on '" + dataset + "' failed: " + line(r));
      }
    }
    if (!errors.isEmpty()) {
      var sb = new StringBuilder();
      sb.append("quality.check on dataset '")
          .append(dataset)
          .append("' failed ")
          .append(errors.size())
          .append(" of ")
          .append(results.size())
          .append(results.size() == 1 ? " check:" : " checks:");
      for (CheckResult r : errors) {
        sb.append("\n  ").append(r.name()).append(": ").append(line(r));
      }
      sb.append(
          "\nThe task outputs hold up to 5 failing rows per check. Fix the data upstream, or set"
              + " `severity: warn` on the check to let it through.");
      throw new TaskFailedException(sb.toString(), false, outputs, null);
    }
    return TaskResult.of(outputs);
  }

  private static String line(CheckResult r) {
    return r.examples().isEmpty() ? r.detail() : r.detail() + ", e.g. " + r.examples().getFirst();
  }
}
