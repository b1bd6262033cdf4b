package dev.weir.server.api;

import dev.weir.WeirException;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Whether the server's port is free, said before anything else starts. */
public final class Ports {
  private Ports() {}

  /**
   * Fails with Weir's message when {@code host:port} cannot be bound, so that a second server on a
   * taken port stops before it opens its store or prints a new API token. Port 0 (any free port)
   * always passes. The server still translates a bind failure in the gap between this check and its
   * start (see {@link ApiServer#start}).
   */
  public static void requireFree(String host, int port) {
    if (port == 0) {
      return;
    }
    try (var socket = new ServerSocket()) {
      socket.setReuseAddress(true); // as Jetty binds: a port left in TIME_WAIT counts as free
      socket.bind(new InetSocketAddress(host, port));
    } catch (BindException e) {
      throw inUse(host, port, e);
    } catch (IOException e) {
      throw new WeirException(
          "cannot listen on " + host + ":" + port + ": " + e.getMessage() + "; check --host", e);
    }
  }

  static WeirException inUse(String host, int port, Throwable cause) {
    String where = "port " + port + " on " + host;
    // a BindException also says "Cannot assign requested address" for a host that is not ours
    if (!String.valueOf(cause.getMessage()).contains("in use")) {
      return new WeirException(
          "cannot listen on " + where + ": " + cause.getMessage() + "; check --host", cause);
    }
    return new WeirException(
        where + " is in use; stop the process that holds it, or choose another port with --port",
        cause);
  }
}
