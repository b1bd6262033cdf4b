package dev.weir.server.triggers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.server.ServerFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file trigger on an SFTP server: Apache MINA SSHD in this JVM, serving a temp directory. */
class SftpFileTriggerTest {
  static final String PASSWORD = "trigger-Pa55";

  @TempDir Path dir;
  @TempDir Path remote;
  ServerFixture fx;
  SshServer sshd;
  String knownHosts;

  @BeforeEach
  void sftp() throws Exception {
    KeyPair host = KeyUtils.generateKeyPair(KeyPairProvider.ECDSA_SHA2_NISTP256, 256);
    sshd = SshServer.setUpDefaultServer();
    sshd.setHost("127.0.0.1");
    sshd.setPort(0);
    sshd.setKeyPairProvider(KeyPairProvider.wrap(host));
    sshd.setFileSystemFactory(new VirtualFileSystemFactory(remote));
    sshd.setPasswordAuthenticator((u, p, s) -> "weir".equals(u) && PASSWORD.equals(p));
    sshd.setSubsystemFactories(List.of(new SftpSubsystemFactory()));
    sshd.start();
    knownHosts = "[127.0.0.1]:" + sshd.getPort() + " " + PublicKeyEntry.toString(host.getPublic());
    fx = new ServerFixture(dir);
  }

  @AfterEach
  void stop() throws Exception {
    fx.close();
    sshd.stop(true);
  }

  void put(String path, String text) throws Exception {
    Path p = remote.resolve(path);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
  }

  @Test
  void a_new_file_fires_once_and_is_moved_after_success() throws Exception {
    Files.writeString(
        fx.flowsDir.resolve("weir.yaml"),
        """
        connections:
          partner:
            type: sftp
            host: 127.0.0.1
            port: %d
            user: weir
            password: "{{ secret('PARTNER_PASSWORD') }}"
            knownHosts: "%s"
        """
            .formatted(sshd.getPort(), knownHosts));
    fx.writeFlow(
        "partner/orders.yaml",
        """
        id: orders
        namespace: partner
        tasks:
          - id: read
            type: test.ok
            values: {path: "{{ trigger.path }}", size: "{{ trigger.size }}"}
        triggers:
          - id: drop
            type: file
            path: sftp://partner/outgoing/*.csv
            interval: 1h
            onProcessed: move
            moveTo: sftp://partner/outgoing/done/
        """);
    TriggerServer.start(fx, Map.of("WEIR_SECRET_PARTNER_PASSWORD", PASSWORD));
    var files = fx.server.triggers().files();
    files.pollAll();
    put("outgoing/a.csv", "id\n1\n");
    put("outgoing/notes.txt", "not a csv");

    assertThat(files.pollAll()).as("first seen now: not settled yet").isZero();
    assertThat(files.pollAll()).isEqualTo(1);
    assertThat(files.pollAll()).isZero();

    var run = TriggerServer.awaitRuns(fx, "partner/orders", 1).get(0);
    assertThat(run.path("state").asText()).isEqualTo("SUCCEEDED");
    var out = TriggerServer.outputs(run, "read");
    assertThat(out.path("path").asText()).isEqualTo("sftp://partner/outgoing/a.csv");
    assertThat(out.path("size").asText()).isEqualTo("5");
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(() ->
            Files.exists(remote.resolve("outgoing/done/a.csv"))
                && !Files.exists(remote.resolve("outgoing/a.csv")));
    assertThat(remote.resolve("outgoing/notes.txt")).exists();
    // the moved file is not seen again
    assertThat(files.pollAll()).isZero();
  }

  @Test
  void a_wrong_host_key_fires_nothing() throws Exception {
    KeyPair other = KeyUtils.generateKeyPair(KeyPairProvider.ECDSA_SHA2_NISTP256, 256);
    Files.writeString(
        fx.flowsDir.resolve("weir.yaml"),
        """
        connections:
          partner:
            type: sftp
            host: 127.0.0.1
            port: %d
            user: weir
            password: "{{ secret('PARTNER_PASSWORD') }}"
            knownHosts: "[127.0.0.1]:%d %s"
        """
            .formatted(sshd.getPort(), sshd.getPort(), PublicKeyEntry.toString(other.getPublic())));
    fx.writeFlow(
        "partner/orders.yaml",
        """
        id: orders
        namespace: partner
        tasks:
          - id: read
            type: test.ok
        triggers:
          - id: drop
            type: file
            path: sftp://partner/outgoing/*.csv
            interval: 1h
        """);
    TriggerServer.start(fx, Map.of("WEIR_SECRET_PARTNER_PASSWORD", PASSWORD));
    put("outgoing/a.csv", "id\n1\n");
    var files = fx.server.triggers().files();
    assertThat(files.pollAll()).isZero();
    assertThat(files.pollAll()).isZero();
  }
}
