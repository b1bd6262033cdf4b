package dev.weir.tasks;

import dev.weir.config.ConnectionConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyEncryptionContext;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.session.ServerSession;
import org.apache.sshd.sftp.server.FileHandle;
import org.apache.sshd.sftp.server.SftpEventListener;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;

/**
 * An in-process SFTP server (Apache MINA SSHD) on 127.0.0.1, a free port, serving {@code root}: one
 * user with a password and an accepted public key. It can drop the connection once a transfer has
 * passed a number of bytes, to test resumed downloads and interrupted uploads.
 */
public final class SftpTestServer implements AutoCloseable {
  public static final String USER = "weir";
  public static final String PASSWORD = "s3cret-Pa55";

  private final SshServer server;
  private final KeyPair clientKey;
  private final PublicKey hostKey;
  private final AtomicInteger passwordAttempts = new AtomicInteger();

  /** Drop the session once a read or write reaches this offset; -1 for never. */
  private final AtomicLong dropAt = new AtomicLong(-1);

  private SftpTestServer(SshServer server, KeyPair clientKey, PublicKey hostKey) {
    this.server = server;
    this.clientKey = clientKey;
    this.hostKey = hostKey;
  }

  public static SftpTestServer start(Path root) throws Exception {
    KeyPair host = KeyUtils.generateKeyPair(KeyPairProvider.ECDSA_SHA2_NISTP256, 256);
    KeyPair client = KeyUtils.generateKeyPair(KeyPairProvider.ECDSA_SHA2_NISTP256, 256);
    SshServer server = SshServer.setUpDefaultServer();
    server.setHost("127.0.0.1");
    server.setPort(0);
    server.setKeyPairProvider(KeyPairProvider.wrap(host));
    server.setFileSystemFactory(new VirtualFileSystemFactory(root));
    var t = new SftpTestServer(server, client, host.getPublic());
    server.setPasswordAuthenticator((user, password, session) -> {
      t.passwordAttempts.incrementAndGet();
      return USER.equals(user) && PASSWORD.equals(password);
    });
    server.setPublickeyAuthenticator(
        (user, key, session) -> USER.equals(user) && KeyUtils.compareKeys(key, client.getPublic()));
    var sftp = new SftpSubsystemFactory();
    sftp.addSftpEventListener(t.dropper());
    server.setSubsystemFactories(List.of(sftp));
    server.start();
    return t;
  }

  private SftpEventListener dropper() {
    return new SftpEventListener() {
      @Override
      public void reading(
          ServerSession session,
          String remoteHandle,
          FileHandle localHandle,
          long offset,
          byte[] data,
          int dataOffset,
          int dataLen)
          throws IOException {
        maybeDrop(session, offset);
      }

      @Override
      public void writing(
          ServerSession session,
          String remoteHandle,
          FileHandle localHandle,
          long offset,
          byte[] data,
          int dataOffset,
          int dataLen)
          throws IOException {
        maybeDrop(session, offset);
      }
    };
  }

  private void maybeDrop(ServerSession session, long offset) throws IOException {
    long at = dropAt.get();
    if (at >= 0 && offset >= at && dropAt.compareAndSet(at, -1)) {
      // as a network failure looks: no answer, the connection just ends
      session.close(true);
    }
  }

  /** The next transfer that reaches {@code offset} loses its connection (once). */
  public void dropOnceAt(long offset) {
    dropAt.set(offset);
  }

  public int port() {
    return server.getPort();
  }

  public int passwordAttempts() {
    return passwordAttempts.get();
  }

  /** The known_hosts line for this server. */
  public String knownHostsLine() {
    return "[127.0.0.1]:" + port() + " " + PublicKeyEntry.toString(hostKey);
  }

  /** The accepted client key as OpenSSH private key text. */
  public String privateKeyText() throws Exception {
    return privateKeyText(null);
  }

  /** The accepted client key as OpenSSH private key text, encrypted when a passphrase is given. */
  public String privateKeyText(String passphrase) throws Exception {
    var out = new ByteArrayOutputStream();
    OpenSSHKeyEncryptionContext encryption = null;
    if (passphrase != null) {
      encryption = new OpenSSHKeyEncryptionContext();
      encryption.setPassword(passphrase);
      encryption.setCipherName("AES");
      encryption.setCipherMode("CTR");
      encryption.setCipherType("256");
    }
    OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(clientKey, "weir-test", encryption, out);
    return out.toString(StandardCharsets.UTF_8);
  }

  /** A connection with the password and this server's known_hosts line, plus {@code extra}. */
  public ConnectionConfig connection(String name, Map<String, String> extra) {
    var settings = new LinkedHashMap<String, String>();
    settings.put("host", "127.0.0.1");
    settings.put("port", String.valueOf(port()));
    settings.put("user", USER);
    settings.put("password", PASSWORD);
    settings.put("knownHosts", knownHostsLine());
    extra.forEach((k, v) -> {
      if (v == null) {
        settings.remove(k);
      } else {
        settings.put(k, v);
      }
    });
    return new ConnectionConfig(
        name, ConnectionConfig.SFTP, null, USER, settings.get("password"), Map.of(), 1, settings);
  }

  @Override
  public void close() throws IOException {
    server.stop(true);
  }
}
