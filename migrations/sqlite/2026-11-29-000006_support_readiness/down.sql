DROP INDEX audit_log_partner_action;
DROP TABLE live_requests;
DROP TABLE support_comments;
DROP TABLE support_cases;
