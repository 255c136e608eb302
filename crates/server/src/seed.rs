//! The demo region on the server: East Kazakhstan's offices (the regional office, one per
//! district department, one per demo kindergarten), their accounts, and the kindergartens as
//! reference data — the same region a demo desk holds, so a demo desk can join it. Only into
//! an empty database; a real region is set up by its administrator.

use crate::auth::hash_password;
use crate::push::Pending;
use crate::{Server, ServerError};
use chrono::NaiveDate;
use uuid::Uuid;

/// The demo's passwords, one per role (printed by `scripts/server.sh`).
pub const ADMIN_PASSWORD: &str = "baqsha-admin";
pub const OPERATOR_PASSWORD: &str = "baqsha-operator";
pub const STAFF_PASSWORD: &str = "baqsha-staff";

/// What was seeded, to print.
#[derive(Debug, Default)]
pub struct Seeded {
    pub offices: usize,
    pub accounts: usize,
    pub kindergartens: usize,
    pub groups: usize,
}

impl Server {
    pub async fn seed_demo(&self, today: NaiveDate) -> Result<Option<Seeded>, ServerError> {
        let any: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM offices)").fetch_one(&self.pool).await?;
        if any {
            return Ok(None);
        }
        let region = baqsha_demo::generate(baqsha_demo::Scale::Demo, baqsha_demo::DEMO_SEED, today);
        let (admin, operator, staff) = (hash_password(ADMIN_PASSWORD)?, hash_password(OPERATOR_PASSWORD)?, hash_password(STAFF_PASSWORD)?);
        let mut tx = self.pool.begin().await?;
        let mut seeded = Seeded::default();
        let mut office = |scope: &'static str, name: String, prefix: String, district: Option<String>, kindergarten: Option<Uuid>| {
            seeded.offices += 1;
            (Uuid::now_v7(), scope, name, prefix, district, kindergarten)
        };
        let mut offices = vec![office("region", format!("{} білім басқармасы", region.name_kk), "VKO".into(), None, None)];
        for d in &region.districts {
            offices.push(office("district", format!("{} білім бөлімі", d.name_kk), format!("VKO-{}", d.code.to_uppercase()), Some(d.code.clone()), None));
        }
        for (i, k) in region.kindergartens.iter().enumerate() {
            offices.push(office("kindergarten", k.name_kk.clone(), format!("VKO-K{:03}", i + 1), None, Some(k.id.0)));
        }
        for (id, scope, name, prefix, district, kindergarten) in &offices {
            sqlx::query("INSERT INTO offices (id, name, scope, district, kindergarten, prefix) VALUES ($1, $2, $3, $4, $5, $6)")
                .bind(id)
                .bind(name)
                .bind(scope)
                .bind(district)
                .bind(kindergarten)
                .bind(prefix)
                .execute(&mut *tx)
                .await?;
        }
        let mut accounts = vec![("admin".to_string(), "Әкімшілік Айжан".to_string(), &admin, "regional_admin", offices[0].0)];
        for (n, o) in offices.iter().filter(|o| o.1 == "district").enumerate() {
            accounts.push((format!("operator-{}", n + 1), format!("Оператор {}", n + 1), &operator, "department_operator", o.0));
        }
        for (n, o) in offices.iter().filter(|o| o.1 == "kindergarten").enumerate() {
            accounts.push((format!("balabaqsha-{}", n + 1), format!("Қызметкер {}", n + 1), &staff, "kindergarten_staff", o.0));
        }
        for (login, name, hash, role, office) in &accounts {
            sqlx::query("INSERT INTO accounts (id, login, full_name, password_hash, role, office) VALUES ($1, $2, $3, $4, $5, $6)")
                .bind(Uuid::now_v7())
                .bind(login)
                .bind(name)
                .bind(hash.as_str())
                .bind(role)
                .bind(office)
                .execute(&mut *tx)
                .await?;
        }
        seeded.accounts = accounts.len();
        let mut changes = vec![];
        for k in &region.kindergartens {
            let body = serde_json::to_value(k).map_err(|e| ServerError::Decode { what: "kindergarten", detail: e.to_string() })?;
            sqlx::query("INSERT INTO kindergartens (id, district, body) VALUES ($1, $2, $3)").bind(k.id.0).bind(&k.district).bind(&body).execute(&mut *tx).await?;
            changes.push(Pending { entity: "kindergarten", id: k.id.0, district: None, kindergartens: vec![], body: Some(body) });
        }
        seeded.kindergartens = changes.len();
        // The groups as reference data (their children are the kindergartens' own records).
        for g in &region.groups {
            let body = serde_json::to_value(g).map_err(|e| ServerError::Decode { what: "group", detail: e.to_string() })?;
            sqlx::query("INSERT INTO groups (id, kindergarten, capacity, enrolled, body) VALUES ($1, $2, $3, $4, $5)")
                .bind(g.id.0)
                .bind(g.kindergarten.0)
                .bind(g.capacity as i32)
                .bind(g.enrolled.min(g.capacity) as i32)
                .bind(&body)
                .execute(&mut *tx)
                .await?;
            changes.push(Pending { entity: "group", id: g.id.0, district: None, kindergartens: vec![], body: Some(body) });
        }
        seeded.groups = region.groups.len();
        crate::pull::append(&mut tx, &changes).await?;
        // Desks that join say so on their top bar, and seal with the public demo key.
        sqlx::query("INSERT INTO server_meta (key, value) VALUES ('demo', '1') ON CONFLICT (key) DO UPDATE SET value = '1'").execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(Some(seeded))
    }
}
