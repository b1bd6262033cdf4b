package dev.weir.engine;

import dev.weir.store.TaskAuditRecord;
import dev.weir.store.TaskState;
import java.time.Instant;

/**
 * What an attempt tells its coordinator about one of its steps: it started ({@code RUNNING}), or
 * ended ({@code SUCCEEDED}, {@code FAILED}, {@code SKIPPED}, {@code UPSTREAM_FAILED}). Texts are
 * masked already.
 *
 * @param parentId the task run id of the attempt's task
 * @param attempt the parent's attempt, which is the step's attempt too
 * @param stepId the step's task run id
 * @param error why it failed or was skipped; null otherwise
 * @param outputs JSON object, null when it did not end
 * @param rows rows it wrote, -1 when not known
 * @param audit its audit facts, null when none are known
 */
record StepChange(
    String parentId,
    int attempt,
    String stepId,
    TaskState state,
    Instant at,
    String error,
    String outputs,
    long rows,
    TaskAuditRecord audit) {}
