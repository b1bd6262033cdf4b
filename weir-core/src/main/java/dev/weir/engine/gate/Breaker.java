package dev.weir.engine.gate;

import dev.weir.engine.TaskGate.Outcome;
import dev.weir.engine.TaskGate.Permit;
import dev.weir.engine.gate.CircuitBreakers.Settings;
import dev.weir.engine.gate.CircuitBreakers.State;
import dev.weir.engine.gate.CircuitBreakers.Status;
import dev.weir.flow.Durations;
import dev.weir.task.TaskLogger;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The circuit of one connection. */
final class Breaker {
  private static final Logger LOG = LoggerFactory.getLogger(CircuitBreakers.class);

  private final String connection;
  private final Settings settings;
  private final InstantSource clock;
  private final Duration tick;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private State state = State.CLOSED;
  private int failures;
  private Instant openUntil;
  private String openedBecause;

  /** Counts half-open periods, so a trial's late result cannot decide a later one. */
  private long halfOpenRound;

  private boolean trialOut;

  Breaker(String connection, Settings settings, InstantSource clock, Duration tick) {
    this.connection = connection;
    this.settings = settings;
    this.clock = clock;
    this.tick = tick;
  }

  /** Waits while the circuit is open, or half-open with its trial task out. */
  Permit admit(TaskLogger log) throws InterruptedException {
    lock.lockInterruptibly();
    try {
      Instant toldOpenUntil = null;
      boolean toldTrial = false;
      while (true) {
        if (state == State.OPEN) {
          Instant now = clock.instant();
          if (now.isBefore(openUntil)) {
            Duration left = Duration.between(now, openUntil);
            if (!openUntil.equals(toldOpenUntil)) {
              toldOpenUntil = openUntil;
              log.warn(
                  "connection '"
                      + connection
                      + "' circuit open after "
                      + openedBecause
                      + "; waiting "
                      + shown(left));
            }
            changed.await(Math.min(left.toNanos(), tick.toNanos()), TimeUnit.NANOSECONDS);
            continue;
          }
          state = State.HALF_OPEN;
          halfOpenRound++;
          trialOut = false;
          LOG.info(
              "connection '{}' circuit half-open: the next task using it is a trial", connection);
        }
        if (state == State.CLOSED) {
          return ticket(false, 0);
        }
        if (!trialOut) {
          trialOut = true;
          log.info(
              "connection '"
                  + connection
                  + "' circuit half-open: this task is the trial; its success closes the circuit");
          return ticket(true, halfOpenRound);
        }
        if (!toldTrial) {
          toldTrial = true;
          log.info(
              "connection '"
                  + connection
                  + "' circuit half-open: waiting for the result of its trial task");
        }
        changed.await(tick.toNanos(), TimeUnit.NANOSECONDS);
      }
    } finally {
      lock.unlock();
    }
  }

  private Permit ticket(boolean trial, long round) {
    var done = new AtomicBoolean();
    return outcome -> {
      if (done.compareAndSet(false, true)) {
        ended(trial, round, outcome);
      }
    };
  }

  private void ended(boolean trial, long round, Outcome outcome) {
    lock.lock();
    try {
      boolean deciding = trial && state == State.HALF_OPEN && round == halfOpenRound;
      switch (outcome) {
        case SUCCEEDED -> {
          failures = 0;
          if (state != State.CLOSED) {
            LOG.info(
                "connection '{}' circuit closed: a task using it succeeded{}",
                connection,
                deciding ? " (the trial)" : "");
            state = State.CLOSED;
            openUntil = null;
          }
        }
        case CONNECTION_FAILED -> {
          failures++;
          if (deciding) {
            open("a trial task failed to connect again");
          } else if (state == State.CLOSED && failures >= settings.failures()) {
            open(failures + " consecutive connection failures");
          }
          // open, or half-open with a trial out: a task let in before it opened says nothing new
        }
        case FAILED, CANCELLED -> {
          if (deciding) {
            trialOut = false; // the trial told nothing about the connection: the next task tries
          }
        }
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void open(String because) {
    state = State.OPEN;
    openedBecause = because;
    openUntil = clock.instant().plus(settings.openFor());
    trialOut = false;
    LOG.warn(
        "connection '{}' circuit open after {}; tasks using it wait {} before one trial task goes",
        connection,
        because,
        shown(settings.openFor()));
  }

  /** As the next task would find it: an open circuit whose time is up counts as half-open. */
  Status status() {
    lock.lock();
    try {
      if (state == State.OPEN && !clock.instant().isBefore(openUntil)) {
        return new Status(State.HALF_OPEN, failures, null);
      }
      return new Status(state, failures, state == State.OPEN ? openUntil : null);
    } finally {
      lock.unlock();
    }
  }

  /** Whole seconds, rounded up, up to 90 s ("waiting 60s"); longer ones as "5m". */
  static String shown(Duration d) {
    long s = d.getSeconds() + (d.getNano() > 0 ? 1 : 0);
    return s <= 90 ? s + "s" : Durations.format(Duration.ofSeconds(s));
  }
}
