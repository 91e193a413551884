-- Instance-wide settings (for example when the demo data was seeded).
CREATE TABLE system_settings (
    key TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
