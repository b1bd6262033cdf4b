package dev.weir.tasks.python;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** Skips a test, with one line saying how to fix it, where {@code python3} is not installed. */
public final class PythonInstalled {
  private static Boolean found;

  private PythonInstalled() {}

  public static synchronized void assume() {
    if (found == null) {
      try {
        Process p = new ProcessBuilder("python3", "--version").start();
        found = p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
      } catch (IOException e) {
        found = false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        found = false;
      }
    }
    Assumptions.assumeTrue(
        found,
        "python3 is not installed: the python task tests are skipped"
            + " (apt-get install -y python3 python3-venv)");
  }
}
