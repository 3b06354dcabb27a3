DROP TABLE {{schema}}.submitted_parts;
