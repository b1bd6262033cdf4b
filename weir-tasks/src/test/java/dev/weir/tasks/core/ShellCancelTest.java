package dev.weir.tasks.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.engine.RunHandle;
import dev.weir.engine.RunListener;
import dev.weir.engine.TaskGate;
import dev.weir.flow.TaskDef;
import dev.weir.store.JdbcStateStore;
import dev.weir.store.RunRecord;
import dev.weir.store.RunState;
import dev.weir.store.TaskRunRecord;
import dev.weir.store.TaskState;
import dev.weir.task.TaskLogger;
import dev.weir.testing.EngineFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A shell command that fails while its run is being cancelled ends CANCELLED, not FAILED. */
class ShellCancelTest {
  private static final long WAIT_SECONDS = 30;

  @TempDir Path dir;

  private EngineFixture fx;
  private final AtomicReference<RunHandle> handle = new AtomicReference<>();
  private final CountDownLatch coordinatorHeld = new CountDownLatch(1);
  private final CountDownLatch letCoordinatorGo = new CountDownLatch(1);
  private final CountDownLatch cancelAsked = new CountDownLatch(1);

  @AfterEach
  void tearDown() {
    letCoordinatorGo.countDown();
    if (fx != null) {
      fx.close();
    }
  }

  /**
   * The Ctrl-C race, made deterministic: the command exits 130 on its own (as it did when the
   * terminal's SIGINT reached it), its failure is reported, and only then is the cancel asked for —
   * both before the engine takes either.
   */
  @Test
  void a_command_exiting_130_whose_failure_is_reported_just_before_the_cancel_ends_cancelled()
      throws Exception {
    // holds the run's coordinator while the failure and the cancel queue up behind it
    RunListener holdAfterMarker =
        new RunListener() {
          @Override
          public void taskChanged(TaskDef task, TaskRunRecord r) {
            if (task.id().equals("marker") && r.state() == TaskState.SUCCEEDED) {
              coordinatorHeld.countDown();
              await(letCoordinatorGo);
            }
          }
        };
    // the permit of `slow` is given back on its attempt's thread just before the failure is
    // reported; once that thread has ended the failure is queued, and the cancel follows it
    TaskGate cancelAfterFailure =
        new TaskGate() {
          @Override
          public boolean guards(Request request) {
            return request.taskId().equals("slow");
          }

          @Override
          public Permit acquire(Request request, TaskLogger log) {
            return outcome -> {
              if (outcome == Outcome.FAILED) {
                Thread attempt = Thread.currentThread();
                Thread.ofPlatform()
                    .start(() -> {
                      try {
                        attempt.join(Duration.ofSeconds(WAIT_SECONDS));
                      } catch (InterruptedException e) {
                        return;
                      }
                      handle.get().cancel("cancelled by the user (Ctrl-C)");
                      cancelAsked.countDown();
                    });
              }
            };
          }
        };
    fx =
        new EngineFixture(
            dir,
            JdbcStateStore.h2(dir.resolve(".weir")),
            Map.of(),
            holdAfterMarker,
            cancelAfterFailure);
    handle.set(
        fx.start(
            """
            id: race
            tasks:
              - id: slow
                type: shell
                dependsOn: []
                command: |
                  touch slow.started
                  while [ ! -f go ]; do sleep 0.01; done
                  exit 130
              - id: marker
                type: shell
                dependsOn: []
                command: while [ ! -f mark ]; do sleep 0.01; done
            """,
            Map.of()));
    waitForFile("slow.started");
    Files.writeString(dir.resolve("mark"), "");
    assertThat(coordinatorHeld.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    Files.writeString(dir.resolve("go"), ""); // slow exits 130 while the coordinator is held
    assertThat(cancelAsked.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    letCoordinatorGo.countDown();

    RunRecord run = handle.get().await(Duration.ofSeconds(WAIT_SECONDS));

    assertThat(run.state()).isEqualTo(RunState.CANCELLED);
    assertThat(run.error()).isEqualTo("cancelled by the user (Ctrl-C)");
    assertThat(fx.attempts(run.id(), "slow"))
        .singleElement()
        .satisfies(t -> {
          assertThat(t.state()).isEqualTo(TaskState.CANCELLED);
          assertThat(t.error()).isEqualTo("cancelled by the user (Ctrl-C)");
        });
  }

  private void waitForFile(String name) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    while (!Files.exists(dir.resolve(name))) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + name);
      }
      Thread.sleep(20);
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
