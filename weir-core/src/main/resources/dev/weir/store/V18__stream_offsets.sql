-- Schema v18: positions of change data capture streams (issue 16).
--
-- weir_stream_offsets: what a long-running stream task (cdc.postgres, cdc.mysql) keeps of its
-- source, per (namespace, flow_id, task_id). kind 'offset' rows hold the source's offset map
-- (Debezium's partition -> position, JSON text), one row per entry_key, replaced as the task
-- commits batches to its target. kind 'history' rows hold the schema history a binlog reader
-- replays on start (cdc.mysql), in order of entry_key (a zero-padded sequence number).
CREATE TABLE weir_stream_offsets (
  namespace    VARCHAR(200) NOT NULL,
  flow_id      VARCHAR(200) NOT NULL,
  task_id      VARCHAR(200) NOT NULL,
  kind         VARCHAR(20) NOT NULL,
  entry_key    VARCHAR(1000) NOT NULL,
  entry_value  VARCHAR,
  updated_at   TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (namespace, flow_id, task_id, kind, entry_key)
);
