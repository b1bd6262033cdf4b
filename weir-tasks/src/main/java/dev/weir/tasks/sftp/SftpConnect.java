package dev.weir.tasks.sftp;

import dev.weir.config.ConnectionConfig;
import dev.weir.task.TaskFailedException;
import dev.weir.task.TaskLogger;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.time.Duration;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;

/**
 * Reads a {@code type: sftp} connection of weir.yaml and logs in: host key checked against {@code
 * knownHosts} (unless {@code strictHostKeyChecking: false}, which the log warns about), then the
 * password or the private key. Failures name host, port, user and the fix, never a credential.
 */
final class SftpConnect {
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);

  /** What an open connection is made of; closing it closes the SFTP channel, session and client. */
  record Opened(SshClient ssh, ClientSession session, SftpClient sftp, String where)
      implements AutoCloseable {
    @Override
    public void close() {
      try {
        sftp.close();
      } catch (IOException | RuntimeException e) {
        // the session below is closed anyway
      }
      session.close(true);
      ssh.stop();
    }
  }

  private SftpConnect() {}

  /**
   * @param workDir what a relative knownHosts file path resolves against
   * @param logger where the warning about host key checking being off goes
   * @param mask masks secrets in text taken from the library
   */
  static Opened open(
      ConnectionConfig c,
      Path workDir,
      TaskLogger logger,
      UnaryOperator<String> mask,
      String task) {
    requireSftp(c);
    String host = c.setting("host", null);
    String user = c.setting("user", c.user());
    int port = port(c);
    String where = "connection '" + c.name() + "' (" + user + "@" + host + ":" + port + ")";
    String password = c.setting("password", null);
    String privateKey = c.setting("privateKey", null);
    if (host == null || user == null) {
      throw TaskFailedException.permanent(
          task
              + ": connection '"
              + c.name()
              + "' needs host and user, e.g. `host: files.example"
              + ".com` and `user: etl`");
    }
    if (password == null && privateKey == null) {
      throw TaskFailedException.permanent(
          task
              + ": "
              + where
              + " has neither password nor privateKey; add e.g. `password: \"{{"
              + " secret('PARTNER_SFTP_PASSWORD') }}\"` or `privateKey: \"{{"
              + " secret('PARTNER_SSH_KEY') }}\"` (the key's PEM/OpenSSH text)");
    }
    KnownHosts known = null;
    SshClient ssh = SshClient.setUpDefaultClient();
    if (Boolean.parseBoolean(c.setting("strictHostKeyChecking", "true"))) {
      String knownHosts = c.setting("knownHosts", null);
      if (knownHosts == null || knownHosts.isBlank()) {
        throw TaskFailedException.permanent(
            task
                + ": "
                + where
                + " has no knownHosts, so the server cannot be checked; add `knownHosts:` with the"
                + " line `ssh-keyscan -p "
                + port
                + " "
                + host
                + "` prints (after checking its fingerprint), or the path of a known_hosts file;"
                + " `strictHostKeyChecking: false` skips the check (never for production)");
      }
      try {
        known = KnownHosts.of(knownHosts, workDir, host, port);
      } catch (IllegalArgumentException e) {
        throw TaskFailedException.permanent(
            task + ": " + where + ": " + mask.apply(e.getMessage()));
      }
      ssh.setServerKeyVerifier(known);
    } else {
      logger.warn(
          "!!! HOST KEY CHECKING IS OFF for "
              + where
              + ": any server, or anyone in between, is accepted as "
              + host
              + " and gets the credentials; set knownHosts and remove"
              + " `strictHostKeyChecking: false` !!!");
      ssh.setServerKeyVerifier(AcceptAllServerKeyVerifier.INSTANCE);
    }
    ssh.start();
    ClientSession session = null;
    try {
      session = ssh.connect(user, host, port).verify(CONNECT_TIMEOUT).getSession();
      if (password != null) {
        session.addPasswordIdentity(password);
      }
      if (privateKey != null) {
        for (KeyPair kp : keys(session, privateKey, c.setting("passphrase", null), task, where)) {
          session.addPublicKeyIdentity(kp);
        }
      }
      session.auth().verify(CONNECT_TIMEOUT);
      SftpClient sftp = SftpClientFactory.instance().createSftpClient(session);
      return new Opened(ssh, session, sftp, where);
    } catch (IOException | RuntimeException e) {
      if (session != null) {
        session.close(true);
      }
      ssh.stop();
      if (e instanceof TaskFailedException tfe) {
        throw tfe;
      }
      throw refused(task, where, known, password != null, privateKey != null, e, mask);
    }
  }

  private static TaskFailedException refused(
      String task,
      String where,
      KnownHosts known,
      boolean password,
      boolean key,
      Exception e,
      UnaryOperator<String> mask) {
    String head = task + ": cannot log in to " + where + ": ";
    if (known != null && known.refusal() != null) {
      return TaskFailedException.permanent(head + known.refusal());
    }
    String message = String.valueOf(e.getMessage());
    if (message.contains("No more authentication methods")) {
      String what =
          password && key
              ? "the password and the private key"
              : password ? "the password" : "the" + " private key";
      return new TaskFailedException(
          head
              + "the server refused "
              + what
              + "; check the user and the secret the connection's "
              + (password ? "password" : "privateKey")
              + " comes from in weir.yaml",
          false,
          Map.of(),
          null);
    }
    return TaskFailedException.connection(
        head
            + "could not reach the server ("
            + mask.apply(message)
            + "); check host and port, and that an SSH server listens there",
        null);
  }

  private static Iterable<KeyPair> keys(
      ClientSession session, String pem, String passphrase, String task, String where) {
    try {
      Iterable<KeyPair> keys =
          SecurityUtils.loadKeyPairIdentities(
              session,
              NamedResource.ofName("privateKey"),
              new ByteArrayInputStream(pem.getBytes(StandardCharsets.UTF_8)),
              passphrase == null
                  ? FilePasswordProvider.EMPTY
                  : FilePasswordProvider.of(passphrase));
      if (keys == null || !keys.iterator().hasNext()) {
        throw new GeneralSecurityException("no key found");
      }
      return keys;
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      // the library's message may quote the key text: say only what kind of problem it was
      throw TaskFailedException.permanent(
          task
              + ": the privateKey of "
              + where
              + " cannot be read ("
              + e.getClass().getSimpleName()
              + "); give the whole key text, -----BEGIN ... PRIVATE KEY----- lines included, and"
              + " its passphrase if it has one");
    }
  }

  static int port(ConnectionConfig c) {
    String port = c.setting("port", "22");
    try {
      int p = Integer.parseInt(port.strip());
      if (p > 0 && p < 65536) {
        return p;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw TaskFailedException.permanent(
        "connection '" + c.name() + "' has port '" + port + "'; write a number, e.g. `port: 22`");
  }

  static void requireSftp(ConnectionConfig c) {
    if (!ConnectionConfig.SFTP.equals(c.type())) {
      throw TaskFailedException.permanent(
          "connection '"
              + c.name()
              + "' is a "
              + c.type()
              + " connection, not an SFTP one; name a connection of type sftp from weir.yaml, e.g."
              + " `partner: {type: sftp, host: files.example.com, user: etl, password: ...}`");
    }
  }
}
