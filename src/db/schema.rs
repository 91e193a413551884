// Portable column types only (Text, BigInt, Integer, Bool, Binary, Timestamp), so one
// schema serves SQLite and PostgreSQL. Timestamps are UTC.

diesel::table! {
    activation_materials (id) {
        id -> Text,
        service_id -> Text,
        partner_id -> Text,
        environment -> Text,
        status -> Text,
        iccid -> Text,
        smdp_address -> Text,
        confirmation_required -> Bool,
        nonce -> Binary,
        ciphertext -> Binary,
        issued_at -> Timestamp,
        retrieved_at -> Nullable<Timestamp>,
        installed_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    alert_settings (partner_id, environment) {
        partner_id -> Text,
        environment -> Text,
        usage_thresholds -> Text,
        expiry_lead_seconds -> Text,
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
    auth_failures (key) {
        key -> Text,
        failures -> Integer,
        window_started_at -> Timestamp,
        locked_until -> Nullable<Timestamp>,
    }
}

diesel::table! {
    billing_profiles (partner_id) {
        partner_id -> Text,
        commitment_minor -> BigInt,
        commitment_currency -> Text,
        contact_email -> Nullable<Text>,
        contact_name -> Nullable<Text>,
        payment_terms_days -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    console_sessions (id) {
        id -> Text,
        token_hash -> Text,
        csrf_token -> Text,
        partner_id -> Text,
        member_id -> Text,
        environment -> Text,
        created_at -> Timestamp,
        last_seen_at -> Timestamp,
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
    events (id) {
        id -> Text,
        partner_id -> Text,
        environment -> Text,
        event_type -> Text,
        data -> Text,
        created_at -> Timestamp,
        subject_id -> Nullable<Text>,
        test_clock_time -> Nullable<Timestamp>,
    }
}

diesel::table! {
    idempotency_keys (partner_id, environment, key) {
        partner_id -> Text,
        environment -> Text,
        key -> Text,
        request_hash -> Text,
        state -> Text,
        response_status -> Nullable<Integer>,
        response_body -> Nullable<Text>,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        lease_until -> Nullable<Timestamp>,
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
        environment -> Nullable<Text>,
    }
}

diesel::table! {
    invoice_lines (id) {
        id -> Text,
        invoice_id -> Text,
        position -> Integer,
        ledger_entry_id -> Text,
        entry_type -> Text,
        order_id -> Nullable<Text>,
        description -> Text,
        amount_minor -> BigInt,
        entry_created_at -> Timestamp,
    }
}

diesel::table! {
    invoices (id) {
        id -> Text,
        number -> Text,
        partner_id -> Text,
        environment -> Text,
        currency -> Text,
        period -> Text,
        period_start -> Timestamp,
        period_end -> Timestamp,
        status -> Text,
        commitment_minor -> BigInt,
        usage_minor -> BigInt,
        true_up_minor -> BigInt,
        total_minor -> BigInt,
        payment_terms_days -> Integer,
        origin -> Text,
        due_at -> Nullable<Timestamp>,
        issued_at -> Nullable<Timestamp>,
        paid_at -> Nullable<Timestamp>,
        voided_at -> Nullable<Timestamp>,
        void_reason -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    ledger_entries (id) {
        id -> Text,
        wallet_id -> Text,
        partner_id -> Text,
        environment -> Text,
        currency -> Text,
        entry_type -> Text,
        amount -> BigInt,
        order_id -> Nullable<Text>,
        order_attempt -> Nullable<Integer>,
        invoice_id -> Nullable<Text>,
        available_after -> BigInt,
        reserved_after -> BigInt,
        description -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    live_requests (id) {
        id -> Text,
        partner_id -> Text,
        status -> Text,
        requested_by_type -> Text,
        requested_by_id -> Nullable<Text>,
        checklist -> Text,
        decision_reason -> Nullable<Text>,
        decided_at -> Nullable<Timestamp>,
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
    order_items (order_id, position) {
        order_id -> Text,
        position -> Integer,
        package_id -> Text,
        kind -> Text,
        voice_type -> Nullable<Text>,
        price_minor -> BigInt,
        currency -> Text,
    }
}

diesel::table! {
    orders (id) {
        id -> Text,
        partner_id -> Text,
        environment -> Text,
        order_type -> Text,
        state -> Text,
        customer_reference -> Text,
        metadata -> Text,
        service_id -> Nullable<Text>,
        currency -> Nullable<Text>,
        total_minor -> BigInt,
        sandbox_scenario -> Nullable<Text>,
        identity_verified -> Bool,
        attempt -> Integer,
        failure_code -> Nullable<Text>,
        failure_message -> Nullable<Text>,
        retryable -> Bool,
        retry_allowed -> Bool,
        next_step -> Text,
        completed_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
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
    package_countries (package_id, country) {
        package_id -> Text,
        country -> Text,
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
    partner_markets (partner_id, country) {
        partner_id -> Text,
        country -> Text,
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
    period_closes (period) {
        period -> Text,
        lease_owner -> Nullable<Text>,
        lease_until -> Nullable<Timestamp>,
        invoices -> Integer,
        done_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    provisioning_tasks (order_id) {
        order_id -> Text,
        step -> Integer,
        due_at -> Timestamp,
        lease_until -> Nullable<Timestamp>,
        created_at -> Timestamp,
        lease_owner -> Nullable<Text>,
        errors -> Integer,
        last_error -> Nullable<Text>,
        dead_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    refunds (id) {
        id -> Text,
        partner_id -> Text,
        environment -> Text,
        order_id -> Text,
        currency -> Text,
        amount_minor -> BigInt,
        reason -> Text,
        note -> Nullable<Text>,
        status -> Text,
        decided_by -> Nullable<Text>,
        decision_reason -> Nullable<Text>,
        ledger_entry_id -> Nullable<Text>,
        requested_by -> Text,
        decided_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    sandbox_clocks (partner_id) {
        partner_id -> Text,
        offset_seconds -> BigInt,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    service_alerts (service_id, alert, basis) {
        service_id -> Text,
        alert -> Text,
        basis -> Text,
        event_id -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    services (id) {
        id -> Text,
        partner_id -> Text,
        environment -> Text,
        customer_reference -> Text,
        package_id -> Text,
        state -> Text,
        install_state -> Text,
        next_step -> Text,
        iccid -> Nullable<Text>,
        data_allowance_bytes -> Nullable<BigInt>,
        data_unlimited -> Bool,
        validity_days -> Integer,
        activated_at -> Nullable<Timestamp>,
        expires_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    support_cases (id) {
        id -> Text,
        partner_id -> Text,
        environment -> Text,
        subject -> Text,
        issue -> Text,
        category -> Text,
        priority -> Text,
        status -> Text,
        order_id -> Nullable<Text>,
        service_id -> Nullable<Text>,
        package_id -> Nullable<Text>,
        customer_reference -> Nullable<Text>,
        state_at_open -> Text,
        opened_by_type -> Text,
        opened_by_id -> Nullable<Text>,
        resolved_at -> Nullable<Timestamp>,
        closed_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    support_comments (id) {
        id -> Text,
        case_id -> Text,
        author_type -> Text,
        author_id -> Nullable<Text>,
        body -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    system_settings (key) {
        key -> Text,
        value -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    usage_snapshots (id) {
        id -> Text,
        service_id -> Text,
        partner_id -> Text,
        environment -> Text,
        bytes_used -> BigInt,
        bytes_remaining -> Nullable<BigInt>,
        minutes_used -> Nullable<Integer>,
        as_of -> Timestamp,
        source -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    usage_thresholds (service_id, allowance_bytes, threshold) {
        service_id -> Text,
        allowance_bytes -> BigInt,
        threshold -> Integer,
        reached_at -> Timestamp,
    }
}

diesel::table! {
    wallets (id) {
        id -> Text,
        partner_id -> Text,
        environment -> Text,
        currency -> Text,
        available -> BigInt,
        reserved -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        low_balance_threshold -> Nullable<BigInt>,
        low_balance_alerted -> Bool,
    }
}

diesel::table! {
    webhook_attempts (id) {
        id -> Text,
        delivery_id -> Text,
        attempt -> Integer,
        status_code -> Nullable<Integer>,
        latency_ms -> Integer,
        error -> Nullable<Text>,
        response_excerpt -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    webhook_deliveries (id) {
        id -> Text,
        endpoint_id -> Text,
        event_id -> Text,
        partner_id -> Text,
        environment -> Text,
        status -> Text,
        replay -> Bool,
        attempts -> Integer,
        next_attempt_at -> Nullable<Timestamp>,
        lease_until -> Nullable<Timestamp>,
        last_status_code -> Nullable<Integer>,
        last_error -> Nullable<Text>,
        completed_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        lease_owner -> Nullable<Text>,
    }
}

diesel::table! {
    webhook_endpoints (id) {
        id -> Text,
        partner_id -> Text,
        environment -> Text,
        url -> Text,
        description -> Nullable<Text>,
        event_types -> Text,
        enabled -> Bool,
        disabled_reason -> Nullable<Text>,
        secret_nonce -> Binary,
        secret_sealed -> Binary,
        previous_secret_nonce -> Nullable<Binary>,
        previous_secret_sealed -> Nullable<Binary>,
        previous_secret_expires_at -> Nullable<Timestamp>,
        last_success_at -> Nullable<Timestamp>,
        deleted_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        consecutive_failures -> Integer,
        circuit_open_until -> Nullable<Timestamp>,
    }
}

diesel::joinable!(webhook_deliveries -> webhook_endpoints (endpoint_id));
diesel::joinable!(webhook_attempts -> webhook_deliveries (delivery_id));
diesel::joinable!(ledger_entries -> wallets (wallet_id));
diesel::joinable!(order_items -> orders (order_id));
diesel::joinable!(provisioning_tasks -> orders (order_id));
diesel::joinable!(package_countries -> packages (package_id));
diesel::joinable!(package_approvals -> packages (package_id));
diesel::joinable!(members -> partners (partner_id));
diesel::joinable!(invitations -> partners (partner_id));
diesel::joinable!(console_sessions -> partners (partner_id));
diesel::joinable!(credentials -> partners (partner_id));
diesel::joinable!(events -> partners (partner_id));
diesel::joinable!(sandbox_clocks -> partners (partner_id));
diesel::joinable!(alert_settings -> partners (partner_id));
diesel::joinable!(service_alerts -> services (service_id));
diesel::joinable!(support_comments -> support_cases (case_id));
diesel::joinable!(support_cases -> partners (partner_id));
diesel::joinable!(live_requests -> partners (partner_id));
diesel::joinable!(invoice_lines -> invoices (invoice_id));
diesel::joinable!(billing_profiles -> partners (partner_id));

diesel::allow_tables_to_appear_in_same_query!(
    activation_materials,
    alert_settings,
    audit_log,
    auth_failures,
    billing_profiles,
    console_sessions,
    credentials,
    events,
    idempotency_keys,
    invitations,
    invoice_lines,
    invoices,
    ledger_entries,
    live_requests,
    members,
    order_items,
    orders,
    package_approvals,
    package_countries,
    packages,
    partner_markets,
    partners,
    period_closes,
    provisioning_tasks,
    refunds,
    sandbox_clocks,
    service_alerts,
    services,
    support_cases,
    support_comments,
    system_settings,
    usage_snapshots,
    usage_thresholds,
    wallets,
    webhook_attempts,
    webhook_deliveries,
    webhook_endpoints,
);
