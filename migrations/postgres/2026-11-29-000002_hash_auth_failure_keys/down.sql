-- Nothing to restore: the counters are short-lived.
SELECT 1;
