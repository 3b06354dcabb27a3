DROP TABLE {{schema}}.operator_connections;
DROP TABLE {{schema}}.operator_prefixes;
DROP TABLE {{schema}}.operators;
