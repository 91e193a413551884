// Portable column types only (Text, BigInt, Integer, Bool, Binary, Timestamp), so one
// schema serves SQLite and PostgreSQL. Timestamps are UTC.

diesel::table! {
    system_settings (key) {
        key -> Text,
        value -> Text,
        updated_at -> Timestamp,
    }
}
