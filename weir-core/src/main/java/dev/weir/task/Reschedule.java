package dev.weir.task;

import dev.weir.WeirException;
import java.time.Duration;

/**
 * Thrown by a sensor's check ({@code wait.sql}, {@code wait.file}, {@code wait.http}) when what it
 * waits for is not there yet: the engine stores the task run WAITING with its next check at now +
 * {@link #recheckIn()}, holds no thread meanwhile, and runs the same attempt again then (after a
 * restart too). The task's {@code timeout:} counts from the first check, across the waits. Like
 * Airflow's reschedule mode.
 */
public final class Reschedule extends WeirException {
  private final Duration recheckIn;

  private Reschedule(String why, Duration recheckIn) {
    super(why);
    this.recheckIn = recheckIn;
  }

  /**
   * @param recheckIn how long until the next check (the sensor's {@code interval})
   * @param why what is missing, for the task's log ("no row yet for 2026-12-03")
   */
  public static Reschedule in(Duration recheckIn, String why) {
    if (recheckIn == null || recheckIn.isNegative()) {
      throw new IllegalArgumentException("recheckIn must be zero or positive");
    }
    return new Reschedule(why, recheckIn);
  }

  public Duration recheckIn() {
    return recheckIn;
  }
}
