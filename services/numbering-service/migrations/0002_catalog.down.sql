DROP TABLE {{schema}}.tenant_pools;
DROP TABLE {{schema}}.inventory_pools;
DROP TABLE {{schema}}.number_blocks;
DROP TABLE {{schema}}.operator_contracts;
