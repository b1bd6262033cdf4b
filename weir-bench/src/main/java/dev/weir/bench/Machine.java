package dev.weir.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** What the machine is doing (Linux /proc), and temp directories cleaned up after a run. */
final class Machine {
  private Machine() {}

  static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).strip();
    } catch (IOException e) {
      return "unknown";
    }
  }

  /** All CPUs' ticks from /proc/stat: {busy, total}; {0, 0} when unknown. */
  static long[] cpuTicks() {
    try {
      String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long total = 0;
      for (int i = 1; i < f.length; i++) {
        total += Long.parseLong(f[i]);
      }
      long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]); // idle + iowait
      return new long[] {total - idle, total};
    } catch (IOException | RuntimeException e) {
      return new long[] {0, 0};
    }
  }

  /** The share of all CPUs' time that was busy between two {@link #cpuTicks} readings. */
  static double busyFraction(long[] before, long[] after) {
    long total = after[1] - before[1];
    return total <= 0 ? Double.NaN : (double) (after[0] - before[0]) / total;
  }

  /**
   * CPU seconds (user + system) used so far by the live processes whose command name is {@code
   * comm} (e.g. {@code postgres}: the server and its backends); processes that ended are not
   * counted.
   */
  static double cpuSecondsOf(String comm) {
    long ticks = 0;
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path p : (Iterable<Path>) procs::iterator) {
        if (!p.getFileName().toString().matches("[0-9]+")) {
          continue;
        }
        try {
          String stat = Files.readString(p.resolve("stat"));
          if (!stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).equals(comm)) {
            continue;
          }
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException | RuntimeException e) {
          // the process ended meanwhile
        }
      }
    } catch (IOException e) {
      return Double.NaN;
    }
    return ticks / 100.0;
  }

  /** CPU seconds this JVM has used so far. */
  static double ownCpuSeconds() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean()
            instanceof com.sun.management.OperatingSystemMXBean os
        ? os.getProcessCpuTime() / 1e9
        : Double.NaN;
  }

  static void delete(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths
          .sorted(Comparator.reverseOrder())
          .forEach(p -> {
            try {
              Files.delete(p);
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
