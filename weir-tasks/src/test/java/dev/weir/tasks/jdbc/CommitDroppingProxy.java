package dev.weir.tasks.jdbc;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A TCP proxy to a database that passes the first {@code COMMIT} on to the server, lets the server
 * answer it, and then cuts the client off without that answer: the commit lands, the client sees a
 * lost connection. Later connections pass through untouched.
 */
final class CommitDroppingProxy implements AutoCloseable {
  private static final byte[] COMMIT = "COMMIT".getBytes(StandardCharsets.US_ASCII);
  private final ServerSocket listener;
  private final int target;
  private final AtomicBoolean dropped = new AtomicBoolean();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();

  CommitDroppingProxy(int targetPort) throws Exception {
    this.target = targetPort;
    this.listener = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
    Thread.ofPlatform().daemon().start(this::accept);
  }

  int port() {
    return listener.getLocalPort();
  }

  /** Whether a commit was passed on and its answer withheld. */
  boolean dropped() {
    return dropped.get();
  }

  private void accept() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        Socket server = new Socket(InetAddress.getLoopbackAddress(), target);
        sockets.add(client);
        sockets.add(server);
        var committing = new AtomicBoolean();
        Thread.ofPlatform().daemon().start(() -> toServer(client, server, committing));
        Thread.ofPlatform().daemon().start(() -> toClient(server, client, committing));
      } catch (Exception e) {
        return;
      }
    }
  }

  private void toServer(Socket client, Socket server, AtomicBoolean committing) {
    try (InputStream in = client.getInputStream()) {
      OutputStream out = server.getOutputStream();
      byte[] buf = new byte[65536];
      for (int n; (n = in.read(buf)) > 0; ) {
        if (!dropped.get() && contains(buf, n, COMMIT)) {
          committing.set(true);
        }
        out.write(buf, 0, n);
        out.flush();
      }
    } catch (Exception e) {
      // one side closed: the other follows
    } finally {
      closeQuietly(client, server);
    }
  }

  private void toClient(Socket server, Socket client, AtomicBoolean committing) {
    try (InputStream in = server.getInputStream()) {
      OutputStream out = client.getOutputStream();
      byte[] buf = new byte[65536];
      for (int n; (n = in.read(buf)) > 0; ) {
        if (committing.get() && dropped.compareAndSet(false, true)) {
          return; // the server answered the commit: it is done; the client never hears so
        }
        out.write(buf, 0, n);
        out.flush();
      }
    } catch (Exception e) {
      // one side closed: the other follows
    } finally {
      closeQuietly(client, server);
    }
  }

  private static boolean contains(byte[] buf, int n, byte[] word) {
    outer:
    for (int i = 0; i + word.length <= n; i++) {
      for (int j = 0; j < word.length; j++) {
        if (buf[i + j] != word[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  private static void closeQuietly(Socket... sockets) {
    for (Socket s : sockets) {
      try {
        s.close();
      } catch (Exception e) {
        // closing
      }
    }
  }

  @Override
  public void close() throws Exception {
    listener.close();
    sockets.forEach(CommitDroppingProxy::closeQuietly);
  }
}
