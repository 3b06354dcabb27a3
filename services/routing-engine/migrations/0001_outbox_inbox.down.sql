DROP TABLE {{schema}}.inbox;
DROP TABLE {{schema}}.outbox;
DROP FUNCTION {{schema}}.outbox_notify();
