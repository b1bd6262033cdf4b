-- Schema v10: the runs list of the web UI (issue 12) pages, sorts and filters 100,000 runs and
-- more. A run's duration (ended - started, in milliseconds; NULL until it has started and ended) is
-- stored with it, so it can be sorted and filtered on through an index on both databases. Each
-- sort order has an index ending in the run id, the last key of every order, so a page is an index
-- range scan that stops after the page; these replace the shorter indexes of v1 and v3. Runs not
-- started or not ended sort as if later or longer than all others (NULLS LAST going up), which is
-- PostgreSQL's default; H2 is told so in the index, or it would not read the index in that order.
ALTER TABLE weir_runs ADD COLUMN duration_ms BIGINT;
UPDATE weir_runs SET duration_ms = FLOOR((EXTRACT(EPOCH FROM ended_at) - EXTRACT(EPOCH FROM started_at)) * 1000)
  WHERE started_at IS NOT NULL AND ended_at IS NOT NULL;
DROP INDEX weir_runs_created;
DROP INDEX weir_runs_state;
DROP INDEX weir_runs_flow;
CREATE INDEX weir_runs_created ON weir_runs (created_at, id);
CREATE INDEX weir_runs_started ON weir_runs (started_at NULLS LAST, id);
CREATE INDEX weir_runs_duration ON weir_runs (duration_ms NULLS LAST, id);
CREATE INDEX weir_runs_flow ON weir_runs (namespace, flow_id, created_at, id);
CREATE INDEX weir_runs_state ON weir_runs (state, created_at, id);
CREATE INDEX weir_runs_trigger ON weir_runs (trigger_type, created_at, id);
