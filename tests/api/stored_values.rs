//! A stored enum text that names no known value is a server fault that surfaces: 500 with a
//! log line naming the table and column, never a silent default.

use diesel::prelude::*;
use onyx::db::schema::{members, packages};

use crate::catalogue::{create_package, package};
use crate::helpers::{logs, Fetch, TestApp};

#[tokio::test]
async fn an_unknown_stored_value_answers_500_and_logs_its_column() {
    let app = TestApp::spawn().await;
    create_package(&app, &package("fr-junk")).await;
    app.db_query(|c| {
        diesel::update(packages::table.find("fr-junk"))
            .set(packages::status.eq("paused-by-hand"))
            .execute(c)
    })
    .unwrap();
    let r = app
        .operator()
        .request(reqwest::Method::GET, "/v1/admin/packages/fr-junk")
        .header("x-request-id", "stored-junk-1")
        .fetch()
        .await;
    let body = r.expect_problem(500, "internal_error");
    assert!(
        !body.to_string().contains("paused-by-hand"),
        "the stored text is logged, not answered: {body}"
    );
    let logged = logs().contents();
    let line = logged
        .lines()
        .find(|l| l.contains("paused-by-hand"))
        .unwrap_or_else(|| panic!("no log line names the stored value"));
    assert!(line.contains("packages.status"), "{line}");
    assert!(line.contains("PackageStatus"), "{line}");

    // A member whose stored role is unknown is refused with a server fault, not treated as
    // a viewer (the fallback before).
    let org = app.onboard("Junk roles").await;
    app.db_query(|c| {
        diesel::update(members::table.filter(members::partner_id.eq(&org.partner_id)))
            .set(members::role.eq("superuser"))
            .execute(c)
    })
    .unwrap();
    // A change by hand bypasses the writes that announce access changes.
    app.state.db.note_changed(onyx::db::Change::Access);
    app.bearer(&org.owner.token)
        .get("/v1/me")
        .await
        .expect_problem(500, "internal_error");
    assert!(logs().contents().contains("members.role"));
}
