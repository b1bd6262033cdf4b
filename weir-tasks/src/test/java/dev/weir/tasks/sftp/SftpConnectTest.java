package dev.weir.tasks.sftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.task.TaskFailedException;
import dev.weir.tasks.SftpTestServer;
import java.security.KeyPair;
import java.util.HashMap;
import java.util.Map;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.junit.jupiter.api.Test;

class SftpConnectTest extends SftpFixture {
  private static final String LIST = "{connection: partner, path: /}";

  private void connect(Map<String, String> settings) {
    ctx.connection(server.connection("partner", settings));
  }

  @Test
  void a_wrong_host_key_is_refused_and_the_message_says_how_to_fix_known_hosts() throws Exception {
    write(remote, "a.csv", "a");
    KeyPair other = KeyUtils.generateKeyPair(KeyPairProvider.ECDSA_SHA2_NISTP256, 256);
    connect(
        Map.of(
            "knownHosts",
            "[127.0.0.1]:" + server.port() + " " + PublicKeyEntry.toString(other.getPublic())));
    assertThatThrownBy(() -> ctx.run("list", new SftpListTask(), LIST))
        .isInstanceOfSatisfying(TaskFailedException.class, e -> assertThat(e.retryable()).isFalse())
        .hasMessageContaining("weir@127.0.0.1:" + server.port())
        .hasMessageContaining("is not the one knownHosts lists for [127.0.0.1]:" + server.port())
        .hasMessageContaining("confirm the new key with the server's administrator")
        .hasMessageNotContaining(SftpTestServer.PASSWORD);
  }

  @Test
  void a_host_missing_from_known_hosts_is_refused_with_the_keyscan_command() {
    connect(Map.of("knownHosts", "other.example " + server.knownHostsLine().split(" ", 2)[1]));
    assertThatThrownBy(() -> ctx.run("list", new SftpListTask(), LIST))
        .hasMessageContaining("knownHosts has no line for [127.0.0.1]:" + server.port())
        .hasMessageContaining("ssh-keyscan -p " + server.port() + " 127.0.0.1");
  }

  @Test
  void without_known_hosts_the_connection_is_refused_before_connecting() {
    var settings = new HashMap<String, String>();
    settings.put("knownHosts", null);
    connect(settings);
    assertThatThrownBy(() -> ctx.run("list", new SftpListTask(), LIST))
        .hasMessageContaining("has no knownHosts")
        .hasMessageContaining("strictHostKeyChecking");
    assertThat(server.passwordAttempts()).isZero();
  }

  @Test
  void known_hosts_may_be_a_file() throws Exception {
    write(dir, "known_hosts", "# partner\n" + server.knownHostsLine() + "\n");
    connect(Map.of("knownHosts", "known_hosts"));
    assertThat(ctx.run("list", new SftpListTask(), LIST).outputs()).containsEntry("count", 0);
  }

  @Test
  void host_key_checking_off_works_and_warns_loudly() throws Exception {
    var settings = new HashMap<String, String>();
    settings.put("knownHosts", null);
    settings.put("strictHostKeyChecking", "false");
    connect(settings);
    write(remote, "a.csv", "a");
    assertThat(ctx.run("list", new SftpListTask(), LIST).outputs()).containsEntry("count", 1);
    assertThat(ctx.log())
        .anyMatch(l -> l.startsWith("WARN !!! HOST KEY CHECKING IS OFF for connection 'partner'"));
  }

  @Test
  void a_wrong_password_fails_once_without_showing_the_password() {
    connect(Map.of("password", "wrong-Pa55word"));
    assertThatThrownBy(() -> ctx.run("list", new SftpListTask(), LIST))
        .isInstanceOfSatisfying(TaskFailedException.class, e -> assertThat(e.retryable()).isFalse())
        .hasMessageContaining("cannot log in to connection 'partner' (weir@127.0.0.1:")
        .hasMessageContaining("the server refused the password")
        .hasMessageNotContaining("wrong-Pa55word");
    assertThat(server.passwordAttempts()).isBetween(1, 3);
  }

  @Test
  void a_private_key_logs_in() throws Exception {
    var settings = new HashMap<String, String>();
    settings.put("password", null);
    settings.put("privateKey", server.privateKeyText());
    connect(settings);
    write(remote, "a.csv", "a");
    assertThat(ctx.run("list", new SftpListTask(), LIST).outputs()).containsEntry("count", 1);
    assertThat(server.passwordAttempts()).isZero();
  }

  @Test
  void an_encrypted_private_key_logs_in_with_its_passphrase_and_not_without() throws Exception {
    var settings = new HashMap<String, String>();
    settings.put("password", null);
    settings.put("privateKey", server.privateKeyText("key-Phrase-9"));
    settings.put("passphrase", "key-Phrase-9");
    connect(settings);
    write(remote, "a.csv", "a");
    assertThat(ctx.run("list", new SftpListTask(), LIST).outputs()).containsEntry("count", 1);

    settings.put("passphrase", "not-the-Phrase");
    connect(settings);
    assertThatThrownBy(() -> ctx.run("list", new SftpListTask(), LIST))
        .isInstanceOfSatisfying(TaskFailedException.class, e -> assertThat(e.retryable()).isFalse())
        .hasMessageContaining("the privateKey of connection 'partner'")
        .hasMessageContaining("its passphrase")
        .hasMessageNotContaining("not-the-Phrase");
  }

  @Test
  void a_broken_private_key_is_reported_without_its_text() {
    var settings = new HashMap<String, String>();
    settings.put("password", null);
    settings.put("privateKey", "-----BEGIN OPENSSH PRIVATE KEY-----\nbm90IGEga2V5\n-----END");
    connect(settings);
    assertThatThrownBy(() -> ctx.run("list", new SftpListTask(), LIST))
        .hasMessageContaining("the privateKey of connection 'partner'")
        .hasMessageNotContaining("bm90IGEga2V5");
  }

  @Test
  void an_unreachable_server_is_a_connection_failure() throws Exception {
    int port = server.port();
    server.close();
    assertThatThrownBy(() -> ctx.run("list", new SftpListTask(), LIST))
        .isInstanceOfSatisfying(TaskFailedException.class, e -> assertThat(e.retryable()).isTrue())
        .hasMessageContaining("could not reach the server")
        .hasMessageContaining("127.0.0.1:" + port);
  }
}
