DROP TABLE {{schema}}.operator_health;
DROP TABLE {{schema}}.routing_rule_sets;
