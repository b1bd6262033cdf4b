package dev.weir.task;

import static org.assertj.core.api.Assertions.assertThat;

import io.openlineage.client.utils.DatasetIdentifier;
import io.openlineage.client.utils.filesystem.FilesystemDatasetUtils;
import io.openlineage.client.utils.jdbc.JdbcDatasetUtils;
import java.net.URI;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * Weir names datasets as OpenLineage's own Java client does for the same location, where the client
 * has a rule, so Weir's lineage joins that of Spark, Flink and the other integrations built on it.
 * Where Weir adds to it (the schema of an unqualified PostgreSQL table, MySQL's default port), the
 * naming page's form is what Weir follows.
 */
class OpenLineageNamingTest {
  private static DatasetRef client(String jdbcUrl, String table) {
    DatasetIdentifier id = JdbcDatasetUtils.getDatasetIdentifier(jdbcUrl, table, new Properties());
    return new DatasetRef(id.getNamespace(), id.getName());
  }

  private static DatasetRef client(URI location) {
    DatasetIdentifier id = FilesystemDatasetUtils.fromLocation(location);
    return new DatasetRef(id.getNamespace(), id.getName());
  }

  @Test
  void postgres_tables_with_their_schema_are_named_as_the_client_names_them() {
    for (String url :
        new String[] {
          "jdbc:postgresql://db.example:5432/shop?user=etl&password=secret",
          "jdbc:postgresql://db.example/shop",
          "jdbc:postgresql://10.0.0.7:6432/shop?ssl=true"
        }) {
      assertThat(DatasetRef.table(url, "sales.orders"))
          .as(url)
          .isEqualTo(client(url, "sales.orders"));
    }
    // the client names an unqualified table as given; the naming page wants its schema
    assertThat(DatasetRef.table("jdbc:postgresql://db/shop", "orders"))
        .isEqualTo(client("jdbc:postgresql://db/shop", "public.orders"));
  }

  @Test
  void mysql_tables_and_duckdb_files_are_named_as_the_client_names_them() {
    String mysql = "jdbc:mysql://db:3307/shop?user=etl";
    assertThat(DatasetRef.table(mysql, "orders")).isEqualTo(client(mysql, "orders"));
    String duck = "jdbc:duckdb:/data/warehouse.duckdb";
    assertThat(DatasetRef.table(duck, "main.orders")).isEqualTo(client(duck, "main.orders"));
  }

  @Test
  void local_files_and_s3_objects_are_named_as_the_client_names_them() {
    Path csv = Path.of("/data/in/orders.csv");
    assertThat(DatasetRef.file(csv)).isEqualTo(client(csv.toUri()));
    assertThat(DatasetRef.s3("lake", "raw/orders.csv"))
        .isEqualTo(client(URI.create("s3://lake/raw/orders.csv")));
    assertThat(DatasetRef.s3("lake", "raw/2026/"))
        .isEqualTo(client(URI.create("s3://lake/raw/2026/")));
  }
}
