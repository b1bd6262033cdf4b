package dev.weir.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.server.ServerOptions;
import dev.weir.store.StoreAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The server's and the store's options from the environment: the flag, then the variable, then the
 * server config file, then the default.
 */
class EnvironmentConfigTest {
  static final String PASSWORD = "s3cr3t-Store-Pass-4711";

  @TempDir Path dir;

  @Test
  void every_server_option_can_come_from_the_environment() throws Exception {
    var o =
        options(
            Map.of(
                "WEIR_PORT", "9123",
                "WEIR_HOST", "0.0.0.0",
                "WEIR_DB", "jdbc:postgresql://db/weir?user=weir",
                "WEIR_FLOWS", "flows",
                "WEIR_API_TOKENS", "one-token-0123456789, two-token-0123456789"));

    assertThat(o.port()).isEqualTo(9123);
    assertThat(o.host()).isEqualTo("0.0.0.0");
    assertThat(o.store()).isEqualTo(StoreAddress.of("jdbc:postgresql://db/weir?user=weir"));
    assertThat(o.flowsDir()).isEqualTo(dir.resolve("flows")); // relative to where it started
    assertThat(o.tokens()).containsExactly("one-token-0123456789", "two-token-0123456789");
  }

  @Test
  void a_flag_beats_the_environment_which_beats_the_config_file_which_beats_the_default()
      throws Exception {
    Files.writeString(
        dir.resolve("server.yaml"),
        """
        host: 10.0.0.1
        port: 7000
        db: jdbc:h2:mem:from-the-file
        """);
    var env = Map.of("WEIR_CONFIG", "server.yaml", "WEIR_PORT", "8000");

    var o = options(env, "--host", "127.0.0.2");
    assertThat(o.host()).isEqualTo("127.0.0.2"); // flag over file
    assertThat(o.port()).isEqualTo(8000); // environment over file
    assertThat(o.store().url()).isEqualTo("jdbc:h2:mem:from-the-file"); // file over default

    assertThat(options(env, "--port", "8001").port()).isEqualTo(8001); // flag over environment
    assertThat(options(Map.of("WEIR_CONFIG", "server.yaml")).port()).isEqualTo(7000);
    assertThat(options(Map.of()).port()).isEqualTo(8080);
    assertThat(options(Map.of()).store()).isNull(); // H2 in the home
    // a blank variable counts as unset
    assertThat(options(Map.of("WEIR_PORT", " ", "WEIR_HOST", "")).port()).isEqualTo(8080);
    assertThat(options(Map.of("WEIR_PORT", " ", "WEIR_HOST", "")).host()).isEqualTo("127.0.0.1");
  }

  @Test
  void a_bad_value_in_a_variable_is_reported_as_the_flags_would_be() {
    var r = Cli.run(where(Map.of("WEIR_PORT", "eighty")), "server");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--port").contains("'eighty'");

    var json = Cli.run(where(Map.of("WEIR_LOG_FORMAT", "xml")), "server");
    assertThat(json.exit()).isNotZero();
    assertThat(json.err()).contains("--log-format (or WEIR_LOG_FORMAT) must be text or json");

    var config = Cli.run(where(Map.of("WEIR_CONFIG", "missing.yaml")), "server");
    assertThat(config.exit()).isNotZero();
    assertThat(config.err()).contains("cannot read server config " + dir.resolve("missing.yaml"));
  }

  @Test
  void every_command_keeps_its_state_where_WEIR_DB_says_with_secrets_in_it() {
    String url =
        "jdbc:postgresql://127.0.0.1:1/weir?user=weir&password={{ secret('STORE_PASSWORD') }}";
    var env = Map.of("WEIR_DB", url, "WEIR_SECRET_STORE_PASSWORD", PASSWORD);

    var r = Cli.run(where(env), "runs", "list");

    assertThat(r.exit()).isNotZero();
    assertThat(r.err()).contains("127.0.0.1:1").doesNotContain(PASSWORD);
    assertThat(r.out()).doesNotContain(PASSWORD);

    var unset = Cli.run(where(Map.of("WEIR_DB", url)), "runs", "list");
    assertThat(unset.exit()).isNotZero();
    assertThat(unset.err())
        .contains("the state store (--db or WEIR_DB) (url): ")
        .contains("secret 'STORE_PASSWORD' is not set")
        .contains("WEIR_SECRET_STORE_PASSWORD");
  }

  private Surroundings where(Map<String, String> vars) {
    var env = new HashMap<>(Cli.ISOLATED.env());
    env.keySet().removeIf(k -> k.startsWith("WEIR_"));
    env.putAll(vars);
    return Cli.at(dir, dir, env);
  }

  /** The options `weir server ARGS` would start with, in these surroundings. */
  private ServerOptions options(Map<String, String> vars, String... args) {
    String[] line = new String[args.length + 1];
    line[0] = "server";
    System.arraycopy(args, 0, line, 1, args.length);
    CommandLine cl = CommandTree.build(where(vars), line);
    cl.parseArgs(line);
    ServerCommand server = cl.getSubcommands().get("server").getCommand();
    return server.options();
  }
}
