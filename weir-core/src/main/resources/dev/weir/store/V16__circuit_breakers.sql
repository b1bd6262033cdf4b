-- Schema v16: circuit breakers shared by the nodes of a cluster (issue 15).
--
-- weir_breakers: the circuit of one connection name, counted by every node, so that three nodes
-- open it after as many connection failures as one. Times are milliseconds since the epoch on the
-- database's clock. open_until_ms is null while the circuit is closed; once it has passed, the
-- circuit is half-open and one task attempt of one node may hold the trial (trial_node,
-- trial_epoch and trial_label name the node, trial_token the attempt). A trial whose node is gone
-- (its lease expired, or it started again) is free again. opened_after is the count of
-- consecutive failures that opened the circuit, 0 when a failed trial opened it again.
CREATE TABLE weir_breakers (
  connection_name  VARCHAR(200) PRIMARY KEY,
  failures         INT NOT NULL,
  open_until_ms    BIGINT,
  opened_after     INT,
  trial_node       VARCHAR(200),
  trial_epoch      BIGINT,
  trial_label      VARCHAR(200),
  trial_token      VARCHAR(64)
);
