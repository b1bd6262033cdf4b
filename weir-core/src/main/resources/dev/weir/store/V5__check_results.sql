-- Weir state store, version 5: the result of every quality check of every task attempt, so runs
-- can list them and a dataset's checks have a history. A retried or resumed attempt replaces the
-- rows of its own attempt (same run, task, attempt).
CREATE TABLE weir_check_results (
  run_id        VARCHAR(40) NOT NULL,
  task_id       VARCHAR(200) NOT NULL,
  attempt       INT NOT NULL,
  check_no      INT NOT NULL,
  namespace     VARCHAR(200) NOT NULL,
  flow_id       VARCHAR(200) NOT NULL,
  dataset       VARCHAR(200) NOT NULL,
  check_name    VARCHAR(2000) NOT NULL,
  kind          VARCHAR(40) NOT NULL,
  passed        BOOLEAN NOT NULL,
  severity      VARCHAR(10) NOT NULL,
  failing_rows  BIGINT NOT NULL,
  observed      DOUBLE PRECISION,
  detail        VARCHAR(4000),
  checked_at    TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (run_id, task_id, attempt, check_no)
);
CREATE INDEX weir_check_results_dataset ON weir_check_results (namespace, flow_id, dataset, checked_at)
