-- Schema v7: alerts and SLAs (issue 5, alerts).
-- Per flow: whether its last finished run failed, so the next success is heard as 'recovered'
-- after a restart too. Only flows with alerts have a row.
CREATE TABLE weir_alert_flows (
  namespace   VARCHAR(200) NOT NULL,
  flow_id     VARCHAR(200) NOT NULL,
  failing     BOOLEAN NOT NULL,
  run_id      VARCHAR(40),
  updated_at  TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (namespace, flow_id)
);

-- When one event of one flow last went to one alert entry (channel#index): the throttle window
-- starts there. A recovery deletes the flow's rows, so the next failure is heard at once.
CREATE TABLE weir_alert_sent (
  namespace   VARCHAR(200) NOT NULL,
  flow_id     VARCHAR(200) NOT NULL,
  event       VARCHAR(40) NOT NULL,
  channel     VARCHAR(60) NOT NULL,
  sent_at     TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (namespace, flow_id, event, channel)
);

-- Runs whose SLA miss was raised: once per run, whichever node saw it first.
CREATE TABLE weir_sla_misses (
  run_id      VARCHAR(40) PRIMARY KEY,
  namespace   VARCHAR(200) NOT NULL,
  flow_id     VARCHAR(200) NOT NULL,
  reason      VARCHAR(1000) NOT NULL,
  raised_at   TIMESTAMP WITH TIME ZONE NOT NULL
);
