-- Schema v6: audit facts per task run (issue 5, audit and lineage), one row per ended attempt,
-- written in the transaction that stores the attempt's end. Counts are NULL when the task does
-- not know them; inputs and outputs are JSON lists of {namespace, name, rows, bytes}.
CREATE TABLE weir_task_audit (
  run_id        VARCHAR(40) NOT NULL,
  task_id       VARCHAR(200) NOT NULL,
  attempt       INT NOT NULL,
  rows_read     BIGINT,
  rows_written  BIGINT,
  rows_rejected BIGINT,
  bytes_read    BIGINT,
  bytes_written BIGINT,
  checksum      VARCHAR(200),
  inputs        VARCHAR,
  outputs       VARCHAR,
  PRIMARY KEY (run_id, task_id, attempt)
)
