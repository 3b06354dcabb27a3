-- Detached partitions still waiting for archival are plain tables named like partitions: drop them too.
DO $$
DECLARE
  leftover record;
BEGIN
  FOR leftover IN
    SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.oid = to_regnamespace('{{schema}}') AND c.relkind = 'r' AND c.relname LIKE 'sms\_messages\_p%' AND NOT c.relispartition
  LOOP
    EXECUTE format('DROP TABLE %s.%I', '{{schema}}', leftover.relname);
  END LOOP;
END
$$;
DROP TABLE {{schema}}.sms_messages_archive_log;
DROP TABLE {{schema}}.sms_messages;
DROP FUNCTION {{schema}}.ensure_sms_messages_partition(date);
DROP FUNCTION {{schema}}.secure_sms_messages_partition(text);
DROP FUNCTION {{schema}}.uuid_v7_time(uuid);
