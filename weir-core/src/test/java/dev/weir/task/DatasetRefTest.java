package dev.weir.task;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DatasetRefTest {
  private static final String SECRET = "canary-Pa55word";

  @Test
  void a_postgres_table_is_named_by_host_database_and_table_without_the_password() {
    DatasetRef ref =
        DatasetRef.table(
            "jdbc:postgresql://db.example:5432/shop?user=etl&password=" + SECRET + "&ssl=true",
            "public.orders");
    assertThat(ref.namespace()).isEqualTo("postgres://db.example:5432");
    assertThat(ref.name()).isEqualTo("shop.public.orders");
    assertThat(ref.toString()).doesNotContain(SECRET).doesNotContain("etl");
  }

  @Test
  void user_info_in_a_jdbc_url_is_dropped() {
    DatasetRef ref = DatasetRef.table("jdbc:mysql://etl:" + SECRET + "@db:3306/shop", "orders");
    assertThat(ref.namespace()).isEqualTo("mysql://db:3306");
    assertThat(ref.name()).isEqualTo("shop.orders");
    assertThat(ref.toString()).doesNotContain(SECRET);
  }

  @Test
  void file_databases_keep_their_file_and_drop_their_properties() {
    DatasetRef h2 = DatasetRef.table("jdbc:h2:/data/wh;USER=sa;PASSWORD=" + SECRET, "orders");
    assertThat(h2.namespace()).isEqualTo("h2");
    assertThat(h2.name()).isEqualTo("/data/wh.orders");
    assertThat(h2.toString()).doesNotContain(SECRET);
  }

  @Test
  void a_postgres_table_without_a_schema_is_in_the_url_s_current_schema_or_public() {
    assertThat(DatasetRef.table("jdbc:postgresql://db/shop?user=etl", "orders"))
        .isEqualTo(new DatasetRef("postgres://db:5432", "shop.public.orders"));
    assertThat(
            DatasetRef.table(
                "jdbc:postgresql://db:6432/shop?password=" + SECRET + "&currentSchema=sales,public",
                "orders"))
        .isEqualTo(new DatasetRef("postgres://db:6432", "shop.sales.orders"));
    assertThat(DatasetRef.table("jdbc:postgresql://db/shop?currentSchema=%24user,%20ops", "o"))
        .isEqualTo(new DatasetRef("postgres://db:5432", "shop.ops.o"));
    assertThat(DatasetRef.table("jdbc:postgresql://db,db2:5433/shop", "shop.sales.orders"))
        .isEqualTo(new DatasetRef("postgres://db:5432", "shop.sales.orders"));
    assertThat(DatasetRef.table("jdbc:postgresql://[::1]:5433/shop", "x"))
        .isEqualTo(new DatasetRef("postgres://[::1]:5433", "shop.public.x"));
    assertThat(DatasetRef.table("jdbc:mariadb://db/shop", "orders"))
        .isEqualTo(new DatasetRef("mysql://db:3306", "shop.orders"));
  }

  @Test
  void a_duckdb_table_is_named_by_its_file_path_and_the_table_as_written() {
    DatasetRef duck = DatasetRef.table("jdbc:duckdb:/data/wh.duckdb", "analytics.orders");
    assertThat(duck.namespace()).isEqualTo("duckdb:/data/wh.duckdb");
    assertThat(duck.name()).isEqualTo("analytics.orders");
    assertThat(DatasetRef.table("jdbc:duckdb:/data/../data/wh.duckdb;access_mode=READ_ONLY", "o"))
        .isEqualTo(new DatasetRef("duckdb:/data/wh.duckdb", "o"));
    assertThat(DatasetRef.table("jdbc:duckdb:rel.db", "o").namespace())
        .isEqualTo("duckdb:" + Path.of("rel.db").toAbsolutePath());
    assertThat(DatasetRef.table("jdbc:duckdb:", "o"))
        .isEqualTo(new DatasetRef("duckdb:memory", "o"));
  }

  @Test
  void an_endpoint_is_named_without_user_info_query_or_fragment() {
    DatasetRef ref =
        DatasetRef.url("https://bot:" + SECRET + "@api.example.com/v1/orders?api_key=" + SECRET);
    assertThat(ref.namespace()).isEqualTo("https://api.example.com");
    assertThat(ref.name()).isEqualTo("/v1/orders");
    assertThat(ref.toString()).doesNotContain(SECRET);
  }

  @Test
  void something_that_is_not_a_url_still_loses_its_credentials() {
    DatasetRef ref = DatasetRef.url("ftp://u:" + SECRET + "@host/x y?token=" + SECRET);
    assertThat(ref.toString()).doesNotContain(SECRET);
  }

  @Test
  void files_s3_objects_and_staged_datasets() {
    assertThat(DatasetRef.file(Path.of("/data/in/../orders.csv")))
        .isEqualTo(new DatasetRef("file", "/data/orders.csv"));
    assertThat(DatasetRef.s3("lake", "raw/orders.csv"))
        .isEqualTo(new DatasetRef("s3://lake", "raw/orders.csv"));
    assertThat(DatasetRef.s3("lake", "/raw/")).isEqualTo(new DatasetRef("s3://lake", "raw"));
    assertThat(DatasetRef.staged("shop.sales", "orders_daily", "extract"))
        .isEqualTo(new DatasetRef("weir://shop.sales", "orders_daily.extract"));
  }
}
