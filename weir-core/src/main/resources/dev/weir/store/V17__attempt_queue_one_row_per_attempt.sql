-- Schema v17: one row per routed attempt (issue 15). A coordinator whose INSERT was committed but
-- whose answer was lost tries the whole transaction again; the key makes that second try find the
-- first row instead of queueing the attempt twice (two workers would run it at once).
CREATE UNIQUE INDEX weir_attempt_queue_attempt ON weir_attempt_queue (run_id, task_id, attempt);
