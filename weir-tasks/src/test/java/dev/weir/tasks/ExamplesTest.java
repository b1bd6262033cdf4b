package dev.weir.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.config.ConnectionConfig;
import dev.weir.config.ProjectConfig;
import dev.weir.expr.Expressions;
import dev.weir.expr.Masker;
import dev.weir.expr.Scope;
import dev.weir.expr.Secrets;
import dev.weir.flow.Flow;
import dev.weir.flow.FlowParser;
import dev.weir.flow.TaskDef;
import dev.weir.task.TaskRegistry;
import dev.weir.task.TaskResult;
import dev.weir.task.TaskType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs every example flow of docs/tasks (kept in src/test/resources/examples) through the real
 * parser and the task types, one task after the other, so the documented examples keep working.
 */
class ExamplesTest {
  private static final Path EXAMPLES = Path.of("src/test/resources/examples");
  private static S3TestServer s3;
  private static SftpTestServer sftp;
  private static Path sftpRoot;
  private static KafkaTestBroker kafka;
  private final TaskRegistry registry = TaskRegistry.load();
  private final Expressions expressions = new Expressions();

  @TempDir Path dir;

  @BeforeEach
  void copyExamples() throws Exception {
    // examples write next to themselves (out/), so run them from a copy
    TestFiles.copyTree(EXAMPLES, dir);
  }

  @AfterAll
  static void stopS3() throws Exception {
    if (kafka != null) {
      kafka.close();
    }
    if (s3 != null) {
      s3.close();
    }
    if (sftp != null) {
      sftp.close();
      try (Stream<Path> files = Files.walk(sftpRoot)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private record Run(TestContext context, Map<String, TaskResult> results) {}

  private Run run(String example) throws Exception {
    return run(example, Map.of(), Map.of());
  }

  /**
   * Runs an example with {@code inputs} as given on the command line (the rest take their defaults
   * as written) and {@code secrets} as if set as {@code WEIR_SECRET_<NAME>}.
   */
  private Run run(String example, Map<String, String> inputs, Map<String, String> secrets)
      throws Exception {
    Flow flow = new FlowParser(registry).parse(dir.resolve(example));
    var ctx = new TestContext(dir);
    if (example.startsWith("s3")) {
      connectToS3(ctx);
    }
    if (example.startsWith("sftp")) {
      connectToSftp(ctx);
    }
    if (example.matches("(rabbitmq|nats|mqtt|kafka)\\.publish\\.yaml")) {
      connectToBrokers(ctx);
    }
    if (example.startsWith("jdbc.extract")) {
      ctx.connection("shop", shop());
    }
    if (example.startsWith("cdc.mysql")) {
      ctx.connection("shop_mariadb", cdcMariaDb());
      ctx.connection("lake_duck", "jdbc:duckdb:out/lake.duckdb");
    }
    if (example.startsWith("sql.models")) {
      ctx.connection("lake_duck", "jdbc:duckdb:out/lake.duckdb");
    }
    if (example.startsWith("cdc.postgres")) {
      ctx.connection("shop_primary", cdcShop());
      ctx.connection("lake_duck", "jdbc:duckdb:out/lake.duckdb");
    }
    var results = new LinkedHashMap<String, TaskResult>();
    var given = new LinkedHashMap<String, Object>();
    flow.inputs().stream()
        .filter(in -> in.defaultValue() != null)
        .forEach(in -> given.put(in.id(), in.defaultValue().asText()));
    given.putAll(inputs);
    var env = new LinkedHashMap<String, String>();
    secrets.forEach((name, value) -> env.put(Secrets.ENV_PREFIX + name, value));
    var services =
        new Expressions.Services(new Secrets(env, null, new Masker()), InstantSource.system());
    Map<String, Object> variables = Map.of("inputs", Scope.of("inputs", given));
    // the examples are written so that file order is a valid execution order
    for (TaskDef task : flow.tasks()) {
      JsonNode properties = expressions.renderTree(task.properties(), variables, services);
      results.put(task.id(), runOne(ctx, task.id(), registry.get(task.type()), properties));
    }
    return new Run(ctx, results);
  }

  /**
   * S3 examples use the connections of examples/weir.yaml, whose secrets point at an s3proxy
   * started for them, holding the bucket {@code lake}.
   */
  private void connectToS3(TestContext ctx) throws Exception {
    if (s3 == null) {
      s3 = S3TestServer.start();
      s3.createBucket("lake");
    }
    var secrets =
        new Secrets(
            Map.of(
                Secrets.ENV_PREFIX + "LAKE_ENDPOINT", s3.endpoint(),
                Secrets.ENV_PREFIX + "LAKE_KEY", S3TestServer.ACCESS_KEY,
                Secrets.ENV_PREFIX + "LAKE_SECRET", S3TestServer.SECRET_KEY),
            null,
            new Masker());
    var services = new Expressions.Services(secrets, InstantSource.system());
    var expressions = new Expressions();
    ProjectConfig project = ProjectConfig.find(dir);
    for (String name : project.connectionNames()) {
      if (!name.equals("lake")) {
        continue; // the database connections of the other examples need their own secrets
      }
      ctx.connection(project.connection(name, t -> expressions.render(t, Map.of(), services)));
    }
  }

  /**
   * SFTP examples use the connection {@code partner} of examples/weir.yaml, whose secrets point at
   * an in-process MINA SSHD server started for them.
   */
  private void connectToSftp(TestContext ctx) throws Exception {
    if (sftp == null) {
      sftpRoot = Files.createTempDirectory("weir-sftp-examples");
      sftp = SftpTestServer.start(sftpRoot);
    }
    var secrets =
        new Secrets(
            Map.of(
                Secrets.ENV_PREFIX + "PARTNER_HOST",
                "127.0.0.1",
                Secrets.ENV_PREFIX + "PARTNER_PORT",
                String.valueOf(sftp.port()),
                Secrets.ENV_PREFIX + "PARTNER_PASSWORD",
                SftpTestServer.PASSWORD,
                Secrets.ENV_PREFIX + "PARTNER_KNOWN_HOSTS",
                sftp.knownHostsLine()),
            null,
            new Masker());
    var services = new Expressions.Services(secrets, InstantSource.system());
    var expressions = new Expressions();
    ProjectConfig project = ProjectConfig.find(dir);
    ctx.connection(project.connection("partner", t -> expressions.render(t, Map.of(), services)));
  }

  /** The broker examples use examples/weir.yaml's connections to the machine's brokers. */
  private void connectToBrokers(TestContext ctx) throws Exception {
    var secrets =
        new Secrets(Map.of(Secrets.ENV_PREFIX + "RABBIT_PASSWORD", "guest"), null, new Masker());
    var services = new Expressions.Services(secrets, InstantSource.system());
    var expressions = new Expressions();
    ProjectConfig project = ProjectConfig.find(dir);
    for (String name : List.of("events", "bus", "sensors", "stream")) {
      ctx.connection(project.connection(name, t -> expressions.render(t, Map.of(), services)));
    }
    if (kafka != null) {
      // the example's connection as written, pointed at the test broker's free port
      ConnectionConfig c = project.connection("stream", t -> t);
      ctx.connection(
          new ConnectionConfig(
              c.name(),
              c.type(),
              c.url(),
              c.user(),
              c.password(),
              c.properties(),
              c.poolSize(),
              Map.of("bootstrapServers", kafka.bootstrapServers())));
    }
  }

  @Test
  void kafka_publish_example_sends_one_keyed_record_per_row() throws Exception {
    if (kafka == null) {
      kafka = KafkaTestBroker.start();
    }
    String topic = "weir-example-orders";
    kafka.createTopic(topic, 3);
    Run run = run("kafka.publish.yaml");
    assertThat(run.results().get("each_order").outputs()).containsEntry("published", 11L);
    var stream =
        new ConnectionConfig(
            "stream",
            ConnectionConfig.KAFKA,
            null,
            null,
            null,
            Map.of(),
            0,
            Map.of("bootstrapServers", kafka.bootstrapServers()));
    var source = new dev.weir.tasks.queue.Source(topic, null, "weir-example");
    try (var b = dev.weir.tasks.queue.Brokers.open(stream);
        var s = b.subscribe(source)) {
      var got = new java.util.ArrayList<dev.weir.tasks.queue.IncomingMessage>();
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (got.size() < 11 && System.nanoTime() < deadline) {
        got.addAll(s.poll(11, java.time.Duration.ofMillis(500)));
      }
      assertThat(got).hasSize(11);
      var first = got.stream().filter(m -> "1".equals(m.key())).findFirst().orElseThrow();
      assertThat(new String(first.body(), java.nio.charset.StandardCharsets.UTF_8))
          .isEqualTo(
              "{\"order_id\":1,\"customer_id\":10,\"status\":\"open\",\"amount\":25.00,"
                  + "\"ordered_on\":\"2024-03-01\"}");
      assertThat(first.id()).startsWith(topic + "-");
      s.ack(got);
    }
  }

  @Test
  void rabbitmq_publish_example_sends_one_message_and_one_per_row() throws Exception {
    dev.weir.tasks.queue.LocalBrokers.assumeRabbit();
    String queue = "weir-example-orders";
    dev.weir.tasks.queue.LocalBrokers.deleteQueue(queue);
    dev.weir.tasks.queue.LocalBrokers.declareQueue(queue);
    try (var b = dev.weir.tasks.queue.Brokers.open(dev.weir.tasks.queue.LocalBrokers.rabbit());
        var s = b.subscribe(new dev.weir.tasks.queue.Source(queue, null, null))) {
      Run run = run("rabbitmq.publish.yaml");
      assertThat(run.results().get("announce").outputs()).containsEntry("published", 1L);
      assertThat(run.results().get("each_order").outputs()).containsEntry("published", 11L);
      var got = new java.util.ArrayList<dev.weir.tasks.queue.IncomingMessage>();
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (got.size() < 12 && System.nanoTime() < deadline) {
        got.addAll(s.poll(12, java.time.Duration.ofMillis(200)));
      }
      assertThat(got).hasSize(12);
      assertThat(got.get(0).id()).isEqualTo("order-1");
      assertThat(got.get(0).headers()).containsEntry("source", "weir");
      assertThat(got.get(1).id()).isEqualTo("1");
      assertThat(new String(got.get(1).body(), java.nio.charset.StandardCharsets.UTF_8))
          .isEqualTo(
              "{\"order_id\":1,\"customer_id\":10,\"status\":\"open\",\"amount\":25.00,"
                  + "\"ordered_on\":\"2024-03-01\"}");
      s.ack(got);
    } finally {
      dev.weir.tasks.queue.LocalBrokers.deleteQueue(queue);
    }
  }

  @Test
  void nats_publish_example_is_deduplicated_by_its_key_on_a_retry() throws Exception {
    dev.weir.tasks.queue.LocalBrokers.assumeNats();
    String stream = "WEIR_EXAMPLE_" + java.util.UUID.randomUUID().toString().substring(0, 6);
    dev.weir.tasks.queue.LocalBrokers.deleteStream(
        dev.weir.tasks.queue.LocalBrokers.NATS_URL, "WEIR_EXAMPLE");
    dev.weir.tasks.queue.LocalBrokers.addStream(
        dev.weir.tasks.queue.LocalBrokers.NATS_URL, stream, "weir.example.orders");
    try {
      Run run = run("nats.publish.yaml");
      assertThat(run.results().get("announce").outputs()).containsEntry("published", 1L);
      assertThat(run.results().get("each_order").outputs()).containsEntry("published", 11L);
      run("nats.publish.yaml"); // as a retry would: every Nats-Msg-Id again
      try (var c = io.nats.client.Nats.connect(dev.weir.tasks.queue.LocalBrokers.NATS_URL)) {
        assertThat(c.jetStreamManagement().getStreamInfo(stream).getStreamState().getMsgCount())
            .isEqualTo(12);
      }
    } finally {
      dev.weir.tasks.queue.LocalBrokers.deleteStream(
          dev.weir.tasks.queue.LocalBrokers.NATS_URL, stream);
    }
  }

  @Test
  void mqtt_publish_example_sends_one_message_and_one_per_row() throws Exception {
    dev.weir.tasks.queue.LocalBrokers.assumeMqtt();
    var source =
        new dev.weir.tasks.queue.Source(
            "weir/example/orders", null, "weir-example-" + java.util.UUID.randomUUID());
    try (var b = dev.weir.tasks.queue.Brokers.open(dev.weir.tasks.queue.LocalBrokers.mqtt());
        var s = b.subscribe(source)) {
      Run run = run("mqtt.publish.yaml");
      assertThat(run.results().get("each_order").outputs()).containsEntry("published", 11L);
      var got = new java.util.ArrayList<dev.weir.tasks.queue.IncomingMessage>();
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (got.size() < 12 && System.nanoTime() < deadline) {
        got.addAll(s.poll(12, java.time.Duration.ofMillis(200)));
      }
      assertThat(got).hasSize(12);
      s.ack(got);
    }
  }

  @Test
  void a_publish_to_a_connection_of_another_type_names_the_type_it_needs() throws Exception {
    dev.weir.tasks.queue.LocalBrokers.assumeRabbit();
    var ctx = new TestContext(dir);
    connectToBrokers(ctx);
    var type = registry.get("nats.publish");
    assertThatThrownBy(() ->
            runOne(
                ctx,
                "p",
                type,
                dev.weir.flow.ConfigBinder.MAPPER.readTree(
                    "{\"connection\": \"events\", \"subject\": \"x\", \"message\": \"hi\"}")))
        .hasMessageContaining(
            "connection 'events' is a rabbitmq connection; a nats.publish task needs a `type:"
                + " nats` connection");
  }

  @Test
  void a_failed_publish_never_shows_the_broker_password() throws Exception {
    var ctx = new TestContext(dir);
    ctx.connection(
        new dev.weir.config.ConnectionConfig(
            "events",
            "rabbitmq",
            "amqp://guest:pw-9f3k@127.0.0.1:" + freePort() + "/%2f",
            "guest",
            "pw-9f3k",
            Map.of(),
            1,
            Map.of()));
    assertThatThrownBy(() ->
            runOne(
                ctx,
                "p",
                registry.get("rabbitmq.publish"),
                dev.weir.flow.ConfigBinder.MAPPER.readTree(
                    "{\"connection\": \"events\", \"routingKey\": \"q\", \"message\": \"hi\"}")))
        .hasMessageContaining("rabbitmq connection 'events'")
        .hasMessageContaining("cannot connect")
        .hasMessageNotContaining("pw-9f3k");
  }

  private static int freePort() throws Exception {
    try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static <C extends Record> TaskResult runOne(
      TestContext ctx, String id, TaskType<C> type, JsonNode properties) throws Exception {
    return ctx.run(id, type, properties);
  }

  @Test
  void every_registered_task_type_has_an_example_and_a_doc() {
    assertThat(builtinNames())
        .containsExactlyInAnyOrder(
            "forEach",
            "noop",
            "log",
            "shell",
            "file.read",
            "file.write",
            "sql.transform",
            "quality.check",
            "jdbc.extract",
            "jdbc.load",
            "jdbc.query",
            "python",
            "http.extract",
            "s3.upload",
            "s3.download",
            "s3.list",
            "s3.delete",
            "sftp.upload",
            "sftp.download",
            "sftp.list",
            "sftp.delete",
            "notify.slack",
            "notify.webhook",
            "notify.pagerduty",
            "notify.email",
            "subflow",
            "wait.sql",
            "wait.file",
            "wait.http",
            "rabbitmq.publish",
            "nats.publish",
            "mqtt.publish",
            "kafka.publish",
            "cdc.postgres",
            "cdc.mysql",
            "sql.models")
        .allSatisfy(name -> {
          assertThat(EXAMPLES.resolve(name + ".yaml")).exists();
          assertThat(Path.of("../docs/tasks/" + name + ".md")).exists();
        });
  }

  @Test
  void docs_show_the_example_flow_verbatim() throws Exception {
    for (String name : builtinNames()) {
      String example = Files.readString(EXAMPLES.resolve(name + ".yaml"));
      assertThat(Files.readString(Path.of("../docs/tasks/" + name + ".md")))
          .as("docs/tasks/%s.md", name)
          .contains("```yaml\n" + example + "```");
    }
  }

  /** A group runs in the engine, not task by task: this example runs as `weir run` runs it. */
  @Test
  void forEach_example() throws Exception {
    try (var fx = new dev.weir.testing.EngineFixture(dir)) {
      Path file = dir.resolve("forEach.yaml");
      var run =
          fx.engine
              .start(fx.parse(file), file, Map.of(), "manual")
              .await(java.time.Duration.ofSeconds(60));
      assertThat(run.state())
          .as(String.valueOf(run.error()))
          .isEqualTo(dev.weir.store.RunState.SUCCEEDED);
      var tasks = fx.latest(run.id());
      assertThat(tasks.get("per_day[2024-03-02]/day_orders").rows()).isEqualTo(2);
      assertThat(fx.logs(run.id()))
          .extracting(dev.weir.store.LogLine::message)
          .contains("2024-03-01: 2 orders", "2024-03-04: 3 orders", "5 days done");
    }
  }

  @Test
  void noop_example() throws Exception {
    Run run = run("noop.yaml");
    assertThat(run.context().log())
        .containsExactly(
            "INFO left branch done", "INFO right branch done", "INFO both branches finished");
  }

  @Test
  void log_example() throws Exception {
    assertThat(run("log.yaml").context().log())
        .containsExactly(
            "INFO Starting the nightly load",
            "WARN The source system is in maintenance mode until 06:00");
  }

  @Test
  void shell_example() throws Exception {
    assertThat(run("shell.yaml").context().log()).first().isEqualTo("INFO hello from data");
  }

  @Test
  void file_read_example() throws Exception {
    Run run = run("file.read.yaml");
    assertThat(run.results().get("orders").outputs())
        .containsEntry("rows", 11L)
        .containsEntry("rejected", 1L);
  }

  @Test
  void sql_transform_example() throws Exception {
    Run run = run("sql.transform.yaml");
    assertThat(run.results().get("revenue_by_country").rows()).isEqualTo(4);
  }

  @Test
  void sql_models_example_builds_the_selected_models_and_runs_their_tests() throws Exception {
    Run run = run("sql.models.yaml");
    assertThat(run.results().get("models").outputs())
        .containsEntry("models", 5L) // both marts and the three staging views they read
        .containsEntry("seeds", 3L)
        .containsEntry("failed", 0L);
    assertThat(run.context().checks()).isNotEmpty().allMatch(c -> c.passed());
    try (var c =
            java.sql.DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("out/lake.duckdb"));
        var rs = c.createStatement().executeQuery("select count(*) from analytics.customers")) {
      rs.next();
      assertThat(rs.getLong(1)).isEqualTo(10);
    }
  }

  @Test
  void quality_check_example() throws Exception {
    Run run = run("quality.check.yaml");
    assertThat(run.results().get("check_orders").outputs()).containsEntry("failed", 2);
    assertThat(run.context().log())
        .filteredOn(line -> line.startsWith("WARN quality check"))
        .satisfiesExactly(
            freshness ->
                assertThat(freshness)
                    .startsWith(
                        "WARN quality check freshness(ordered_on, maxAge=2d) on 'orders' failed:"
                            + " newest ordered_on is 2024-03-05T00:00:00Z"),
            expression ->
                assertThat(expression).startsWith("WARN quality check expression(ordered_on"));
    assertThat(run.context().checks())
        .filteredOn(c -> c.kind().equals("anomaly"))
        .singleElement()
        .satisfies(c -> assertThat(c.detail()).contains("no successful runs to compare with"));
  }

  @Test
  void file_write_example() throws Exception {
    run("file.write.yaml");
    assertThat(Files.readAllLines(dir.resolve("out/shipped_orders.csv")))
        .hasSize(7)
        .startsWith("order_id,customer_id,amount", "2,11,12.50");
  }

  private static String shopUrl;

  /** The example's `shop` database: a PostgreSQL schema with a few orders. */
  private static dev.weir.testing.RestartablePostgres cdcPg;

  /** A PostgreSQL with logical decoding holding the cdc.postgres example's tables. */
  private static synchronized String cdcShop() throws Exception {
    if (cdcPg == null) {
      cdcPg = dev.weir.testing.RestartablePostgres.startLogical();
      try (var c = DriverManager.getConnection(cdcPg.url())) {
        c.createStatement()
            .execute(
                "CREATE TABLE orders (id int PRIMARY KEY, customer_id int, amount numeric(10,2));"
                    + " CREATE TABLE customers (id int PRIMARY KEY, email text, ssn text);"
                    + " INSERT INTO orders SELECT g, g % 2, g * 1.5 FROM generate_series(1, 4) g;"
                    + " INSERT INTO customers VALUES (0, 'ann@example.com', '123-45-6789'),"
                    + " (1, 'bob@example.com', '987-65-4321')");
      }
    }
    return cdcPg.url();
  }

  @Test
  void cdc_postgres_example_copies_the_tables_then_streams_deletes_as_soft_deletes()
      throws Exception {
    Run first = run("cdc.postgres.yaml", Map.of(), Map.of("PII_SALT", "pepper"));
    assertThat(first.results().get("orders_cdc").outputs())
        .containsEntry("snapshotRows", 6L)
        .containsEntry("stopped", "caught up");
    try (var c = DriverManager.getConnection(cdcPg.url())) {
      c.createStatement().execute("DELETE FROM orders WHERE id = 4");
    }
    Run again = run("cdc.postgres.yaml", Map.of(), Map.of("PII_SALT", "pepper"));
    assertThat(again.results().get("orders_cdc").outputs()).containsEntry("deletes", 1L);
    String lake = "jdbc:duckdb:" + dir.resolve("out/lake.duckdb");
    try (var c = DriverManager.getConnection(lake);
        ResultSet rs =
            c.createStatement().executeQuery("SELECT id FROM orders WHERE _deleted ORDER BY id")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getInt(1)).isEqualTo(4);
      assertThat(rs.next()).isFalse();
    }
    try (var c = DriverManager.getConnection(lake);
        ResultSet rs = c.createStatement().executeQuery("SELECT * FROM customers ORDER BY id")) {
      assertThat(rs.getMetaData().getColumnCount()).isEqualTo(4); // id, email, _deleted(_at)
      while (rs.next()) {
        assertThat(rs.getString("email")).hasSize(64).doesNotContain("@"); // SHA-256 hex
      }
    }
  }

  @AfterAll
  static void stopCdcPostgres() throws Exception {
    if (cdcPg != null) {
      cdcPg.close();
    }
    if (cdcMaria != null) {
      cdcMaria.close();
    }
  }

  private static dev.weir.testing.BinlogMariaDb cdcMaria;

  /** A MariaDB with the binlog on holding the cdc.mysql example's database {@code shop}. */
  private static synchronized String cdcMariaDb() throws Exception {
    if (cdcMaria == null) {
      cdcMaria = dev.weir.testing.BinlogMariaDb.start();
      try (var c = DriverManager.getConnection(cdcMaria.url("mysql"));
          var st = c.createStatement()) {
        st.execute("CREATE DATABASE shop");
        st.execute(
            "CREATE TABLE shop.orders (id int PRIMARY KEY, customer_id int, amount"
                + " decimal(10,2))");
        st.execute(
            "CREATE TABLE shop.customers (id int PRIMARY KEY, email varchar(100), ssn"
                + " varchar(20))");
        st.execute("INSERT INTO shop.orders VALUES (1, 1, 1.5), (2, 0, 3), (3, 1, 4.5), (4, 0, 6)");
        st.execute(
            "INSERT INTO shop.customers VALUES (0, 'ann@example.com', '123-45-6789'), (1,"
                + " 'bob@example.com', '987-65-4321')");
      }
    }
    return cdcMaria.url("shop");
  }

  @Test
  void cdc_mysql_example_copies_the_tables_then_streams_deletes_as_soft_deletes() throws Exception {
    Run first = run("cdc.mysql.yaml", Map.of(), Map.of("PII_SALT", "pepper"));
    assertThat(first.results().get("orders_cdc").outputs())
        .containsEntry("snapshotRows", 6L)
        .containsEntry("stopped", "caught up");
    try (var c = DriverManager.getConnection(cdcMaria.url("shop"))) {
      c.createStatement().execute("DELETE FROM orders WHERE id = 4");
    }
    Run again = run("cdc.mysql.yaml", Map.of(), Map.of("PII_SALT", "pepper"));
    assertThat(again.results().get("orders_cdc").outputs()).containsEntry("deletes", 1L);
    String lake = "jdbc:duckdb:" + dir.resolve("out/lake.duckdb");
    try (var c = DriverManager.getConnection(lake);
        ResultSet rs =
            c.createStatement().executeQuery("SELECT id FROM orders WHERE _deleted ORDER BY id")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getInt(1)).isEqualTo(4);
      assertThat(rs.next()).isFalse();
    }
    try (var c = DriverManager.getConnection(lake);
        ResultSet rs = c.createStatement().executeQuery("SELECT * FROM customers ORDER BY id")) {
      assertThat(rs.getMetaData().getColumnCount()).isEqualTo(4); // id, email, _deleted(_at)
      while (rs.next()) {
        assertThat(rs.getString("email")).hasSize(64).doesNotContain("@"); // SHA-256 hex
      }
    }
  }

  private static synchronized String shop() throws Exception {
    if (shopUrl == null) {
      shopUrl = dev.weir.testing.TestDatabases.freshPostgresSchemaUrl();
      try (var c = DriverManager.getConnection(shopUrl)) {
        c.createStatement()
            .execute(
                "CREATE TABLE orders (id int PRIMARY KEY, customer_id int, status text,"
                    + " amount numeric(10,2), updated_at timestamp);"
                    + " INSERT INTO orders SELECT g, g % 3, CASE WHEN g = 2 THEN 'cancelled' ELSE"
                    + " 'paid' END, g * 1.5, timestamp '2026-11-01 10:00' + g * interval '1 minute'"
                    + " FROM generate_series(1, 6) g");
      }
    }
    return shopUrl;
  }

  @Test
  void jdbc_extract_example_reads_changed_rows_and_upserts_them() throws Exception {
    Run first = run("jdbc.extract.yaml");
    assertThat(first.results().get("changed_orders").outputs())
        .containsEntry("rows", 5L)
        .containsEntry("watermark", "2026-11-01T10:06:00.000000");
    assertThat(first.results().get("load_orders").outputs()).containsEntry("rows", 5L);
  }

  @Test
  void jdbc_query_example_rebuilds_a_day_of_the_mart_idempotently() throws Exception {
    run("jdbc.query.yaml");
    Run again = run("jdbc.query.yaml");
    assertThat(again.results().get("daily_revenue").outputs())
        .containsEntry("statements", 7)
        .containsEntry("rowsAffected", List.of(-1L, -1L, -1L, 3L, 3L, 2L, 2L));
    assertThat(again.results().get("revenue").dataset().rowCount()).isEqualTo(2);
    try (var c = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("out/warehouse.duckdb"));
        ResultSet rs =
            c.createStatement()
                .executeQuery(
                    "SELECT sum(revenue) FROM mart.daily_revenue WHERE region = 'north'")) {
      rs.next();
      assertThat(rs.getBigDecimal(1)).isEqualByComparingTo("200.00");
    }
  }

  @Test
  void python_example_totals_customers_with_the_standard_library() throws Exception {
    dev.weir.tasks.python.PythonInstalled.assume();
    Run run = run("python.yaml");
    assertThat(run.results().get("customer_totals").outputs()).containsEntry("customers", "4");
    var top = run.results().get("top_customers").dataset();
    try (var c = DriverManager.getConnection("jdbc:duckdb:");
        ResultSet rs =
            c.createStatement()
                .executeQuery(
                    "SELECT string_agg(customer_id::VARCHAR, ',' ORDER BY amount DESC) FROM"
                        + " read_parquet('"
                        + top.path()
                        + "')")) {
      rs.next();
      assertThat(rs.getString(1)).isEqualTo("11,13,10");
    }
  }

  @Test
  void jdbc_load_example_can_run_twice() throws Exception {
    run("jdbc.load.yaml");
    run("jdbc.load.yaml");
    try (var c = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("out/warehouse.duckdb"));
        ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM analytics.orders")) {
      rs.next();
      assertThat(rs.getLong(1)).isEqualTo(11);
    }
  }

  @Test
  void http_extract_example_pages_through_a_local_api() throws Exception {
    try (var api = new ExampleApi()) {
      Run run =
          run(
              "http.extract.yaml",
              Map.of("api", api.url() + "/api"),
              Map.of("SHOP_TOKEN", ExampleApi.TOKEN));
      TaskResult orders = run.results().get("orders_api");
      assertThat(orders.outputs())
          .containsEntry("rows", 5L)
          .containsEntry("pages", 3L)
          .containsEntry("requests", 3L);
      assertThat(orders.dataset().schema().stream().map(c -> c.name() + " " + c.type()))
          .containsExactly(
              "id BIGINT",
              "customer_id BIGINT",
              "amount DECIMAL(10,2)",
              "ordered_at TIMESTAMP",
              "tags JSON");
    }
  }

  @Test
  void notify_slack_example_posts_a_slack_message() throws Exception {
    try (var inbox = new Inbox()) {
      Run run = run("notify.slack.yaml", Map.of(), Map.of("SLACK_URL", inbox.url("/slack")));
      assertThat(run.results().get("tell_the_team").outputs()).containsEntry("status", 202);
      var msg = JSON.readTree(inbox.posts.get(0).body());
      assertThat(msg.path("text").asText())
          .isEqualTo("Nightly orders are in the warehouse :white_check_mark:");
      assertThat(msg.path("blocks").toString()).contains("test.test_flow").contains("run-1");
    }
  }

  @Test
  void notify_webhook_example_signs_its_json() throws Exception {
    try (var inbox = new Inbox()) {
      run("notify.webhook.yaml", Map.of("hook", inbox.url("/etl")), Map.of("HOOK_KEY", "k3y-123"));
      assertThat(inbox.posts).hasSize(2);
      Inbox.Post signed = inbox.posts.get(0);
      assertThat(
              new dev.weir.testing.StandardWebhooksVerifier("k3y-123")
                  .refusal(
                      signed.header("webhook-id"),
                      signed.header("webhook-timestamp"),
                      signed.header("webhook-signature"),
                      signed.body(),
                      java.time.Instant.now()))
          .isNull();
      assertThat(JSON.readTree(signed.body()).path("detail").asText()).isEqualTo("orders loaded");
      Inbox.Post custom = inbox.posts.get(1);
      assertThat(custom.body()).isEqualTo("{\"dataset\":\"orders\",\"status\":\"ready\"}");
      assertThat(custom.header("X-Team")).isEqualTo("data");
      assertThat(custom.header("webhook-signature")).isNull();
    }
  }

  @Test
  void notify_pagerduty_example_triggers_and_resolves_one_incident() throws Exception {
    try (var inbox = new Inbox()) {
      run(
          "notify.pagerduty.yaml",
          Map.of("pagerduty", inbox.url("/v2/enqueue")),
          Map.of("PD_KEY", "rk"));
      var trigger = JSON.readTree(inbox.posts.get(0).body());
      var resolve = JSON.readTree(inbox.posts.get(1).body());
      assertThat(trigger.path("event_action").asText()).isEqualTo("trigger");
      assertThat(trigger.at("/payload/severity").asText()).isEqualTo("warning");
      assertThat(resolve.path("event_action").asText()).isEqualTo("resolve");
      assertThat(resolve.path("dedup_key").asText())
          .isEqualTo(trigger.path("dedup_key").asText())
          .isEqualTo("weir/test/test_flow");
    }
  }

  @Test
  void notify_email_example_sends_a_mail() throws Exception {
    int port;
    try (var s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    var mail =
        new com.icegreen.greenmail.util.GreenMail(
            new com.icegreen.greenmail.util.ServerSetup(port, "127.0.0.1", "smtp"));
    mail.start();
    try {
      mail.setUser("weir@example.com", "weir", "mail-pass");
      run(
          "notify.email.yaml",
          Map.of("smtpHost", "127.0.0.1", "smtpPort", String.valueOf(port)),
          Map.of("SMTP_PASSWORD", "mail-pass"));
      var received = mail.getReceivedMessages();
      assertThat(received).hasSize(1);
      assertThat(received[0].getSubject()).isEqualTo("Nightly orders loaded");
      assertThat(com.icegreen.greenmail.util.GreenMailUtil.getBody(received[0]))
          .contains("The nightly orders load finished.");
    } finally {
      mail.stop();
    }
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();

  @Test
  void s3_upload_example() throws Exception {
    Run run = run("s3.upload.yaml");
    assertThat(run.results().get("orders").outputs())
        .containsEntry("keys", List.of("raw/orders/2026-11-21.csv"));
    assertThat(run.results().get("all_data").outputs())
        .containsEntry(
            "keys", List.of("raw/2026-11-21/customers.csv", "raw/2026-11-21/orders.csv"));
  }

  @Test
  void s3_download_example() throws Exception {
    run("s3.download.yaml");
    Path orders = EXAMPLES.resolve("data/orders.csv");
    assertThat(Files.mismatch(orders, dir.resolve("in/orders.csv"))).isEqualTo(-1);
    assertThat(Files.mismatch(orders, dir.resolve("in/2026-11-21/orders.csv"))).isEqualTo(-1);
    assertThat(dir.resolve("in/2026-11-21/customers.csv")).exists();
  }

  @Test
  void s3_list_example() throws Exception {
    Run run = run("s3.list.yaml");
    assertThat(run.results().get("exported").outputs()).containsEntry("count", 2);
    assertThat(run.results().get("summary").rows()).isEqualTo(1);
  }

  @Test
  void s3_delete_example_can_run_twice() throws Exception {
    assertThat(run("s3.delete.yaml").results().get("cleanup").outputs()).containsEntry("count", 2);
    // the second run uploads again, deletes again
    assertThat(run("s3.delete.yaml").results().get("cleanup").outputs()).containsEntry("count", 2);
    assertThat(
            s3.blobStore()
                .list(
                    "lake",
                    org.jclouds.blobstore.options.ListContainerOptions.Builder.prefix("tmp/")
                        .recursive()))
        .isEmpty();
  }

  @Test
  void sftp_upload_example() throws Exception {
    Run run = run("sftp.upload.yaml");
    assertThat(run.results().get("orders").outputs())
        .containsEntry("paths", List.of("/incoming/orders-2026-11-21.csv"));
    assertThat(run.results().get("all_data").outputs())
        .containsEntry(
            "paths",
            List.of("/incoming/2026-11-21/customers.csv", "/incoming/2026-11-21/orders.csv"));
    Path orders = EXAMPLES.resolve("data/orders.csv");
    assertThat(Files.mismatch(orders, sftpRoot.resolve("incoming/orders-2026-11-21.csv")))
        .isEqualTo(-1);
  }

  @Test
  void sftp_download_example() throws Exception {
    run("sftp.download.yaml");
    Path orders = EXAMPLES.resolve("data/orders.csv");
    assertThat(Files.mismatch(orders, dir.resolve("in/orders.csv"))).isEqualTo(-1);
    assertThat(Files.mismatch(orders, dir.resolve("in/2026-11-21/orders.csv"))).isEqualTo(-1);
    assertThat(dir.resolve("in/2026-11-21/customers.csv")).exists();
  }

  @Test
  void sftp_list_example() throws Exception {
    Run run = run("sftp.list.yaml");
    assertThat(run.results().get("exported").outputs()).containsEntry("count", 2);
    assertThat(run.results().get("summary").rows()).isEqualTo(1);
  }

  @Test
  void sftp_delete_example_can_run_twice() throws Exception {
    assertThat(run("sftp.delete.yaml").results().get("cleanup").outputs())
        .containsEntry("count", 2);
    assertThat(run("sftp.delete.yaml").results().get("cleanup").outputs())
        .containsEntry("count", 2);
    assertThat(sftpRoot.resolve("tmp/run-1")).isEmptyDirectory();
  }

  /**
   * A subflow needs an engine and a store to start its child in: this example runs on a real one,
   * its child flow in examples/subflows/.
   */
  @Test
  void subflow_example_runs_its_child_and_reads_its_outputs() throws Exception {
    try (var fx = new dev.weir.testing.EngineFixture(dir)) {
      Path file = dir.resolve("subflow.yaml");
      var run =
          fx.engine
              .start(fx.parse(file), file, Map.of(), "manual")
              .await(java.time.Duration.ofSeconds(60));
      assertThat(run.state()).as(run.error()).isEqualTo(dev.weir.store.RunState.SUCCEEDED);
      String child = fx.store.children(run.id(), "read").get(0).runId();
      assertThat(fx.logs(child)).anyMatch(l -> l.message().equals("read the orders of 2024-03-01"));
      assertThat(fx.logs(run.id()))
          .anyMatch(
              l -> l.message().equals("child run " + child + " ended SUCCEEDED with 11 orders"));
    }
  }

  @Test
  void wait_sql_example_finds_the_days_load() throws Exception {
    Run run = run("wait.sql.yaml");
    assertThat(((Number) run.results().get("orders_loaded").outputs().get("value")).longValue())
        .isEqualTo(1204);
  }

  @Test
  void wait_file_example_finds_the_file_at_once() throws Exception {
    Run run = run("wait.file.yaml");
    assertThat(run.results().get("orders_arrived").outputs())
        .containsEntry("count", 1)
        .containsEntry("files", List.of(dir.resolve("data/orders.csv").toString()));
  }

  @Test
  void wait_http_example_sees_the_export_ready() throws Exception {
    try (var api = new ExampleApi()) {
      Run run =
          run(
              "wait.http.yaml",
              Map.of("api", api.url() + "/api"),
              Map.of("SHOP_TOKEN", ExampleApi.TOKEN));
      assertThat(run.results().get("export_ready").outputs())
          .containsEntry("status", 200)
          .containsEntry("value", "ready");
      assertThatThrownBy(() ->
              run(
                  "wait.http.yaml",
                  Map.of("api", api.url() + "/api", "day", "2026-11-21"),
                  Map.of("SHOP_TOKEN", ExampleApi.TOKEN)))
          .isInstanceOf(dev.weir.task.Reschedule.class);
    }
  }

  @Test
  void examples_directory_holds_only_known_examples() throws Exception {
    try (Stream<Path> files = Files.list(EXAMPLES)) {
      List<String> yaml =
          files
              .map(p -> p.getFileName().toString())
              .filter(n -> n.endsWith(".yaml") && !n.equals(ProjectConfig.FILE_NAME))
              .toList();
      assertThat(yaml).hasSameSizeAs(builtinNames());
    }
  }

  /** Built-in types only: the core test jar on the class path adds {@code test.*} types. */
  private java.util.Set<String> builtinNames() {
    var names = new java.util.TreeSet<>(registry.names());
    names.removeIf(n -> n.startsWith("test."));
    return names;
  }
}
