//! Leases: places of a published vacancy the region's server sets aside for one office for a
//! while, so that its desk can issue referrals from them with the line down. Only the server
//! grants and takes back a lease; a referral from one stands only while it is current.

use crate::command::RuleError;
use crate::model::{LeaseId, VacancyId};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Places set aside for an office until `expires_at` (or until taken back earlier).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lease {
    pub id: LeaseId,
    pub vacancy: VacancyId,
    pub places: u32,
    /// Referrals already issued from it.
    pub used: u32,
    pub granted_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    /// When it was taken back or lapsed; its unused places went back to the region.
    pub ended_at: Option<DateTime<Utc>>,
}

impl Lease {
    /// When it stops (or stopped) covering referrals.
    pub fn end(&self) -> DateTime<Utc> {
        self.ended_at.map_or(self.expires_at, |e| e.min(self.expires_at))
    }

    pub fn current(&self, at: DateTime<Utc>) -> bool {
        at < self.end()
    }
}

/// Whether a referral for `vacancy` may be taken from the lease when the server decides it
/// (`at`: the server's clock, never the desk's: a desk's clock cannot stretch a lease).
pub fn check_use(lease: &Lease, vacancy: VacancyId, at: DateTime<Utc>) -> Result<(), RuleError> {
    if lease.vacancy != vacancy {
        return Err(RuleError::LeaseMismatch);
    }
    if !lease.current(at) {
        return Err(RuleError::LeaseNotCurrent { ended: lease.end() });
    }
    if lease.used >= lease.places {
        return Err(RuleError::LeaseSpent);
    }
    Ok(())
}

/// A lease's length: long enough for a week without a line, short enough that places do not
/// sit unused at an office that has gone quiet.
pub const DEFAULT_DAYS: i64 = 7;

/// What may be set aside: between one place and all the vacancy still has open.
pub fn check_grant(places: u32, open: u32) -> Result<(), RuleError> {
    if places == 0 {
        return Err(RuleError::NoPlaces);
    }
    if places > open {
        return Err(RuleError::MorePlacesThanFree { requested: places, free: open });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use uuid::Uuid;

    fn lease(places: u32, used: u32) -> Lease {
        Lease {
            id: LeaseId(Uuid::from_u128(1)),
            vacancy: VacancyId(Uuid::from_u128(2)),
            places,
            used,
            granted_at: Utc.with_ymd_and_hms(2026, 12, 1, 4, 0, 0).unwrap(),
            expires_at: Utc.with_ymd_and_hms(2026, 12, 8, 4, 0, 0).unwrap(),
            ended_at: None,
        }
    }

    #[test]
    fn a_lease_covers_referrals_until_it_expires_or_is_taken_back() {
        let l = lease(2, 1);
        let v = l.vacancy;
        assert_eq!(check_use(&l, v, Utc.with_ymd_and_hms(2026, 12, 8, 3, 59, 59).unwrap()), Ok(()));
        assert_eq!(check_use(&l, v, l.expires_at), Err(RuleError::LeaseNotCurrent { ended: l.expires_at }));
        let back = Utc.with_ymd_and_hms(2026, 12, 3, 4, 0, 0).unwrap();
        let taken_back = Lease { ended_at: Some(back), ..l.clone() };
        assert_eq!(check_use(&taken_back, v, back + chrono::Duration::seconds(1)), Err(RuleError::LeaseNotCurrent { ended: back }));
        assert_eq!(check_use(&l, VacancyId(Uuid::from_u128(9)), back), Err(RuleError::LeaseMismatch));
        assert_eq!(check_use(&lease(2, 2), v, back), Err(RuleError::LeaseSpent));
    }

    #[test]
    fn a_grant_sets_aside_only_what_is_open() {
        assert_eq!(check_grant(0, 3), Err(RuleError::NoPlaces));
        assert_eq!(check_grant(4, 3), Err(RuleError::MorePlacesThanFree { requested: 4, free: 3 }));
        assert_eq!(check_grant(3, 3), Ok(()));
    }
}
