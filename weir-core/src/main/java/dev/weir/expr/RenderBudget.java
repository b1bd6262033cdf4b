package dev.weir.expr;

import java.io.Writer;
import java.util.function.LongSupplier;

/**
 * The output of one template render, held to {@link RenderLimits}: it counts the UTF-8 bytes
 * written and checks the deadline (and the thread's interrupt) on every write and on every step of
 * {@code range()}. Pebble writes a loop's body as it goes, so an endless or huge loop stops at the
 * first write past a limit instead of filling the heap.
 */
final class RenderBudget extends Writer {
  private final RenderLimits limits;
  private final LongSupplier ticker;
  private final long deadline;
  private final StringBuilder out = new StringBuilder();
  private long bytes;
  private long steps;

  RenderBudget(RenderLimits limits, LongSupplier ticker) {
    this.limits = limits;
    this.ticker = ticker;
    this.deadline = ticker.getAsLong() + limits.maxTime().toNanos();
  }

  /** Fails once the deadline has passed or the thread was interrupted (a cancelled task). */
  void check() {
    if (Thread.currentThread().isInterrupted()) {
      throw new ExpressionException(
          ExpressionException.Kind.LIMIT,
          "rendering was interrupted (the task was cancelled or timed out)",
          null);
    }
    if (ticker.getAsLong() - deadline > 0) {
      throw new ExpressionException(
          ExpressionException.Kind.LIMIT,
          "rendering took longer than "
              + RenderLimits.formatTime(limits.maxTime())
              + " (limit "
              + RenderLimits.TIMEOUT_VARIABLE
              + ")",
          "; a loop in the template runs too long: loop over fewer items, or raise "
              + RenderLimits.TIMEOUT_VARIABLE
              + " (e.g. 30s)",
          null);
    }
  }

  /**
   * One item read from {@code range()}. A loop that writes nothing, or a filter that joins a range
   * into one string, never reaches the output limit; steps are capped at four per byte of it, so
   * such a loop holds at most a few times the limit in memory.
   */
  void step() {
    check();
    if (++steps > 4 * limits.maxBytes()) {
      throw new ExpressionException(
          ExpressionException.Kind.LIMIT,
          "range() went past "
              + 4 * limits.maxBytes()
              + " steps (4 per byte of "
              + RenderLimits.MAX_BYTES_VARIABLE
              + ")",
          "; loop over fewer items, or raise " + RenderLimits.MAX_BYTES_VARIABLE,
          null);
    }
  }

  @Override
  public void write(char[] chars, int off, int len) {
    write(java.nio.CharBuffer.wrap(chars, off, len));
  }

  @Override
  public void write(String s, int off, int len) {
    write(s.subSequence(off, off + len));
  }

  @Override
  public Writer append(CharSequence s) {
    write(s == null ? "null" : s);
    return this;
  }

  private void write(CharSequence s) {
    check();
    long add = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      // a surrogate pair is 4 bytes, 2 per half
      add += c < 0x80 ? 1 : c < 0x800 || Character.isSurrogate(c) ? 2 : 3;
    }
    requireWithin(bytes + add);
    bytes += add;
    out.append(s);
  }

  /** Fails when a value of {@code size} bytes would pass the size limit. */
  void requireWithin(long size) {
    if (size > limits.maxBytes()) {
      throw new ExpressionException(
          ExpressionException.Kind.LIMIT,
          "the rendered value passed "
              + RenderLimits.formatSize(limits.maxBytes())
              + " (limit "
              + RenderLimits.MAX_BYTES_VARIABLE
              + ")",
          "; a loop or a large value makes it this long: render less (pass big data as a file or"
              + " a dataset), or raise "
              + RenderLimits.MAX_BYTES_VARIABLE
              + " (e.g. 4MiB)",
          null);
    }
  }

  @Override
  public void flush() {}

  @Override
  public void close() {}

  @Override
  public String toString() {
    return out.toString();
  }
}
