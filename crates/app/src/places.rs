//! Places: «Бос орын бюллетені», publishing freed places, «Алынған жолдамалар», the
//! statistics, and the office's referral settings.

use crate::{allowed, in_reach, Office, OrApi};
use baqsha_api::*;
use baqsha_core::command::CommandKind;
use baqsha_core::roles::{Operator, Read};
use baqsha_core::*;
use chrono::NaiveDate;

impl Office {
    /// «Бос орын бюллетені» on a date as it stood at its end (nothing for a day still to come).
    pub async fn bulletin(&self, _op: &Operator, on: NaiveDate, district: Option<&str>) -> Result<Vec<BulletinEntry>, ApiError> {
        in_reach(&[on])?;
        self.store().bulletin(on, self.today(), district).await.or_api("bulletin")
    }

    /// Publishes freed places of a group on a date; offers follow at once.
    pub async fn publish_places(&self, op: &Operator, kindergarten: KindergartenId, group: GroupId, count: u32, on: NaiveDate) -> Result<(), ApiError> {
        in_reach(&[on])?;
        let vacancy = Vacancy { id: VacancyId(self.inner.ids.id()), kindergarten, group, count, published_on: on };
        let cmd = self.command(op, CommandKind::PublishVacancy { vacancy });
        self.store().apply(op, &cmd).await.or_api("publish")?;
        tracing::info!("{count} places of group {group} published by {}", op.login);
        self.after_change();
        Ok(())
    }

    /// «Алынған жолдамалар» between two dates: staff see their own kindergarten's.
    pub async fn issued_referrals(&self, op: &Operator, from: NaiveDate, to: NaiveDate) -> Result<Vec<ReferralLine>, ApiError> {
        allowed(op, Read::IssuedReferrals)?;
        in_reach(&[from, to])?;
        let entries = self.store().issued_referrals(from, to, None, op.kindergarten).await.or_api("issued referrals")?;
        Ok(entries.into_iter().map(ReferralLine::from).collect())
    }

    /// «Мем./жеке меншік балабақшалар саны және оның ішіндегі жалпы орын саны».
    pub async fn statistics_places(&self, _op: &Operator) -> Result<Vec<DistrictStats>, ApiError> {
        self.store().district_stats().await.or_api("statistics")
    }

    /// «Балабақшаларға нақты бөлінген орын саны» for a period.
    pub async fn statistics_allocated(&self, _op: &Operator, from: NaiveDate, to: NaiveDate) -> Result<Vec<AllocationStats>, ApiError> {
        in_reach(&[from, to])?;
        self.store().allocation_stats(from, to).await.or_api("statistics")
    }

    /// The office's referral settings: what a refusal does, and the summer pause.
    pub async fn office_settings(&self, _op: &Operator) -> Result<OfficeSettings, ApiError> {
        let (refusal, publication_pause) = self.store().office_rules().await.or_api("settings")?;
        let days = self.store().kurban_ait_days().await.or_api("calendar")?;
        Ok(OfficeSettings { refusal, publication_pause, kurban_ait: days.into_iter().map(|(year, first_day)| KurbanAitDay { year, first_day }).collect() })
    }

    /// Enters the first day of Kurban ait of `year`: the regional administrator only; the
    /// date must fall in that year.
    pub async fn set_kurban_ait(&self, op: &Operator, year: i32, first_day: chrono::NaiveDate) -> Result<OfficeSettings, ApiError> {
        if !op.role.may_change_settings() {
            return Err(ApiError::Denied);
        }
        crate::in_reach(&[first_day])?;
        let cmd = self.command(op, CommandKind::SetKurbanAit { year, first_day });
        self.store().apply(op, &cmd).await.or_api("kurban ait")?;
        tracing::info!("Kurban ait {year} set to {first_day} by {}", op.login);
        self.office_settings(op).await
    }

    /// Changes them: the regional administrator only.
    pub async fn save_office_settings(&self, op: &Operator, settings: &OfficeSettings) -> Result<OfficeSettings, ApiError> {
        if !op.role.may_change_settings() {
            return Err(ApiError::Denied);
        }
        let cmd = self.command(op, CommandKind::SaveOfficeSettings { refusal: settings.refusal, publication_pause: settings.publication_pause });
        self.store().apply(op, &cmd).await.or_api("settings")?;
        tracing::info!("referral settings changed by {}: {:?}", op.login, settings);
        self.office_settings(op).await
    }
}
