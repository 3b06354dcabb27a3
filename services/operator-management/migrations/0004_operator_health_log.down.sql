-- Dropping the parent drops every partition with it.
DROP TABLE {{schema}}.operator_health_log;
