package dev.weir.task;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Ends a process and everything it started: SIGTERM, a bounded grace to exit, then SIGKILL. Used
 * when an attempt is cancelled and when a resume finds a process that a crashed attempt left
 * running.
 *
 * <p>A process that leads its own group (started through {@link ChildProcess}) is ended by its
 * group, which also reaches children whose parent already exited. Otherwise the process and its
 * descendants are ended one by one.
 */
public final class ProcessTree {
  /** How long a process gets between SIGTERM and SIGKILL. */
  public static final Duration GRACE = Duration.ofSeconds(5);

  private static final Duration AFTER_KILL = Duration.ofSeconds(2);
  private static final long POLL_MILLIS = 20;
  private static final Path PROC = Path.of("/proc");

  private ProcessTree() {}

  /** What {@link #end} found and did. */
  public enum Outcome {
    /** Nothing of it was running. */
    GONE,
    /** The pid runs another process now (started at another time): it was left alone. */
    PID_REUSED,
    /** It runs, but its start time is not known, so it cannot be told from a reused pid. */
    UNVERIFIED,
    /** It was running and has been ended. */
    ENDED,
    /** It was signalled but still runs after SIGKILL (e.g. stuck in the kernel). */
    STILL_RUNNING
  }

  /**
   * Ends process {@code pid} that started at {@code startedAt}, with its group or its descendants.
   *
   * @param pgid the group the process leads, or null when it has none of its own
   * @param startedAt the recorded start of the process; null when not known
   */
  public static Outcome end(long pid, Long pgid, Instant startedAt, Duration grace) {
    Optional<ProcessHandle> leader = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    if (leader.isPresent()) {
      Optional<Instant> now = leader.get().info().startInstant();
      if (startedAt == null || now.isEmpty()) {
        return Outcome.UNVERIFIED;
      }
      if (!sameInstant(now.get(), startedAt)) {
        // the kernel does not hand out a pid that still names a live group, so ours is gone too
        return Outcome.PID_REUSED;
      }
    }
    return pgid != null ? endGroup(pgid, grace) : endTree(leader, grace);
  }

  static boolean sameInstant(Instant a, Instant b) {
    return a.truncatedTo(ChronoUnit.MILLIS).equals(b.truncatedTo(ChronoUnit.MILLIS));
  }

  private static Outcome endGroup(long pgid, Duration grace) {
    if (!groupAlive(pgid)) {
      return Outcome.GONE;
    }
    signalGroup(pgid, "TERM");
    if (awaitGroupGone(pgid, grace)) {
      return Outcome.ENDED;
    }
    signalGroup(pgid, "KILL");
    return awaitGroupGone(pgid, AFTER_KILL) ? Outcome.ENDED : Outcome.STILL_RUNNING;
  }

  private static Outcome endTree(Optional<ProcessHandle> leader, Duration grace) {
    if (leader.isEmpty()) {
      return Outcome.GONE; // its children, if any, can no longer be found without a group
    }
    // children first: once their parent is gone they can no longer be found
    List<ProcessHandle> tree = new ArrayList<>(leader.get().descendants().toList());
    tree.add(leader.get());
    tree.forEach(ProcessHandle::destroy);
    if (awaitAllGone(tree, grace)) {
      return Outcome.ENDED;
    }
    tree.forEach(ProcessHandle::destroyForcibly);
    return awaitAllGone(tree, AFTER_KILL) ? Outcome.ENDED : Outcome.STILL_RUNNING;
  }

  private static boolean awaitAllGone(List<ProcessHandle> tree, Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (tree.stream().anyMatch(ProcessHandle::isAlive)) {
      if (System.nanoTime() > deadline || !pause()) {
        return false;
      }
    }
    return true;
  }

  private static boolean awaitGroupGone(long pgid, Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (groupAlive(pgid)) {
      if (System.nanoTime() > deadline || !pause()) {
        return false;
      }
    }
    return true;
  }

  private static boolean pause() {
    try {
      Thread.sleep(POLL_MILLIS);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Whether any process of the group still runs. Where /proc exists a zombie does not count (a dead
   * process whose parent has not collected it yet runs nothing); elsewhere {@code kill -0}.
   */
  static boolean groupAlive(long pgid) {
    if (!Files.isDirectory(PROC.resolve("self"))) {
      return signalGroup(pgid, "0");
    }
    try (var dirs = Files.list(PROC)) {
      return dirs.anyMatch(d -> inGroupAndRunning(d, pgid));
    } catch (IOException e) {
      return signalGroup(pgid, "0");
    }
  }

  private static boolean inGroupAndRunning(Path dir, long pgid) {
    String name = dir.getFileName().toString();
    if (name.isEmpty() || !Character.isDigit(name.charAt(0))) {
      return false;
    }
    try {
      String stat = Files.readString(dir.resolve("stat"));
      // pid (comm) state ppid pgrp ...: comm may hold spaces and parentheses
      String[] rest = stat.substring(stat.lastIndexOf(')') + 2).split(" ", 4);
      return Long.parseLong(rest[2]) == pgid && !rest[0].equals("Z") && !rest[0].equals("X");
    } catch (IOException | RuntimeException e) {
      return false; // it ended while we looked
    }
  }

  /**
   * Sends a signal to every process of a group at once (kill(2) with a negative pid), through the
   * shell's {@code kill}: Java can signal single processes only.
   *
   * @return whether the group existed
   */
  static boolean signalGroup(long pgid, String signal) {
    try {
      Process kill =
          new ProcessBuilder("sh", "-c", "kill -s " + signal + " -- -" + pgid + " 2>/dev/null")
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!kill.waitFor(5, TimeUnit.SECONDS)) {
        kill.destroyForcibly();
        return false;
      }
      return kill.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
