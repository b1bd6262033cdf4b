package dev.weir.task;

/** The log of one task attempt; lines are stored with the run, secrets masked. */
public interface TaskLogger {
  void log(Level level, String message);

  default void info(String message) {
    log(Level.INFO, message);
  }

  default void warn(String message) {
    log(Level.WARN, message);
  }

  default void error(String message) {
    log(Level.ERROR, message);
  }

  enum Level {
    DEBUG,
    INFO,
    WARN,
    ERROR
  }
}
