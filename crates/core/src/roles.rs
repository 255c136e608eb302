//! Who may do what. Every command is authorised here, in one place.

use crate::command::CommandKind;
use crate::model::{KindergartenId, OperatorId};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// The registry of kindergartens, operator accounts, the rules' calendar.
    RegionalAdmin,
    /// Applications, benefits and referrals at the education department's desk.
    DepartmentOperator,
    /// One kindergarten's passport, groups and places; admission.
    KindergartenStaff,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::RegionalAdmin, Role::DepartmentOperator, Role::KindergartenStaff];
    pub fn code(self) -> &'static str {
        match self {
            Role::RegionalAdmin => "regional_admin",
            Role::DepartmentOperator => "department_operator",
            Role::KindergartenStaff => "kindergarten_staff",
        }
    }
    pub fn from_code(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == s)
    }
    /// Whether this role may register an application whose contacts were confirmed by the
    /// parent's identity document at the desk instead of codes.
    pub fn may_confirm_in_person(self) -> bool {
        matches!(self, Role::RegionalAdmin | Role::DepartmentOperator)
    }
    /// Whether this role changes the office's referral settings (refusal, stop-list, pause).
    pub fn may_change_settings(self) -> bool {
        matches!(self, Role::RegionalAdmin)
    }
    /// Whether this role decides benefit claims.
    pub fn may_verify_benefits(self) -> bool {
        matches!(self, Role::RegionalAdmin | Role::DepartmentOperator)
    }
}

/// A signed-in person, as the rules see them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Operator {
    pub id: OperatorId,
    pub login: String,
    pub full_name: String,
    pub role: Role,
    /// Set for kindergarten staff: the one kindergarten they work for.
    pub kindergarten: Option<KindergartenId>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum Denied {
    #[error("this role may not do this")]
    Role,
    #[error("kindergarten staff may change only their own kindergarten")]
    OtherKindergarten,
}

/// A read that returns personal data (a child, a parent, an IIN, contacts, proofs), with the
/// facts its permission depends on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Read<'a> {
    /// A child's applications with the parent, contacts and address («Кезекті тексеру»),
    /// with the kindergartens the application names.
    Application { naming: &'a [KindergartenId] },
    /// A referral (child, parent, phone) to this kindergarten.
    Referral { kindergarten: KindergartenId },
    /// The referrals issued in a period, with children's names: staff get their own
    /// kindergarten's only (the caller narrows the list to `op.kindergarten`).
    IssuedReferrals,
    /// Benefit claims waiting for a decision, and their proof images.
    BenefitClaims,
    /// What registering an application reads and keeps: names from the person registry,
    /// confirmation codes, proofs, the draft.
    Registration,
    /// The SMS and e-mail the office sent or holds: recipients and texts.
    Messages,
}

impl Read<'_> {
    /// For the log: what was asked, never whose.
    pub fn code(&self) -> &'static str {
        match self {
            Read::Application { .. } => "application",
            Read::Referral { .. } => "referral",
            Read::IssuedReferrals => "issued_referrals",
            Read::BenefitClaims => "benefit_claims",
            Read::Registration => "registration",
            Read::Messages => "messages",
        }
    }
}

/// Who may read what. The department and the administrator read all of the office's
/// people; kindergarten staff read only what admission needs: the children who name their
/// kindergarten and the referrals to it.
pub fn may_read(op: &Operator, read: Read) -> Result<(), Denied> {
    let desk = matches!(op.role, Role::RegionalAdmin | Role::DepartmentOperator);
    let mine = |k: KindergartenId| op.kindergarten == Some(k);
    let ok = match read {
        Read::Application { naming } => desk || naming.iter().any(|k| mine(*k)),
        Read::Referral { kindergarten } => desk || mine(kindergarten),
        Read::IssuedReferrals => desk || op.kindergarten.is_some(),
        Read::BenefitClaims => op.role.may_verify_benefits(),
        Read::Registration | Read::Messages => desk,
    };
    if ok {
        Ok(())
    } else if desk || op.role != Role::KindergartenStaff {
        Err(Denied::Role)
    } else {
        Err(Denied::OtherKindergarten)
    }
}

pub fn authorize(op: &Operator, kind: &CommandKind) -> Result<(), Denied> {
    use CommandKind::*;
    let in_person = matches!(
        kind,
        RegisterApplication { confirmation: Some(crate::command::ContactConfirmation::InPerson { .. }), .. }
            | IssueReferral { confirmation: crate::command::ContactConfirmation::InPerson { .. }, .. }
    );
    if in_person && !op.role.may_confirm_in_person() {
        return Err(Denied::Role);
    }
    if matches!(kind, ConfirmBenefit { .. } | RejectBenefit { .. }) && !op.role.may_verify_benefits() {
        return Err(Denied::Role);
    }
    if !may(op.role, kind.code()) {
        return Err(Denied::Role);
    }
    // Staff change only their own kindergarten.
    if op.role == Role::KindergartenStaff {
        return match (op.kindergarten, kind.kindergarten()) {
            (Some(mine), Some(target)) if mine == target => Ok(()),
            _ => Err(Denied::OtherKindergarten),
        };
    }
    Ok(())
}

/// Whether the role may give a command of this kind (`CommandKind::code()`) at all: the one
/// table that `authorize` applies on the desk and on the server, and that the screens ask
/// before they offer a button (a button the role cannot use is not shown).
pub fn may(role: Role, command: &str) -> bool {
    match role {
        Role::RegionalAdmin => true,
        Role::DepartmentOperator => matches!(
            command,
            "register_application"
                | "withdraw_application"
                | "edit_application"
                | "archive_application"
                | "confirm_benefit"
                | "reject_benefit"
                | "issue_referral"
                | "extend_referral"
                | "refuse_referral"
        ),
        Role::KindergartenStaff => matches!(command, "save_kindergarten" | "save_group" | "publish_vacancy" | "admit_referral"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::*;
    use uuid::Uuid;

    fn op(role: Role, k: Option<u128>) -> Operator {
        Operator { id: OperatorId(Uuid::from_u128(1)), login: "x".into(), full_name: "X".into(), role, kindergarten: k.map(|n| KindergartenId(Uuid::from_u128(n))) }
    }

    #[test]
    fn the_screens_ask_the_same_table_as_authorize() {
        for code in ["edit_application", "withdraw_application", "issue_referral", "extend_referral", "refuse_referral"] {
            assert!(may(Role::DepartmentOperator, code) && may(Role::RegionalAdmin, code), "{code}");
            assert!(!may(Role::KindergartenStaff, code), "staff are not offered {code}");
        }
        assert!(may(Role::KindergartenStaff, "admit_referral") && !may(Role::DepartmentOperator, "admit_referral"));
        let staff = op(Role::KindergartenStaff, Some(1));
        let withdraw = CommandKind::WithdrawApplication { application: ApplicationId(Uuid::from_u128(3)), reason: "x".into() };
        assert_eq!(authorize(&staff, &withdraw), Err(Denied::Role));
    }

    fn save_group(k: u128) -> CommandKind {
        CommandKind::SaveGroup {
            group: Group {
                id: GroupId(Uuid::from_u128(5)),
                kindergarten: KindergartenId(Uuid::from_u128(k)),
                name: "Қарлығаш".into(),
                age: AgeBand { from_years: 3, to_years: 4 },
                language: Language::Kk,
                capacity: 25,
                enrolled: 20,
            },
        }
    }

    #[test]
    fn staff_change_only_their_own_kindergarten() {
        assert_eq!(authorize(&op(Role::KindergartenStaff, Some(10)), &save_group(10)), Ok(()));
        assert_eq!(authorize(&op(Role::KindergartenStaff, Some(10)), &save_group(11)), Err(Denied::OtherKindergarten));
        assert_eq!(authorize(&op(Role::KindergartenStaff, None), &save_group(11)), Err(Denied::OtherKindergarten));
    }

    #[test]
    fn operators_do_not_edit_the_registry() {
        assert_eq!(authorize(&op(Role::DepartmentOperator, None), &save_group(10)), Err(Denied::Role));
        let w = CommandKind::WithdrawApplication { application: ApplicationId(Uuid::from_u128(3)), reason: "r".into() };
        assert_eq!(authorize(&op(Role::DepartmentOperator, None), &w), Ok(()));
        assert_eq!(authorize(&op(Role::KindergartenStaff, Some(1)), &w), Err(Denied::Role));
        assert_eq!(authorize(&op(Role::RegionalAdmin, None), &save_group(10)), Ok(()));
    }

    #[test]
    fn referrals_end_at_their_own_kindergarten_and_at_the_desk() {
        let r =
            crate::command::ReferralRef { id: ReferralId(Uuid::from_u128(7)), application: ApplicationId(Uuid::from_u128(3)), kindergarten: KindergartenId(Uuid::from_u128(10)) };
        let admit = CommandKind::AdmitReferral { referral: r, documents: vec![] };
        assert_eq!(authorize(&op(Role::KindergartenStaff, Some(10)), &admit), Ok(()));
        assert_eq!(authorize(&op(Role::KindergartenStaff, Some(11)), &admit), Err(Denied::OtherKindergarten));
        assert_eq!(authorize(&op(Role::DepartmentOperator, None), &admit), Err(Denied::Role));
        let refuse = CommandKind::RefuseReferral { referral: r, reason: "алыс".into() };
        assert_eq!(authorize(&op(Role::DepartmentOperator, None), &refuse), Ok(()));
        assert_eq!(authorize(&op(Role::KindergartenStaff, Some(10)), &refuse), Err(Denied::Role));
        let read = Read::Referral { kindergarten: r.kindergarten };
        assert_eq!(may_read(&op(Role::KindergartenStaff, Some(10)), read), Ok(()));
        assert_eq!(may_read(&op(Role::KindergartenStaff, Some(11)), read), Err(Denied::OtherKindergarten));
        assert_eq!(may_read(&op(Role::DepartmentOperator, None), read), Ok(()));
        assert!(Role::RegionalAdmin.may_change_settings() && !Role::DepartmentOperator.may_change_settings());
        // Expiry is the office's own job (run as the system), not a button.
        assert_eq!(authorize(&op(Role::DepartmentOperator, None), &CommandKind::ExpireReferral { referral: r }), Err(Denied::Role));
    }

    #[test]
    fn benefits_are_verified_by_the_department_only() {
        let c = CommandKind::ConfirmBenefit { application: ApplicationId(Uuid::from_u128(3)) };
        assert_eq!(authorize(&op(Role::DepartmentOperator, None), &c), Ok(()));
        assert_eq!(authorize(&op(Role::KindergartenStaff, Some(1)), &c), Err(Denied::Role));
        assert!(!Role::KindergartenStaff.may_confirm_in_person());
    }

    #[test]
    fn staff_read_only_what_admission_needs() {
        let k = |n| KindergartenId(Uuid::from_u128(n));
        let naming = [k(11), k(10)];
        let staff = op(Role::KindergartenStaff, Some(10));
        let other_staff = op(Role::KindergartenStaff, Some(12));
        let desk = op(Role::DepartmentOperator, None);
        let admin = op(Role::RegionalAdmin, None);
        for who in [&desk, &admin] {
            for read in
                [Read::Application { naming: &naming }, Read::Referral { kindergarten: k(12) }, Read::IssuedReferrals, Read::BenefitClaims, Read::Registration, Read::Messages]
            {
                assert_eq!(may_read(who, read), Ok(()), "{:?} {}", who.role, read.code());
            }
        }
        assert_eq!(may_read(&staff, Read::Application { naming: &naming }), Ok(()));
        assert_eq!(may_read(&other_staff, Read::Application { naming: &naming }), Err(Denied::OtherKindergarten));
        assert_eq!(may_read(&staff, Read::IssuedReferrals), Ok(()));
        for read in [Read::BenefitClaims, Read::Registration, Read::Messages] {
            assert!(may_read(&staff, read).is_err(), "{}", read.code());
        }
        // Staff without a kindergarten (a broken account) read nobody.
        let unattached = op(Role::KindergartenStaff, None);
        assert!(may_read(&unattached, Read::Application { naming: &naming }).is_err());
        assert!(may_read(&unattached, Read::IssuedReferrals).is_err());
    }
}
