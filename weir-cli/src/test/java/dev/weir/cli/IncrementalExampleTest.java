package dev.weir.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.weir.testing.TestDatabases;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** examples/incremental, run twice against a local API and a PostgreSQL schema. */
class IncrementalExampleTest {
  private static final String TOKEN = "example-token";

  @TempDir Path dir;
  private HttpServer api;
  private String pgUrl;

  @BeforeEach
  void start() throws Exception {
    api = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    api.createContext(
        "/customers",
        ex -> {
          boolean authorized =
              ("Bearer " + TOKEN).equals(ex.getRequestHeaders().getFirst("Authorization"));
          String query = String.valueOf(ex.getRequestURI().getQuery());
          String body =
              !authorized
                  ? "{\"error\": \"unauthorized\"}"
                  : query.contains("after=2")
                      ? "{\"data\": [{\"id\": 3, \"name\": \"Cem\", \"email\": \"cem@example.com\","
                          + " \"country\": \"TR\"}], \"next\": null}"
                      : "{\"data\": [{\"id\": 1, \"name\": \"Ann\", \"email\": \"ann@example.com\","
                          + " \"country\": \"DE\"}, {\"id\": 2, \"name\": \"Bo\", \"email\":"
                          + " \"bo@example.com\", \"country\": \"SE\"}], \"next\": \"2\"}";
          byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders().add("Content-Type", "application/json");
          ex.sendResponseHeaders(authorized ? 200 : 401, bytes.length);
          ex.getResponseBody().write(bytes);
          ex.close();
        });
    api.start();
    pgUrl = TestDatabases.freshPostgresSchemaUrl();
    sql(
        "CREATE TABLE orders (id int PRIMARY KEY, customer_id int, status text,"
            + " amount numeric(10,2), updated_at timestamp)",
        "INSERT INTO orders SELECT g, 1 + g % 3, 'open', g * 10.5,"
            + " timestamp '2026-11-20 08:00' + g * interval '1 minute'"
            + " FROM generate_series(1, 50) g");
  }

  @AfterEach
  void stop() {
    api.stop(0);
  }

  @Test
  void runs_twice_moving_only_what_changed() throws Exception {
    Path example = copyExample();
    String first = run(example);
    assertThat(first).contains("SUCCEEDED").contains("3 customers, 50 changed orders");
    assertThat(warehouse(example, "SELECT count(*), sum(amount) FROM shop.orders"))
        .containsExactly("50|13387.50");

    sql(
        "UPDATE orders SET status = 'paid', updated_at = '2026-11-21 09:00' WHERE id IN (1, 2)",
        "INSERT INTO orders VALUES (51, 1, 'open', 1.00, '2026-11-21 09:05')");
    String second = run(example);
    // the 3 changed rows, plus orders 40 to 50, stamped within 10 minutes of the last mark
    // (08:50) and read again by the overlap; the upsert makes them harmless
    assertThat(second)
        .contains(
            "3 customers, 14 changed orders (since 2026-11-20T08:40, next mark"
                + " 2026-11-21T09:05:00.000000)");
    assertThat(
            warehouse(
                example, "SELECT count(*), count(*) FILTER (status = 'paid') FROM shop.orders"))
        .containsExactly("51|2");
    assertThat(warehouse(example, "SELECT count(*) FROM shop.customers WHERE email LIKE '%@%'"))
        .containsExactly("0");
  }

  private String run(Path example) throws Exception {
    Process p =
        Cli.child(
            example,
            Map.of(
                "WEIR_SECRET_SHOP_API_TOKEN", TOKEN,
                "WEIR_SECRET_SHOP_PG_PASSWORD", "unused-with-trust-auth",
                "WEIR_SECRET_PII_SALT", "salt"),
            "run",
            "flow.yaml",
            "--input",
            "api=http://127.0.0.1:" + api.getAddress().getPort(),
            "--home",
            dir.resolve("home").toString());
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    String out = Files.readString(example.resolve("child.out"));
    String err = Files.readString(example.resolve("child.err"));
    assertThat(p.exitValue()).as(out + err).isZero();
    return out;
  }

  private Path copyExample() throws Exception {
    Path src = Path.of("../examples/incremental").toAbsolutePath().normalize();
    Path dst = dir.resolve("incremental");
    try (Stream<Path> walk = Files.walk(src)) {
      for (Path p : walk.toList()) {
        if (p.getFileName().toString().startsWith("warehouse.duckdb")) {
          continue;
        }
        Files.copy(p, dst.resolve(src.relativize(p).toString()));
      }
    }
    Path config = dst.resolve("weir.yaml");
    Files.writeString(
        config,
        Files.readString(config)
            .replace("jdbc:postgresql://127.0.0.1:5432/shop", pgUrl)
            .replace("user: etl", "user: postgres"));
    return dst;
  }

  private void sql(String... statements) throws Exception {
    try (Connection c = DriverManager.getConnection(pgUrl)) {
      for (String s : statements) {
        c.createStatement().execute(s);
      }
    }
  }

  private static List<String> warehouse(Path example, String sql) throws Exception {
    try (Connection c =
            DriverManager.getConnection("jdbc:duckdb:" + example.resolve("warehouse.duckdb"));
        ResultSet rs = c.createStatement().executeQuery(sql)) {
      var rows = new ArrayList<String>();
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        var cells = new ArrayList<String>();
        for (int i = 1; i <= n; i++) {
          cells.add(String.valueOf(rs.getObject(i)));
        }
        rows.add(String.join("|", cells));
      }
      return rows;
    }
  }
}
