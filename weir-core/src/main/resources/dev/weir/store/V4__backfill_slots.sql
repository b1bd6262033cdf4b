-- Weir state store, version 4: the slots of each backfill and the run each one started.
-- Every slot is written when the backfill is created, so the slots do not change when the flow's
-- schedule is edited, and a restarted server continues with the first slot without a run.
CREATE TABLE weir_backfill_slots (
  backfill_id   VARCHAR(40) NOT NULL,
  slot_no       INT NOT NULL,
  logical_date  TIMESTAMP WITH TIME ZONE NOT NULL,
  claimed_at    TIMESTAMP WITH TIME ZONE,
  run_id        VARCHAR(40),
  error         VARCHAR(2000),
  PRIMARY KEY (backfill_id, slot_no)
);

-- Why a backfill ended other than by its runs (cancelled, its flow removed).
ALTER TABLE weir_backfills ADD COLUMN error VARCHAR(2000)
