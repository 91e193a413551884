DROP TABLE period_closes;
DROP TABLE refunds;
DROP TABLE invoice_lines;
DROP TABLE invoices;
DROP TABLE billing_profiles;
ALTER TABLE wallets DROP COLUMN low_balance_alerted;
ALTER TABLE wallets DROP COLUMN low_balance_threshold;
