DROP TABLE {{schema}}.callback_deliveries;
