DROP INDEX {{schema}}.audit_log_number_occurred_idx;
DROP TABLE {{schema}}.regulator_exports;
