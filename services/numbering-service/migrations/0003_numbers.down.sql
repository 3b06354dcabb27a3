DROP TABLE {{schema}}.leases;
DROP TABLE {{schema}}.reservations;
DROP TABLE {{schema}}.numbers;
