package dev.weir.engine;

import dev.weir.flow.TaskDef;
import dev.weir.store.LogLine;
import dev.weir.store.RunRecord;
import dev.weir.store.TaskAuditRecord;
import dev.weir.store.TaskRunRecord;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Several listeners heard as one; more can be added while runs go (a server adds its metrics,
 * lineage and alerts after the engine exists). A listener that throws is logged and skipped: what
 * watches a run never fails it.
 */
public final class RunListeners implements RunListener {
  private static final Logger log = LoggerFactory.getLogger(RunListeners.class);

  private final List<RunListener> listeners = new CopyOnWriteArrayList<>();

  public RunListeners add(RunListener listener) {
    listeners.add(listener);
    return this;
  }

  @Override
  public void runChanged(RunRecord run) {
    for (RunListener l : listeners) {
      try {
        l.runChanged(run);
      } catch (RuntimeException e) {
        log.warn("a run listener failed on run {}: {}", run.id(), e.toString());
      }
    }
  }

  @Override
  public void taskChanged(TaskDef task, TaskRunRecord taskRun) {
    for (RunListener l : listeners) {
      try {
        l.taskChanged(task, taskRun);
      } catch (RuntimeException e) {
        log.warn(
            "a run listener failed on task {} of run {}: {}",
            taskRun.taskId(),
            taskRun.runId(),
            e.toString());
      }
    }
  }

  @Override
  public void taskAudited(TaskAuditRecord audit) {
    for (RunListener l : listeners) {
      try {
        l.taskAudited(audit);
      } catch (RuntimeException e) {
        log.warn(
            "a run listener failed on the audit of task {} of run {}: {}",
            audit.taskId(),
            audit.runId(),
            e.toString());
      }
    }
  }

  @Override
  public void logged(LogLine line) {
    for (RunListener l : listeners) {
      try {
        l.logged(line);
      } catch (RuntimeException e) {
        log.warn("a run listener failed on a log line of run {}: {}", line.runId(), e.toString());
      }
    }
  }

  @Override
  public void streamed(StreamEvent event) {
    for (RunListener l : listeners) {
      try {
        l.streamed(event);
      } catch (RuntimeException e) {
        log.warn(
            "a run listener failed on a stream report of task {} of run {}: {}",
            event.taskId(),
            event.runId(),
            e.toString());
      }
    }
  }
}
