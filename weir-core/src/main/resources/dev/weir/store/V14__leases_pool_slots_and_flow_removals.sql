-- Schema v14: what one node of a cluster does for all (issue 15).
--
-- weir_leases: a named duty (watching the flows directory) held by one node in one epoch until
-- lease_until_ms, on the database's clock. The holder renews it with its heartbeat; when it lapses
-- another node takes it. The row keeps its last holder, so a node taking a duty knows whether it
-- held it before (a restart) or takes it from another node (a failover).
CREATE TABLE weir_leases (
  name            VARCHAR(100) PRIMARY KEY,
  holder_node     VARCHAR(200) NOT NULL,
  holder_epoch    BIGINT NOT NULL,
  lease_until_ms  BIGINT NOT NULL
);

-- A flow whose file was removed: the other nodes of a cluster forget it too. A new revision of it
-- clears the mark.
ALTER TABLE weir_flows ADD COLUMN removed_at TIMESTAMP WITH TIME ZONE;

-- weir_pool_slots: the slots of each named pool, shared by every node, so that a pool of 2 runs two
-- tasks at once across the cluster. A slot is held by one task attempt of one node in one epoch; a
-- slot whose node is gone (its lease expired, or it started again) is free again.
CREATE TABLE weir_pool_slots (
  pool          VARCHAR(200) NOT NULL,
  slot          INT NOT NULL,
  holder_node   VARCHAR(200),
  holder_epoch  BIGINT,
  run_id        VARCHAR(40),
  task_id       VARCHAR(200),
  attempt       INT,
  PRIMARY KEY (pool, slot)
);
