-- Weir state store, version 3: what `weir server` keeps. Plain SQL for H2 2.x and PostgreSQL.
-- What a trigger passed to a run (trigger.body, trigger.path, ...), as JSON.
ALTER TABLE weir_runs ADD COLUMN trigger_data VARCHAR;
CREATE INDEX weir_runs_state ON weir_runs (state);

-- The flows a server knows: the current revision of each, and whether it may run.
CREATE TABLE weir_flows (
  namespace   VARCHAR(200) NOT NULL,
  flow_id     VARCHAR(200) NOT NULL,
  revision    INT NOT NULL,
  hash        VARCHAR(64) NOT NULL,
  enabled     BOOLEAN NOT NULL,
  updated_at  TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (namespace, flow_id)
);

-- Every revision of every flow, numbered from 1; the text is in weir_flow_revisions by hash.
CREATE TABLE weir_flow_history (
  namespace   VARCHAR(200) NOT NULL,
  flow_id     VARCHAR(200) NOT NULL,
  revision    INT NOT NULL,
  hash        VARCHAR(64) NOT NULL,
  author      VARCHAR(200),
  origin      VARCHAR(200),
  created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (namespace, flow_id, revision)
);

-- What a trigger has fired, once each: a schedule slot, a file's path, an upstream run.
CREATE TABLE weir_trigger_fires (
  namespace   VARCHAR(200) NOT NULL,
  flow_id     VARCHAR(200) NOT NULL,
  trigger_id  VARCHAR(200) NOT NULL,
  fire_key    VARCHAR(1000) NOT NULL,
  run_id      VARCHAR(40),
  fired_at    TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (namespace, flow_id, trigger_id, fire_key)
);

-- How far a schedule has looked (its Due.mark: slots up to it were considered), for catch-up.
CREATE TABLE weir_trigger_marks (
  namespace   VARCHAR(200) NOT NULL,
  flow_id     VARCHAR(200) NOT NULL,
  trigger_id  VARCHAR(200) NOT NULL,
  mark        TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (namespace, flow_id, trigger_id)
);

CREATE TABLE weir_backfills (
  id          VARCHAR(40) PRIMARY KEY,
  namespace   VARCHAR(200) NOT NULL,
  flow_id     VARCHAR(200) NOT NULL,
  trigger_id  VARCHAR(200),
  from_date   TIMESTAMP WITH TIME ZONE NOT NULL,
  to_date     TIMESTAMP WITH TIME ZONE NOT NULL,
  parallel    INT NOT NULL,
  state       VARCHAR(20) NOT NULL,
  slots       INT NOT NULL,
  created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
  ended_at    TIMESTAMP WITH TIME ZONE
);

-- API tokens, only as SHA-256 hashes.
CREATE TABLE weir_api_tokens (
  hash        VARCHAR(64) PRIMARY KEY,
  name        VARCHAR(200) NOT NULL,
  created_at  TIMESTAMP WITH TIME ZONE NOT NULL
)
