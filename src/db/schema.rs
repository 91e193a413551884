// Portable column types only (Text, BigInt, Integer, Bool, Binary, Timestamp), so one
// schema serves SQLite and PostgreSQL. Timestamps are UTC.

diesel::table! {
    system_settings (key) {
        key -> Text,
        value -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    partners (id) {
        id -> Text,
        name -> Text,
        legal_entity -> Text,
        billing_email -> Text,
        status -> Text,
        live_enabled -> Bool,
        suspension_reason -> Nullable<Text>,
        approved_at -> Nullable<Timestamp>,
        suspended_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    members (id) {
        id -> Text,
        partner_id -> Text,
        email -> Text,
        name -> Text,
        role -> Text,
        password_hash -> Text,
        last_login_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    invitations (id) {
        id -> Text,
        partner_id -> Text,
        email -> Text,
        role -> Text,
        token_hash -> Text,
        invited_by -> Text,
        expires_at -> Timestamp,
        accepted_at -> Nullable<Timestamp>,
        member_id -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    credentials (id) {
        id -> Text,
        partner_id -> Text,
        environment -> Text,
        name -> Text,
        client_id -> Text,
        secret_hash -> Text,
        secret_hint -> Text,
        status -> Text,
        replaced_by -> Nullable<Text>,
        expires_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
        last_used_at -> Nullable<Timestamp>,
        created_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    audit_log (id) {
        id -> Text,
        partner_id -> Nullable<Text>,
        environment -> Nullable<Text>,
        actor_type -> Text,
        actor_id -> Nullable<Text>,
        action -> Text,
        target_type -> Nullable<Text>,
        target_id -> Nullable<Text>,
        details -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    events (id) {
        id -> Text,
        partner_id -> Text,
        environment -> Text,
        event_type -> Text,
        data -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    auth_failures (key) {
        key -> Text,
        failures -> Integer,
        window_started_at -> Timestamp,
        locked_until -> Nullable<Timestamp>,
    }
}

diesel::table! {
    packages (id) {
        id -> Text,
        kind -> Text,
        voice_type -> Nullable<Text>,
        coverage_name -> Text,
        coverage_type -> Text,
        region -> Text,
        countries -> Text,
        data_allowance_bytes -> Nullable<BigInt>,
        data_unlimited -> Bool,
        voice_minutes -> Nullable<Integer>,
        validity_days -> Integer,
        status -> Text,
        price_minor -> BigInt,
        currency -> Text,
        requires_identity_verification -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    package_countries (package_id, country) {
        package_id -> Text,
        country -> Text,
    }
}

diesel::table! {
    package_approvals (partner_id, package_id) {
        partner_id -> Text,
        package_id -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    partner_markets (partner_id, country) {
        partner_id -> Text,
        country -> Text,
    }
}

diesel::joinable!(package_countries -> packages (package_id));
diesel::joinable!(package_approvals -> packages (package_id));
diesel::joinable!(members -> partners (partner_id));
diesel::joinable!(invitations -> partners (partner_id));
diesel::joinable!(credentials -> partners (partner_id));
diesel::joinable!(events -> partners (partner_id));

diesel::allow_tables_to_appear_in_same_query!(
    system_settings,
    partners,
    members,
    invitations,
    credentials,
    audit_log,
    events,
    auth_failures,
    packages,
    package_countries,
    package_approvals,
    partner_markets,
);
