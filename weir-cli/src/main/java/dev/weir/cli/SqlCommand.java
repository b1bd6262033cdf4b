package dev.weir.cli;

import dev.weir.WeirException;
import dev.weir.tasks.duck.DuckFiles;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "sql",
    description = "Query a DuckDB warehouse file (read-only), e.g. the quickstart's result.")
final class SqlCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE.duckdb")
  Path file;

  @Parameters(index = "1", paramLabel = "SQL")
  String sql;

  @Option(names = "--max-rows", defaultValue = "50")
  int maxRows;

  @Override
  public Integer call() {
    if (!Files.isRegularFile(file)) {
      throw new WeirException("no DuckDB file at " + file.toAbsolutePath());
    }
    var props = new java.util.Properties();
    props.setProperty("duckdb.read_only", "true");
    try (Connection c = DuckFiles.connect("jdbc:duckdb:" + file.toAbsolutePath(), props);
        var st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      print(rs, spec.commandLine().getOut());
      return 0;
    } catch (SQLException e) {
      throw new WeirException("query failed: " + e.getMessage(), e);
    }
  }

  private void print(ResultSet rs, PrintWriter out) throws SQLException {
    int n = rs.getMetaData().getColumnCount();
    var rows = new ArrayList<String[]>();
    var head = new String[n];
    int[] w = new int[n];
    for (int i = 0; i < n; i++) {
      head[i] = rs.getMetaData().getColumnLabel(i + 1);
      w[i] = head[i].length();
    }
    int total = 0;
    while (rs.next()) {
      total++;
      if (rows.size() >= maxRows) {
        continue;
      }
      var row = new String[n];
      for (int i = 0; i < n; i++) {
        Object v = rs.getObject(i + 1);
        row[i] = v == null ? "NULL" : v.toString();
        w[i] = Math.min(Math.max(w[i], row[i].length()), 40);
      }
      rows.add(row);
    }
    line(out, head, w);
    var sep = new String[n];
    for (int i = 0; i < n; i++) {
      sep[i] = "-".repeat(w[i]);
    }
    line(out, sep, w);
    rows.forEach(r -> line(out, r, w));
    out.printf(
        "(%d row%s%s)%n",
        total, total == 1 ? "" : "s", total > rows.size() ? ", " + rows.size() + " shown" : "");
  }

  private static void line(PrintWriter out, String[] cells, int[] w) {
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < cells.length; i++) {
      String c = cells[i].length() > w[i] ? cells[i].substring(0, w[i] - 1) + "…" : cells[i];
      parts.add(String.format("%-" + w[i] + "s", c));
    }
    out.println(String.join("  ", parts).stripTrailing());
  }
}
