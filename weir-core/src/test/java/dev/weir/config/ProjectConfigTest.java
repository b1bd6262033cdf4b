package dev.weir.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.WeirException;
import dev.weir.flow.FlowDefinitionException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProjectConfigTest {
  @TempDir Path dir;

  private ProjectConfig load(String yaml) throws Exception {
    Path f = dir.resolve("weir.yaml");
    Files.writeString(f, yaml);
    return ProjectConfig.load(f);
  }

  @Test
  void jdbc_connection_renders_its_templates_and_hides_the_password() throws Exception {
    ProjectConfig config =
        load(
            """
            connections:
              src:
                url: jdbc:postgresql://db/shop
                user: etl
                password: "{{ secret('PW') }}"
                poolSize: 3
                properties: {ssl: "true"}
            """);
    ConnectionConfig c = config.connection("src", t -> t.replace("{{ secret('PW') }}", "hunter2"));
    assertThat(c.isJdbc()).isTrue();
    assertThat(c.password()).isEqualTo("hunter2");
    assertThat(c.poolSize()).isEqualTo(3);
    assertThat(c.properties()).containsEntry("ssl", "true");
    assertThat(c.toString()).doesNotContain("hunter2").contains("password=******");
  }

  @Test
  void s3_connection_keeps_its_settings_and_hides_the_keys() throws Exception {
    ProjectConfig config =
        load(
            """
            connections:
              lake:
                type: s3
                endpoint: http://127.0.0.1:9000
                region: eu-central-1
                pathStyle: true
                accessKey: AKIAEXAMPLE
                secretKey: s3cr3t
            """);
    ConnectionConfig c = config.connection("lake", t -> t);
    assertThat(c.isJdbc()).isFalse();
    assertThat(c.setting("endpoint", null)).isEqualTo("http://127.0.0.1:9000");
    assertThat(c.setting("pathStyle", "false")).isEqualTo("true");
    assertThat(c.toString()).doesNotContain("s3cr3t").doesNotContain("AKIAEXAMPLE");
  }

  @Test
  void sftp_connection_keeps_its_settings_and_hides_its_credentials() throws Exception {
    ProjectConfig config =
        load(
            """
            connections:
              partner:
                type: sftp
                host: files.partner.example
                port: 2222
                user: weir
                password: pa55-word
                privateKey: "-----BEGIN OPENSSH PRIVATE KEY-----KEYTEXT"
                passphrase: phrase-1
                knownHosts: "[files.partner.example]:2222 ssh-ed25519 AAAA"
                strictHostKeyChecking: true
            """);
    ConnectionConfig c = config.connection("partner", t -> t);
    assertThat(c.type()).isEqualTo(ConnectionConfig.SFTP);
    assertThat(c.setting("host", null)).isEqualTo("files.partner.example");
    assertThat(c.setting("port", null)).isEqualTo("2222");
    assertThat(c.user()).isEqualTo("weir");
    assertThat(c.toString())
        .contains("host=files.partner.example", "user=weir")
        .doesNotContain("pa55-word")
        .doesNotContain("KEYTEXT")
        .doesNotContain("phrase-1");
  }

  @Test
  void an_sftp_connection_needs_host_and_user_and_knows_its_keys() {
    assertThatThrownBy(() ->
            load(
                """
                connections:
                  a:
                    type: sftp
                    user: weir
                  b:
                    type: sftp
                    host: h
                    user: weir
                    knownhosts: x
                """))
        .isInstanceOf(FlowDefinitionException.class)
        .hasMessageContaining("connections.a: an sftp connection needs a host and a user")
        .hasMessageContaining("unknown property 'knownhosts' for a sftp connection; did you mean");
  }

  @Test
  void every_problem_is_reported_with_its_place() throws Exception {
    assertThatThrownBy(() ->
            load(
                """
                connections:
                  a:
                    user: etl
                  b:
                    url: jdbc:h2:mem:x
                    poolsize: 3
                  c:
                    url: jdbc:h2:mem:x
                    poolSize: zero
                  d:
                    type: ftp
                """))
        .isInstanceOf(FlowDefinitionException.class)
        .hasMessageContaining("connections.a: a connection needs at least a url")
        .hasMessageContaining("unknown property 'poolsize' for a jdbc connection; did you mean")
        .hasMessageContaining("poolSize must be a whole number of at least 1")
        .hasMessageContaining("unknown connection type 'ftp'");
  }

  @Test
  void broker_connections_keep_their_settings_and_hide_their_secrets() throws Exception {
    ProjectConfig config =
        load(
            """
            connections:
              events: {type: rabbitmq, url: 'amqp://127.0.0.1:5672/%2f', user: guest, password: pw1}
              bus: {type: nats, url: 'nats://127.0.0.1:4222', token: tok1}
              iot: {type: mqtt, url: 'tcp://127.0.0.1:1883', clientId: weir-1}
              stream:
                type: kafka
                bootstrapServers: 127.0.0.1:9092
                properties: {acks: all}
            """);
    ConnectionConfig rabbit = config.connection("events", s -> s);
    assertThat(rabbit.type()).isEqualTo("rabbitmq");
    assertThat(rabbit.url()).isEqualTo("amqp://127.0.0.1:5672/%2f");
    assertThat(rabbit.toString()).doesNotContain("pw1");
    assertThat(config.connection("bus", s -> s).toString()).doesNotContain("tok1");
    assertThat(config.connection("iot", s -> s).setting("clientId", null)).isEqualTo("weir-1");
    ConnectionConfig kafka = config.connection("stream", s -> s);
    assertThat(kafka.setting("bootstrapServers", null)).isEqualTo("127.0.0.1:9092");
    assertThat(kafka.properties()).containsEntry("acks", "all");
    assertThat(kafka.settings()).doesNotContainKey("properties");
  }

  @Test
  void a_broker_connection_without_its_address_is_refused_with_an_example() {
    assertThatThrownBy(() ->
            load(
                """
                connections:
                  events: {type: rabbitmq, user: guest}
                  stream: {type: kafka, url: 'x'}
                  bus: {type: natz, url: 'nats://h'}
                """))
        .isInstanceOf(FlowDefinitionException.class)
        .hasMessageContaining(
            "connections.events: a rabbitmq connection needs url, e.g. `url:"
                + " amqp://127.0.0.1:5672/%2f`")
        .hasMessageContaining("connections.stream: a kafka connection needs bootstrapServers")
        .hasMessageContaining("unknown connection type 'natz'; did you mean 'nats'");
  }

  @Test
  void unknown_name_lists_the_known_ones() throws Exception {
    ProjectConfig config = load("connections:\n  warehouse: {url: 'jdbc:duckdb:w.duckdb'}\n");
    assertThatThrownBy(() -> config.connection("warehous", t -> t))
        .isInstanceOf(WeirException.class)
        .hasMessageContaining("unknown connection 'warehous'")
        .hasMessageContaining("did you mean 'warehouse'")
        .hasMessageContaining("(known: warehouse)");
  }

  @Test
  void staging_retention_defaults_to_seven_days_keeping_failed_runs() throws Exception {
    assertThat(load("connections: {}\n").staging())
        .isEqualTo(new dev.weir.staging.StagingPolicy(java.time.Duration.ofDays(7), true));
    assertThat(load("staging: {retention: 12h, keepFailed: false}\n").staging())
        .isEqualTo(new dev.weir.staging.StagingPolicy(java.time.Duration.ofHours(12), false));
  }

  @Test
  void bad_staging_settings_are_reported_with_their_line_and_the_fix() {
    assertThatThrownBy(() ->
            load("staging:\n  retention: a week\n  keepFailed: yes please\n  keepFaild: true\n"))
        .isInstanceOf(FlowDefinitionException.class)
        .hasMessageContaining(
            "weir.yaml:2:3 staging.retention: 'a week' is not a duration; use e.g. `retention:"
                + " 7d` (30s, 5m, 2h, 1d or PT5M), or 0s to delete a run's staging as soon as it"
                + " can't be reused")
        .hasMessageContaining(
            "weir.yaml:3:3 staging.keepFailed: expected true or false, got 'yes please'")
        .hasMessageContaining(
            "weir.yaml:4:3 staging.keepFaild: unknown property 'keepFaild'; did you mean 'keepFailed'?"
                + " (known: retention, keepFailed)");
  }
}
