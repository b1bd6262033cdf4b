-- Schema v11: dataset freshness (issue 12). The overview and the datasets page show how long ago
-- each dataset was last staged by a SUCCEEDED attempt; finding that in the task runs read every
-- task run ever stored. This table keeps the newest such attempt per flow and task, written in the
-- transaction that stores the attempt's end (see DatasetWrites), so the pages read one row per
-- dataset. Filled here from the task runs already stored, with the rule the old query had: the
-- newest end, ties to the higher run id.
CREATE TABLE weir_dataset_writes (
  namespace   VARCHAR(200) NOT NULL,
  flow_id     VARCHAR(200) NOT NULL,
  task_id     VARCHAR(200) NOT NULL,
  run_id      VARCHAR(40) NOT NULL,
  written_at  TIMESTAMP WITH TIME ZONE NOT NULL,
  rows_out    BIGINT NOT NULL,
  PRIMARY KEY (namespace, flow_id, task_id)
);
INSERT INTO weir_dataset_writes (namespace, flow_id, task_id, run_id, written_at, rows_out)
  SELECT namespace, flow_id, task_id, run_id, ended_at, rows_out FROM (SELECT r.namespace,
    r.flow_id, t.task_id, t.run_id, t.ended_at, t.rows_out, ROW_NUMBER() OVER (PARTITION BY
    r.namespace, r.flow_id, t.task_id ORDER BY t.ended_at DESC, t.run_id DESC) AS n
    FROM weir_task_runs t JOIN weir_runs r ON r.id = t.run_id
    WHERE t.state = 'SUCCEEDED' AND t.dataset IS NOT NULL AND t.ended_at IS NOT NULL) x
  WHERE n = 1;
