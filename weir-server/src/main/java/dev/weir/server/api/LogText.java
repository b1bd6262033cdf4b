package dev.weir.server.api;

import dev.weir.expr.Masker;
import dev.weir.store.LogSearch;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * A run's log as a text stream that reads the store one page at a time while the client downloads,
 * so a 50 MB log never sits in the server's memory. Each line is masked.
 */
final class LogText extends InputStream {
  private final LogSearch logs;
  private final String runId;
  private final String task;
  private final int attempt;
  private final Masker masker;
  private long after;
  private boolean done;
  private byte[] buffer = new byte[0];
  private int pos;

  /**
   * @param task the task whose lines to send, null for every task
   * @param attempt the task attempt whose lines to send, 0 for every attempt
   */
  LogText(LogSearch logs, String runId, String task, int attempt, Masker masker) {
    this.logs = logs;
    this.runId = runId;
    this.task = task;
    this.attempt = attempt;
    this.masker = masker;
  }

  @Override
  public int read() {
    if (!fill()) {
      return -1;
    }
    return buffer[pos++] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) {
    if (len == 0) {
      return 0;
    }
    if (!fill()) {
      return -1;
    }
    int n = Math.min(len, buffer.length - pos);
    System.arraycopy(buffer, pos, b, off, n);
    pos += n;
    return n;
  }

  /** Reads the next page when the buffer is used up; false at the end of the log. */
  private boolean fill() {
    while (pos >= buffer.length) {
      if (done) {
        return false;
      }
      var page =
          logs.page(
              new LogSearch.Query(runId, task, attempt, null, null, after, 0, LogSearch.MAX_LIMIT));
      var text = new StringBuilder(page.lines().size() * 100);
      for (LogSearch.Line l : page.lines()) {
        text.append(l.line().time())
            .append(' ')
            .append(l.line().taskId())
            .append('#')
            .append(l.line().attempt())
            .append(' ')
            .append(l.line().level())
            .append(' ')
            .append(masker.mask(l.line().message()))
            .append('\n');
        after = l.id();
      }
      done = !page.more();
      buffer = text.toString().getBytes(StandardCharsets.UTF_8);
      pos = 0;
    }
    return true;
  }
}
