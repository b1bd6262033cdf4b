package dev.weir.tasks.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.config.ConnectionConfig;
import dev.weir.task.TaskFailedException;
import dev.weir.testing.TestDatabases;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MariaDbLoadTest extends LoadContract {
  private String url;

  @Override
  String freshUrl() {
    url = TestDatabases.freshMysqlDatabaseUrl();
    return url;
  }

  @Test
  void wrong_password_is_refused_without_showing_it() throws Exception {
    db.exec(
        "CREATE USER IF NOT EXISTS 'weir_pw'@'%' IDENTIFIED BY 'right-one'",
        "CREATE USER IF NOT EXISTS 'weir_pw'@'localhost' IDENTIFIED BY 'right-one'");
    stage("v1", "SELECT 1 AS id");
    ctx.connection(
        ConnectionConfig.jdbc(
            "dw", url.replaceAll("[?&]user=[^&]*", ""), "weir_pw", "wr0ng-canary", Map.of()));
    assertThatThrownBy(
            () -> ctx.run("load", new JdbcLoadTask(), "{connection: dw, dataset: v1, table: t}"))
        .isInstanceOfSatisfying(TaskFailedException.class, e -> assertThat(e.retryable()).isFalse())
        .hasMessageContaining("cannot connect to connection 'dw'")
        .hasMessageContaining("Access denied")
        .hasMessageContaining("check user and password")
        .hasMessageNotContaining("wr0ng-canary");
  }

  @Test
  void extract_reads_mariadb_types() throws Exception {
    db.exec(
        "CREATE TABLE src (id BIGINT UNSIGNED, ok TINYINT(1), amount DECIMAL(8,2), at DATETIME(3),"
            + " doc JSON, note TEXT)",
        "INSERT INTO src VALUES (18446744073709551615, 1, 12.34, '2026-03-29 02:30:00.123',"
            + " '{\"a\": 1}', 'x'), (1, 0, NULL, NULL, NULL, NULL)");
    var r = ctx.run("extract", new JdbcExtractTask(), "{connection: target, table: src}");
    assertThat(r.dataset().rowCount()).isEqualTo(2);
    assertThat(r.dataset().schema().stream().map(c -> c.name() + " " + c.type()))
        .containsExactly(
            "id DECIMAL(20,0)",
            "ok BOOLEAN",
            "amount DECIMAL(8,2)",
            "at TIMESTAMP",
            "doc JSON",
            "note VARCHAR");
  }
}
