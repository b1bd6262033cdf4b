package dev.weir.tasks.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.testing.BinlogMariaDb;
import java.sql.DriverManager;
import org.junit.jupiter.api.Test;

class BinlogMariaDbTest {
  @Test
  void starts_with_the_binary_log_on_and_comes_back_after_a_kill() throws Exception {
    try (var db = BinlogMariaDb.start()) {
      try (var c = DriverManager.getConnection(db.url("mysql"));
          var s = c.createStatement()) {
        s.execute("CREATE DATABASE shop");
        s.execute("CREATE TABLE shop.t (id INT PRIMARY KEY)");
        s.execute("INSERT INTO shop.t VALUES (1)");
        try (var rs = s.executeQuery("SHOW VARIABLES LIKE 'log_bin'")) {
          rs.next();
          assertThat(rs.getString(2)).isEqualTo("ON");
        }
      }
      db.kill();
      db.startServer();
      try (var c = DriverManager.getConnection(db.url("shop"));
          var s = c.createStatement();
          var rs = s.executeQuery("SELECT count(*) FROM t")) {
        rs.next();
        assertThat(rs.getInt(1)).isEqualTo(1);
      }
    }
  }
}
