package dev.weir.tasks.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.config.ConnectionConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What cdc.mysql derives without a server: addresses, positions, server ids, settings. */
class MysqlSourceNamesTest {
  @Test
  void a_url_gives_the_server_kind_address_and_credentials_without_showing_the_password() {
    var maria =
        MysqlAddress.of(
            ConnectionConfig.jdbc(
                "m",
                "jdbc:mariadb://db.internal/shop?user=weir&password=s%40cret",
                null,
                null,
                Map.of()));
    assertThat(maria.mariadb()).isTrue();
    assertThat(maria.host()).isEqualTo("db.internal");
    assertThat(maria.port()).isEqualTo(3306);
    assertThat(maria.user()).isEqualTo("weir");
    assertThat(maria.password()).isEqualTo("s@cret");
    assertThat(maria.toString()).isEqualTo("MariaDB db.internal:3306").doesNotContain("cret");

    var mysql =
        MysqlAddress.of(
            ConnectionConfig.jdbc("y", "jdbc:mysql://10.0.0.5:3307/shop", "u", "p", Map.of()));
    assertThat(mysql.mariadb()).isFalse();
    assertThat(mysql.port()).isEqualTo(3307);
    assertThat(mysql.user()).isEqualTo("u");

    assertThatThrownBy(() ->
            MysqlAddress.of(
                ConnectionConfig.jdbc("pg", "jdbc:postgresql://h/db", null, null, Map.of())))
        .hasMessageContaining("connection 'pg' is not a MariaDB or MySQL jdbc url")
        .hasMessageContaining("cdc.postgres");
  }

  @Test
  void binlog_positions_order_by_file_number_then_offset() {
    var a = new BinlogPosition("mysql-bin.000009", 5_000);
    var b = new BinlogPosition("mysql-bin.000010", 4);
    var c = new BinlogPosition("mysql-bin.000010", 120);
    assertThat(List.of(c, a, b).stream().sorted().toList()).containsExactly(a, b, c);
    assertThat(BinlogPosition.of(Map.of("file", "mysql-bin.000010", "pos", 120L))).isEqualTo(c);
    assertThat(BinlogPosition.of(Map.of("ts_sec", 1))).isNull();
  }

  @Test
  void the_default_server_id_is_stable_and_in_its_documented_range() {
    long id = MysqlSource.defaultServerId("shop.sales", "orders", "orders_cdc");
    assertThat(id).isEqualTo(MysqlSource.defaultServerId("shop.sales", "orders", "orders_cdc"));
    assertThat(id).isBetween(100_000L, 999_999L);
    assertThat(MysqlSource.defaultServerId("shop.sales", "orders", "other")).isNotEqualTo(id);
  }

  @Test
  void bad_settings_are_named_with_an_example() {
    var task = new CdcMysqlTask();
    var config =
        new CdcMysqlTask.Config(
            "m",
            List.of("orders"),
            null,
            null,
            null,
            0L,
            null,
            null,
            null,
            0,
            "soon",
            null,
            null,
            null,
            0,
            null);
    assertThat(task.validate(config))
        .containsExactlyInAnyOrder(
            "tables: 'orders' is not database.table; write e.g. shop.orders",
            "serverId must be from 1 to 4294967295 (a MySQL server id), not 0; leave it out to"
                + " derive one from the task's name",
            "maxBatch must be at least 1, not 0",
            "maxLatency 'soon' is not a duration; use e.g. 1s",
            "siftBudget must be at least 1, not 0; e.g. 1000");
  }

  @Test
  void mariadb_is_asked_for_its_binlog_status_in_its_own_words() {
    assertThat(MariaDbBinlogDriver.mariadb("SHOW BINARY LOG STATUS"))
        .isEqualTo("SHOW MASTER STATUS");
    assertThat(MariaDbBinlogDriver.mariadb("SHOW BINARY LOGS")).isEqualTo("SHOW BINARY LOGS");
  }

  @Test
  void the_urls_tls_settings_reach_the_binlog_connection() {
    assertThat(MysqlAddress.sslMode("m", true, java.util.Map.of())).isNull();
    assertThat(MysqlAddress.sslMode("m", true, java.util.Map.of("sslMode", "verify-full")))
        .isEqualTo("verify_identity");
    assertThat(MysqlAddress.sslMode("m", true, java.util.Map.of("sslMode", "trust")))
        .isEqualTo("required");
    assertThat(MysqlAddress.sslMode("m", false, java.util.Map.of("sslMode", "VERIFY_CA")))
        .isEqualTo("verify_ca");
    assertThat(MysqlAddress.sslMode("m", true, java.util.Map.of("useSsl", "true")))
        .isEqualTo("verify_identity");
    assertThat(MysqlAddress.sslMode("m", false, java.util.Map.of("useSSL", "true")))
        .isEqualTo("required");
    assertThat(MysqlAddress.sslMode("m", false, java.util.Map.of("useSSL", "false")))
        .isEqualTo("disabled");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> MysqlAddress.sslMode("shop", true, java.util.Map.of("sslMode", "maybe")))
        .hasMessageContaining("connection 'shop' has sslMode=maybe")
        .hasMessageContaining("verify-full");
  }

  @Test
  void a_time_outside_one_day_becomes_text_not_an_error() {
    assertThat(ConnectValues.time(3_600_000_000_000L)).isEqualTo(java.time.LocalTime.of(1, 0));
    assertThat(ConnectValues.time(90_000_000_000_000L)).isEqualTo("25:00:00");
    assertThat(ConnectValues.time(86_400_000_000_000L)).isEqualTo("24:00:00");
    assertThat(ConnectValues.time(-5_400_500_000_000L)).isEqualTo("-01:30:00.500000");
    assertThat(ConnectValues.time(3_020_399_000_000_000L)).isEqualTo("838:59:59");
  }
}
