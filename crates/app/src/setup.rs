//! The first start of a desk: the demo (clearly marked, every name invented) or a real
//! office. A real office's database never holds a demo account, and is never filled with
//! the demo afterwards; a demo's is never turned into a real office's.

use crate::{Office, OrApi};
use baqsha_api::*;
use baqsha_core::roles::Role;
use baqsha_store::NewOperator;

impl Office {
    /// Whether this desk already holds an office (the demo or a real one).
    pub async fn is_set_up(&self) -> Result<bool, ApiError> {
        Ok(self.store().meta("seeded").await.or_api("setup")?.is_some())
    }

    /// The regions the first-run screen offers, when this desk holds no office yet.
    pub(crate) async fn setup_choices(&self) -> Result<Option<Vec<SetupRegion>>, ApiError> {
        if self.is_set_up().await? {
            return Ok(None);
        }
        Ok(Some(
            baqsha_demo::geography()
                .into_iter()
                .map(|r| SetupRegion { code: r.code, name: baqsha_core::Names { kk: r.name_kk, ru: r.name_ru, en: Some(r.name_en) }, districts: r.districts })
                .collect(),
        ))
    }

    /// «Демо нұсқасын көру»: the demo region, on a desk that holds nothing yet.
    pub async fn start_demo(&self) -> Result<StartInfo, ApiError> {
        if self.store().meta("demo").await.or_api("setup")?.as_deref() == Some("0") {
            tracing::warn!("refused to fill a real office's database with the demo");
            return Err(ApiError::Denied);
        }
        crate::seed::seed_if_empty(self).await.map_err(|e| crate::internal("demo", e))?;
        self.start_info().await
    }

    /// «Осы кеңсені баптау»: a real office in `setup.region`, its administrator with the
    /// password chosen here. Refused on a desk that already holds an office; a refused form
    /// writes nothing.
    pub async fn set_up_office(&self, setup: &OfficeSetup) -> Result<Session, ApiError> {
        if self.is_set_up().await? {
            return Err(ApiError::Denied);
        }
        let invalid = |field: &str| ApiError::InvalidInput { field: field.into() };
        let region = baqsha_demo::geography().into_iter().find(|r| r.code == setup.region).ok_or_else(|| invalid("region"))?;
        let district = region.districts.iter().find(|d| d.code == setup.district).ok_or_else(|| invalid("district"))?;
        let office_name = setup.office_name.trim();
        if office_name.chars().count() < 3 {
            return Err(invalid("office"));
        }
        let admin_name = setup.admin_name.trim();
        if admin_name.chars().count() < 3 {
            return Err(invalid("name"));
        }
        let login = setup.admin_login.trim().to_lowercase();
        if !baqsha_core::command::login_acceptable(&login) {
            return Err(invalid("login"));
        }
        if !baqsha_core::command::password_acceptable(&login, &setup.password) {
            return Err(invalid("password"));
        }
        let store = self.store();
        store.save_districts(&region.districts).await.or_api("setup")?;
        for (key, value) in [
            ("region_name_kk", region.name_kk.as_str()),
            ("region_name_ru", region.name_ru.as_str()),
            ("region_name_en", region.name_en.as_str()),
            ("demo", "0"),
            ("number_prefix", region.code.as_str()),
            ("office_name", office_name),
            ("office_district", district.code.as_str()),
        ] {
            store.set_meta(key, value).await.or_api("setup")?;
        }
        let admin = store
            .create_operator(&NewOperator { login, full_name: admin_name.to_string(), role: Role::RegionalAdmin, kindergarten: None, password: setup.password.clone() })
            .await
            .or_api("setup")?;
        store.set_meta("seeded", &self.now().to_rfc3339()).await.or_api("setup")?;
        tracing::info!("office set up in {} ({}), administrator {}", region.code, district.code, admin.login);
        self.session(admin).await
    }
}
