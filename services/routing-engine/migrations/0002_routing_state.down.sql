DROP TABLE {{schema}}.operator_health;
DROP TABLE {{schema}}.operators;
DROP TABLE {{schema}}.rule_set;
