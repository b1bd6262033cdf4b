package dev.weir.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import dev.weir.WeirException;
import dev.weir.expr.Masker;
import dev.weir.expr.Secrets;
import dev.weir.store.StoreAddress;
import dev.weir.testing.TestDatabases;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The server config's {@code db} with its password in a secret: read as a flow's {@code secret()}
 * is, and never shown in logs, errors or the options' text.
 */
class StoreSecretTest {
  static final String PASSWORD = "s3cr3t-Store-Pass-4711";
  static final String TEMPLATE = "{{ secret('STORE_PASSWORD') }}";

  @TempDir Path dir;
  final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  final Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
  Level level;

  @BeforeEach
  void listen() {
    logs.start();
    root.addAppender(logs);
    level = root.getLevel();
    root.setLevel(Level.DEBUG); // HikariCP, the drivers and the server say most at this level
  }

  @AfterEach
  void stopListening() {
    root.detachAppender(logs);
    root.setLevel(level);
  }

  @Test
  void the_config_files_db_mapping_takes_its_password_from_a_secret() throws Exception {
    Path cfg =
        Files.writeString(
            dir.resolve("server.yaml"),
            """
            db:
              url: jdbc:postgresql://db:5432/weir
              user: weir
              password: "{{ secret('STORE_PASSWORD') }}"
            """);

    StoreAddress db = ServerConfigFile.load(cfg).db();

    assertThat(db).isEqualTo(new StoreAddress("jdbc:postgresql://db:5432/weir", "weir", TEMPLATE));
    var fromEnv = new Secrets(Map.of("WEIR_SECRET_STORE_PASSWORD", PASSWORD), null, new Masker());
    assertThat(db.resolve(fromEnv, "db").password()).isEqualTo(PASSWORD);
    // or from a file of the secrets directory (a mounted Kubernetes or Docker secret)
    Path secrets = Files.createDirectories(dir.resolve("secrets"));
    Files.writeString(secrets.resolve("STORE_PASSWORD"), PASSWORD + "\n");
    assertThat(db.resolve(new Secrets(Map.of(), secrets, new Masker()), "db").password())
        .isEqualTo(PASSWORD);
    assertThat(db.resolve(fromEnv, "db").toString())
        .isEqualTo("jdbc:postgresql://db:5432/weir as weir with a password");
    // a plain URL still works
    Path plain = Files.writeString(dir.resolve("plain.yaml"), "db: jdbc:h2:mem:x\n");
    assertThat(ServerConfigFile.load(plain).db()).isEqualTo(StoreAddress.of("jdbc:h2:mem:x"));
  }

  @Test
  void a_wrong_db_entry_fails_start_up_naming_every_problem() throws Exception {
    Path cfg = Files.writeString(dir.resolve("server.yaml"), "db: {usr: weir, password: pw}\n");

    assertThatThrownBy(() -> ServerConfigFile.load(cfg))
        .isInstanceOf(WeirException.class)
        .hasMessageContaining("unknown key 'db.usr'; did you mean 'user'")
        .hasMessageContaining("db needs a url; e.g. `db: jdbc:postgresql://db/weir?user=weir`");
    Path list = Files.writeString(dir.resolve("list.yaml"), "db: [a, b]\n");
    assertThatThrownBy(() -> ServerConfigFile.load(list))
        .hasMessageContaining("db must be a JDBC URL or a mapping of url, user and password");
    Path number =
        Files.writeString(dir.resolve("number.yaml"), "db: {url: jdbc:h2:mem:x, password: 5}\n");
    assertThatThrownBy(() -> ServerConfigFile.load(number))
        .hasMessageContaining("db.password must be text");
  }

  @Test
  void a_secret_that_is_not_set_says_where_to_set_it() {
    var db = new StoreAddress("jdbc:postgresql://db/weir", "weir", TEMPLATE);
    var none = new Secrets(Map.of(), dir.resolve("secrets"), new Masker());

    assertThatThrownBy(() -> db.resolve(none, "the state store (db)"))
        .isInstanceOf(WeirException.class)
        .hasMessageContaining("the state store (db) (password): ")
        .hasMessageContaining("secret 'STORE_PASSWORD' is not set")
        .hasMessageContaining("WEIR_SECRET_STORE_PASSWORD")
        .hasMessageContaining(dir.resolve("secrets/STORE_PASSWORD").toString());
  }

  @Test
  void a_server_on_postgresql_with_its_password_in_a_secret_never_shows_it() throws Exception {
    String url = TestDatabases.freshPostgresSchemaUrl();
    var fixture = new ServerFixture(dir);
    var options =
        fixture
            .options()
            .withStore(new StoreAddress(url, null, TEMPLATE))
            .withEnvironment(Map.of("WEIR_SECRET_STORE_PASSWORD", PASSWORD), null);
    assertThat(options.store().toString()).doesNotContain(PASSWORD);

    try (var server = fixture.start(options)) {
      assertThat(server.get("/flows").status()).isEqualTo(200);
    }

    assertThat(logged()).isNotEmpty().doesNotContain(PASSWORD);
  }

  @Test
  void a_store_that_cannot_be_reached_fails_start_up_without_showing_the_password()
      throws Exception {
    var fixture = new ServerFixture(dir);
    var options =
        fixture
            .options()
            .withStore(new StoreAddress("jdbc:postgresql://127.0.0.1:1/weir", "weir", TEMPLATE))
            .withEnvironment(Map.of("WEIR_SECRET_STORE_PASSWORD", PASSWORD), null);

    Throwable failure = catchStart(fixture, options);

    assertThat(failure).hasMessageContaining("127.0.0.1:1");
    assertThat(trace(failure)).doesNotContain(PASSWORD);
    assertThat(logged()).doesNotContain(PASSWORD);
  }

  @Test
  void a_store_that_refuses_the_password_fails_without_showing_it() throws Exception {
    // MariaDB's root has no password here: one given is refused
    String url = TestDatabases.freshMysqlDatabaseUrl();
    var fixture = new ServerFixture(dir);
    var options =
        fixture
            .options()
            .withStore(new StoreAddress(url, "root", TEMPLATE))
            .withEnvironment(Map.of("WEIR_SECRET_STORE_PASSWORD", PASSWORD), null);

    Throwable failure = catchStart(fixture, options);

    assertThat(failure).hasMessageContaining("refused the credentials");
    assertThat(trace(failure)).doesNotContain(PASSWORD);
    assertThat(logged()).doesNotContain(PASSWORD);
  }

  private static Throwable catchStart(ServerFixture fixture, ServerOptions options) {
    try (var started = fixture.start(options)) {
      throw new AssertionError("the server started");
    } catch (RuntimeException e) {
      return e;
    }
  }

  private static String trace(Throwable t) {
    var out = new StringWriter();
    t.printStackTrace(new PrintWriter(out));
    return out.toString();
  }

  private String logged() {
    return logs.list.stream()
        .map(e ->
            e.getFormattedMessage()
                + (e.getThrowableProxy() == null
                    ? ""
                    : "\n" + ThrowableProxyUtil.asString(e.getThrowableProxy())))
        .collect(Collectors.joining("\n"));
  }
}
