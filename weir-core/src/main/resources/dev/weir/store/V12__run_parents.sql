-- Schema v12: subflows (issue 14). A run started by a `subflow` task records its parent here: the
-- parent run, the task and the attempt that started it. A table of its own rather than columns of
-- weir_runs, so that a run record stays what it was for every other reader. The index on the parent
-- finds a task's child again when the parent resumes after a crash (the task re-attaches to it
-- instead of starting a second one) and lists a run's children.
CREATE TABLE weir_run_parents (
  run_id          VARCHAR(40) PRIMARY KEY,
  parent_run_id   VARCHAR(40) NOT NULL,
  parent_task_id  VARCHAR(200) NOT NULL,
  parent_attempt  INT NOT NULL,
  created_at      TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX weir_run_parents_parent ON weir_run_parents (parent_run_id, parent_task_id, created_at);
