-- Schema v13: cluster membership and run fencing (issue 15).
--
-- weir_nodes: one row per node id. A node bumps its epoch each time it starts and renews its lease
-- (lease_until_ms) on the database's clock, never its own: every time here is milliseconds since
-- the epoch as the database computed it, so that nodes with skewed clocks agree on who is alive.
CREATE TABLE weir_nodes (
  node_id         VARCHAR(200) PRIMARY KEY,
  epoch           BIGINT NOT NULL,
  role            VARCHAR(40) NOT NULL,
  host            VARCHAR(255),
  pid             BIGINT,
  started_at_ms   BIGINT NOT NULL,
  renewed_at_ms   BIGINT NOT NULL,
  lease_until_ms  BIGINT NOT NULL
);

-- A run executed by a node names the node and the epoch it had (owner_node, owner_epoch; null for a
-- run a `weir run` process executes, or nobody). fence goes up by one at every claim of the run: a
-- coordinator writes only while the run still holds the fence it claimed, so the writes of one a
-- newer claim replaced change nothing.
ALTER TABLE weir_runs ADD COLUMN owner_node VARCHAR(200);
ALTER TABLE weir_runs ADD COLUMN owner_epoch BIGINT;
ALTER TABLE weir_runs ADD COLUMN fence BIGINT DEFAULT 0 NOT NULL;
CREATE INDEX weir_runs_owner_node ON weir_runs (owner_node);
