-- Weir state store, version 2: task state (watermarks) an attempt proposes, committed on run success.
ALTER TABLE weir_task_runs ADD COLUMN state_updates VARCHAR
