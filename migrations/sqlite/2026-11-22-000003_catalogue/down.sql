DROP TABLE partner_markets;
DROP TABLE package_approvals;
DROP TABLE package_countries;
DROP TABLE packages;
