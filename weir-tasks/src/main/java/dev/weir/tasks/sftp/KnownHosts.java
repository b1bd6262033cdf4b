package dev.weir.tasks.sftp;

import java.io.IOException;
import java.io.StringReader;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.List;
import java.util.Map;
import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;

/**
 * Accepts a server only when its host key is one that the connection's {@code knownHosts} lists for
 * its host and port, in OpenSSH known_hosts format (hashed names included). Remembers why it
 * refused, so that the failure can say what to fix.
 */
final class KnownHosts implements ServerKeyVerifier {
  private final List<KnownHostEntry> entries;
  private final String host;
  private final int port;
  private volatile String refusal;

  private KnownHosts(List<KnownHostEntry> entries, String host, int port) {
    this.entries = entries;
    this.host = host;
    this.port = port;
  }

  /**
   * @param knownHosts one or more known_hosts lines, or the path of a known_hosts file
   * @throws IllegalArgumentException when a file is named that cannot be read, or nothing parses
   */
  static KnownHosts of(String knownHosts, Path workDir, String host, int port) {
    String text = knownHosts.strip();
    try {
      if (!text.contains(" ")) {
        Path file = workDir.resolve(text);
        if (!Files.isRegularFile(file)) {
          throw new IllegalArgumentException(
              "knownHosts '"
                  + text
                  + "' is neither a known_hosts line nor a readable file (looked at "
                  + file
                  + ")");
        }
        text = Files.readString(file);
      }
      List<KnownHostEntry> entries =
          KnownHostEntry.readKnownHostEntries(new StringReader(text), true);
      if (entries.isEmpty()) {
        throw new IllegalArgumentException("knownHosts holds no known_hosts lines");
      }
      return new KnownHosts(entries, host, port);
    } catch (IOException | RuntimeException e) {
      if (e instanceof IllegalArgumentException iae && iae.getMessage().startsWith("knownHosts")) {
        throw iae;
      }
      throw new IllegalArgumentException(
          "knownHosts cannot be read as known_hosts lines (" + e.getMessage() + ")", e);
    }
  }

  @Override
  public boolean verifyServerKey(ClientSession session, SocketAddress address, PublicKey key) {
    boolean listed = false;
    for (KnownHostEntry entry : entries) {
      if (!entry.isHostMatch(host, port) || "@revoked".equals(entry.getMarker())) {
        continue;
      }
      listed = true;
      try {
        PublicKey known =
            entry
                .getKeyEntry()
                .resolvePublicKey(session, Map.of(), PublicKeyEntryResolver.IGNORING);
        if (known != null && KeyUtils.compareKeys(known, key)) {
          return true;
        }
      } catch (IOException | GeneralSecurityException e) {
        // a line we cannot decode vouches for nothing
      }
    }
    String presented = KeyUtils.getKeyType(key) + " " + KeyUtils.getFingerPrint(key);
    refusal =
        listed
            ? "the server's host key ("
                + presented
                + ") is not the one knownHosts lists for "
                + hostPattern()
                + "; the key changed or someone is in between: confirm the new key with the"
                + " server's administrator before replacing the line in knownHosts"
            : "knownHosts has no line for "
                + hostPattern()
                + " (the server offered "
                + presented
                + "); add the line `ssh-keyscan -p "
                + port
                + " "
                + host
                + "` prints, after checking its fingerprint with the server's administrator";
    return false;
  }

  /** How known_hosts names this host: {@code host} on port 22, {@code [host]:port} elsewhere. */
  private String hostPattern() {
    return port == 22 ? host : "[" + host + "]:" + port;
  }

  /** Why the last server was refused, or null. */
  String refusal() {
    return refusal;
  }
}
