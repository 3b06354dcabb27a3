DROP TABLE {{schema}}.idempotency_keys;
DROP TABLE {{schema}}.audit_log;
DROP FUNCTION {{schema}}.audit_log_append_only();
DROP TABLE {{schema}}.audit_head;
DROP TABLE {{schema}}.import_ledger;
