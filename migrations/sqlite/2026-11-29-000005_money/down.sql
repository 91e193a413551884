DROP TABLE period_closes;
DROP TABLE refunds;
DROP TABLE invoice_lines;
DROP TABLE invoices;
DROP TABLE billing_profiles;
