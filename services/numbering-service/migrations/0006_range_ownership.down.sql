DROP TABLE {{schema}}.range_ownership;
