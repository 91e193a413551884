-- The catalogue: packages (id is the partner-facing package_id), their countries, which
-- partners may sell which packages, and each partner's eligible markets.
CREATE TABLE packages (
    id TEXT PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL,
    voice_type TEXT,
    coverage_name TEXT NOT NULL,
    coverage_type TEXT NOT NULL,
    region TEXT NOT NULL,
    countries TEXT NOT NULL,
    data_allowance_bytes BIGINT,
    data_unlimited BOOLEAN NOT NULL DEFAULT FALSE,
    voice_minutes INTEGER,
    validity_days INTEGER NOT NULL,
    status TEXT NOT NULL,
    price_minor BIGINT NOT NULL,
    currency TEXT NOT NULL,
    requires_identity_verification BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX packages_created ON packages (created_at, id);

CREATE TABLE package_countries (
    package_id TEXT NOT NULL REFERENCES packages (id),
    country TEXT NOT NULL,
    PRIMARY KEY (package_id, country)
);
CREATE INDEX package_countries_country ON package_countries (country);

CREATE TABLE package_approvals (
    partner_id TEXT NOT NULL REFERENCES partners (id),
    package_id TEXT NOT NULL REFERENCES packages (id),
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (partner_id, package_id)
);

CREATE TABLE partner_markets (
    partner_id TEXT NOT NULL REFERENCES partners (id),
    country TEXT NOT NULL,
    PRIMARY KEY (partner_id, country)
);
