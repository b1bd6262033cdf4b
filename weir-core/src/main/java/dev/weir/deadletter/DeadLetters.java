package dev.weir.deadletter;

/**
 * Where a task sets aside the records it cannot process, instead of failing on the first one. A
 * task gets it from {@link dev.weir.task.TaskContext#deadLetters()}; server code (no task context)
 * opens one with {@link DeadLetterSink#open}.
 *
 * <p>A task calls {@link #reject} for each bad record and {@link #handled} for every record it
 * processed, good or bad; the engine writes the letters and checks {@code maxRejected} when the
 * attempt ends. Without a {@code deadLetter:} setting the sink is {@link #NONE}: {@link #enabled()}
 * is false and the task fails on bad records as it always did.
 */
public interface DeadLetters {
  /** Whether the task has a {@code deadLetter:} setting; when not, a bad record fails the task. */
  boolean enabled();

  /**
   * Sets one record aside. Secrets in it and in the reason are masked before they are written.
   *
   * @param record a map, a Jackson node, a string or any value Jackson can write as JSON
   * @param reason why it could not be processed, e.g. {@code row 17: duplicate key (id)=(3)}
   */
  void reject(Object record, String reason);

  /** Counts {@code records} more processed records, the bad ones included (for {@code 5%}). */
  void handled(long records);

  long rejected();

  long handledCount();

  /** Where the letters go, e.g. {@code /flows/dead/r1/load-1.jsonl}; empty when disabled. */
  String location();

  /**
   * Whether setting aside {@code more} further records would pass {@code maxRejected} with {@code
   * handled} records in all; a task may stop early rather than set aside more.
   */
  boolean wouldExceed(long more, long handled);

  /**
   * Says this attempt found its work done by an earlier run of the same attempt (an append a
   * resumed run had committed already): the letters that run wrote stay as they are, instead of
   * being replaced by this run's none.
   */
  void keepEarlier();

  /** Sets nothing aside: {@link #reject} fails, as a bad record did before dead letters. */
  DeadLetters NONE =
      new DeadLetters() {
        @Override
        public boolean enabled() {
          return false;
        }

        @Override
        public void reject(Object record, String reason) {
          throw new IllegalStateException(
              "no deadLetter: setting; check enabled() before setting records aside");
        }

        @Override
        public void handled(long records) {}

        @Override
        public long rejected() {
          return 0;
        }

        @Override
        public long handledCount() {
          return 0;
        }

        @Override
        public String location() {
          return "";
        }

        @Override
        public boolean wouldExceed(long more, long handled) {
          return more > 0;
        }

        @Override
        public void keepEarlier() {}
      };
}
