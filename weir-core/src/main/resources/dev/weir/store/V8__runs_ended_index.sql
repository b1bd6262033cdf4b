-- Schema v8: logs and metrics (issue 5, logs). Log retention deletes the lines of runs that ended
-- before a cutoff; this index finds those runs without scanning every run.
CREATE INDEX weir_runs_ended ON weir_runs (ended_at);
