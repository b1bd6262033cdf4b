-- Schema v9: the processes task attempts started (issue 11, no orphaned processes). A process is
-- recorded as soon as it starts, so that after a crash `weir resume` (or a server adopting the run)
-- can end what the interrupted attempt left running before the task runs again. started_at is the
-- process's own start time: with pid it tells the process apart from a later one that reuses the
-- pid. pgid is NULL when the process does not lead its own process group. host is where it runs.
CREATE TABLE weir_task_processes (
  run_id      VARCHAR(40) NOT NULL,
  task_id     VARCHAR(200) NOT NULL,
  attempt     INT NOT NULL,
  pid         BIGINT NOT NULL,
  pgid        BIGINT,
  started_at  TIMESTAMP WITH TIME ZONE,
  host        VARCHAR(255) NOT NULL,
  PRIMARY KEY (run_id, task_id, attempt, pid)
);
