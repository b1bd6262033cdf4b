-- Schema v19: an index of dead letters (issue 16).
--
-- weir_dead_letters: one row per batch of records a task attempt (or, with run_id null, server
-- code such as a queue trigger) set aside. The letters themselves live where the task's
-- deadLetter: setting says (a directory, an S3 prefix, a table); location names them. id is a hash
-- of namespace, flow, run, task and attempt, so an attempt that runs again replaces its row.
-- replayed_at, replay_run and replay_outcome say when `weir deadletters replay` last took the
-- batch and what became of it.
CREATE TABLE weir_dead_letters (
  id              VARCHAR(40) PRIMARY KEY,
  namespace       VARCHAR(200) NOT NULL,
  flow_id         VARCHAR(200) NOT NULL,
  run_id          VARCHAR(40),
  task_id         VARCHAR(400) NOT NULL,
  attempt         INT NOT NULL,
  task_type       VARCHAR(200) NOT NULL,
  location        VARCHAR(2000) NOT NULL,
  letters         BIGINT NOT NULL,
  handled         BIGINT NOT NULL,
  first_reason    VARCHAR(4000),
  created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
  replayed_at     TIMESTAMP WITH TIME ZONE,
  replay_run      VARCHAR(40),
  replay_outcome  VARCHAR(4000)
);
CREATE INDEX weir_dead_letters_run ON weir_dead_letters (run_id);
CREATE INDEX weir_dead_letters_flow ON weir_dead_letters (namespace, flow_id, created_at);
