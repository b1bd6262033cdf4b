package dev.weir.engine;

import java.nio.file.Files;
import java.nio.file.Path;

/** Who executes a run: {@code host:pid} of the process, and whether such a process is alive. */
public final class RunOwner {
  private RunOwner() {}

  public static String self() {
    return host() + ":" + ProcessHandle.current().pid();
  }

  /** This machine's name, as run owners and recorded processes name it. */
  public static String host() {
    String host = System.getenv("HOSTNAME");
    if (host == null || host.isBlank()) {
      try {
        host = Files.readString(Path.of("/etc/hostname")).strip();
      } catch (Exception e) {
        host = "localhost";
      }
    }
    return host;
  }

  /**
   * Whether the process an owner string ({@code host:pid}) names looks alive: a live pid on this
   * machine, or any process on another machine (which cannot be checked). This process is not.
   */
  static boolean alive(String owner) {
    int colon = owner.lastIndexOf(':');
    if (colon < 0) {
      return false;
    }
    String host = owner.substring(0, colon);
    if (!host.equals(host())) {
      return true; // another machine: we cannot tell, so be careful
    }
    try {
      long pid = Long.parseLong(owner.substring(colon + 1));
      return pid != ProcessHandle.current().pid()
          && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
