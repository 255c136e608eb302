//! Order inside a queue category, and the explanation of every position in it.
//!
//! Out-of-turn applicants come first by registration time; then priority and general
//! applicants are interleaved `priority_run : general_run` (default 1 : 3), starting with
//! priority; when one list runs out the other continues alone.
//!
//! The interleave is the endless pattern `P×priority_run, G×general_run, …` with the slots of
//! an exhausted list skipped. That makes every position a closed formula of the tier counts,
//! so the store can answer "where am I and why" with COUNT queries even on a national queue.

use crate::model::{ApplicationId, BenefitTier};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

/// One active application as the queue sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueEntry {
    pub application: ApplicationId,
    pub number: String,
    pub tier: BenefitTier,
    pub registered_at: DateTime<Utc>,
}

/// The queue's settings; defaults are the 2024 rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueRules {
    /// Priority applicants in each run of the interleave.
    pub priority_run: u32,
    /// General applicants in each run of the interleave.
    pub general_run: u32,
    /// Children of this age on the policy date leave the queue (archived).
    pub school_age_years: u32,
    /// Month and day of the yearly recomputation of categories (the policy date).
    pub recompute_month: u32,
    pub recompute_day: u32,
}

impl Default for QueueRules {
    fn default() -> Self {
        QueueRules { priority_run: 1, general_run: 3, school_age_years: 6, recompute_month: 6, recompute_day: 30 }
    }
}

/// Order within one tier: registration time, then the application number (zero-padded, so
/// string order is number order), then the id, so that no two entries ever compare equal.
pub fn tier_order(a: &QueueEntry, b: &QueueEntry) -> Ordering {
    a.registered_at.cmp(&b.registered_at).then_with(|| a.number.cmp(&b.number)).then_with(|| a.application.cmp(&b.application))
}

/// The entries of one category in queue order.
pub fn order(entries: Vec<QueueEntry>, rules: &QueueRules) -> Vec<QueueEntry> {
    let mut out_of_turn = Vec::new();
    let mut priority = Vec::new();
    let mut general = Vec::new();
    for e in entries {
        match e.tier {
            BenefitTier::OutOfTurn => out_of_turn.push(e),
            BenefitTier::Priority => priority.push(e),
            BenefitTier::General => general.push(e),
        }
    }
    for list in [&mut out_of_turn, &mut priority, &mut general] {
        list.sort_by(tier_order);
    }
    let mut out = Vec::with_capacity(out_of_turn.len() + priority.len() + general.len());
    out.extend(out_of_turn);
    let (p, g) = (rules.priority_run as usize, rules.general_run as usize);
    if g == 0 {
        // A zero run means "only when the other list is empty"; with both zero, tier order.
        out.extend(priority);
        out.extend(general);
    } else if p == 0 {
        out.extend(general);
        out.extend(priority);
    } else {
        let mut pri = priority.into_iter().peekable();
        let mut gen = general.into_iter().peekable();
        loop {
            if pri.peek().is_none() {
                out.extend(gen);
                break;
            }
            if gen.peek().is_none() {
                out.extend(pri);
                break;
            }
            out.extend(pri.by_ref().take(p));
            out.extend(gen.by_ref().take(g));
        }
    }
    out
}

/// How many active entries of each tier a category holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct TierCounts {
    pub out_of_turn: u64,
    pub priority: u64,
    pub general: u64,
}

impl TierCounts {
    pub fn total(&self) -> u64 {
        self.out_of_turn.saturating_add(self.priority).saturating_add(self.general)
    }
    pub fn of(&self, tier: BenefitTier) -> u64 {
        match tier {
            BenefitTier::OutOfTurn => self.out_of_turn,
            BenefitTier::Priority => self.priority,
            BenefitTier::General => self.general,
        }
    }
}

/// Why an application stands where it stands: who is ahead, by tier and by reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Explanation {
    /// 1-based position in the category.
    pub position: u64,
    pub tier: BenefitTier,
    pub ahead_out_of_turn: u64,
    pub ahead_priority: u64,
    pub ahead_general: u64,
    /// Of the same tier, registered earlier (or tied and with a smaller number).
    pub ahead_same_tier_earlier: u64,
    /// Of the other interleaved tier (priority/general), ahead only because of the interleave.
    pub ahead_by_interleave: u64,
    pub total: u64,
}

/// Generals ahead of the priority applicant of rank `k` (0-based).
fn generals_ahead_of_priority(k: u64, counts: TierCounts, rules: &QueueRules) -> u64 {
    let (p, g) = (u64::from(rules.priority_run), u64::from(rules.general_run));
    if g == 0 {
        return 0;
    }
    match k.checked_div(p) {
        // No priority runs: every general goes first.
        None => counts.general,
        // Full runs of priority before k each let `g` generals in.
        Some(runs) => runs.saturating_mul(g).min(counts.general),
    }
}

/// Priority applicants ahead of the general applicant of rank `j` (0-based).
fn priorities_ahead_of_general(j: u64, counts: TierCounts, rules: &QueueRules) -> u64 {
    let (p, g) = (u64::from(rules.priority_run), u64::from(rules.general_run));
    if g == 0 {
        counts.priority
    } else if p == 0 {
        0
    } else {
        // The run of generals containing j is preceded by its own and all earlier priority runs.
        (j / g).saturating_add(1).saturating_mul(p).min(counts.priority)
    }
}

/// Priority applicants among the first `n` places of the priority/general part.
fn priorities_in_prefix(n: u64, counts: TierCounts, rules: &QueueRules) -> u64 {
    let (p, g) = (u64::from(rules.priority_run), u64::from(rules.general_run));
    let pattern = if g == 0 {
        n
    } else if p == 0 {
        0
    } else {
        let cycle = p + g;
        (n / cycle).saturating_mul(p).saturating_add((n % cycle).min(p))
    };
    // Once generals run out the rest is priority; once priority runs out it stays at its count.
    pattern.max(n.saturating_sub(counts.general)).min(counts.priority)
}

/// Explains the place of the entry of `tier` with 0-based `rank_in_tier` (the number of
/// active entries of its tier ordered before it). O(1), so counts can come from the store.
pub fn explain(tier: BenefitTier, rank_in_tier: u64, counts: TierCounts, rules: &QueueRules) -> Explanation {
    let (ahead_out_of_turn, ahead_priority, ahead_general, by_interleave) = match tier {
        BenefitTier::OutOfTurn => (rank_in_tier, 0, 0, 0),
        BenefitTier::Priority => {
            let gen = generals_ahead_of_priority(rank_in_tier, counts, rules);
            (counts.out_of_turn, rank_in_tier, gen, gen)
        }
        BenefitTier::General => {
            let pri = priorities_ahead_of_general(rank_in_tier, counts, rules);
            (counts.out_of_turn, pri, rank_in_tier, pri)
        }
    };
    let ahead = ahead_out_of_turn.saturating_add(ahead_priority).saturating_add(ahead_general);
    Explanation {
        position: ahead.saturating_add(1),
        tier,
        ahead_out_of_turn,
        ahead_priority,
        ahead_general,
        ahead_same_tier_earlier: rank_in_tier,
        ahead_by_interleave: by_interleave,
        total: counts.total(),
    }
}

/// Who stands at the 1-based `position`: the tier and the 0-based rank in it. The inverse of
/// [`explain`]; used to page the public queue without loading it.
pub fn entry_at(position: u64, counts: TierCounts, rules: &QueueRules) -> Option<(BenefitTier, u64)> {
    if position == 0 || position > counts.total() {
        return None;
    }
    let idx = position - 1;
    if idx < counts.out_of_turn {
        return Some((BenefitTier::OutOfTurn, idx));
    }
    let idx = idx - counts.out_of_turn;
    let before = priorities_in_prefix(idx, counts, rules);
    let through = priorities_in_prefix(idx + 1, counts, rules);
    if through > before {
        Some((BenefitTier::Priority, before))
    } else {
        Some((BenefitTier::General, idx - before))
    }
}

/// Age in whole years on `on`; 0 before birth. A child born on 29 February turns a year
/// older on 28 February of a common year (the civil-law reading of a term in years).
pub fn age_on(birth: NaiveDate, on: NaiveDate) -> u32 {
    if on <= birth {
        return 0;
    }
    let years = on.year() - birth.year();
    let birthday_this_year = birth.with_year(on.year()).or_else(|| NaiveDate::from_ymd_opt(on.year(), 2, 28));
    let had_birthday = birthday_this_year.is_some_and(|b| on >= b);
    let whole = if had_birthday { years } else { years - 1 };
    u32::try_from(whole).unwrap_or(0)
}

/// The policy date of `year` (default 30 June), on which categories are recomputed;
/// None when the settings name an impossible date.
pub fn policy_date(year: i32, rules: &QueueRules) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, rules.recompute_month, rules.recompute_day)
}

/// A child's age for groups' age bands: whole years on the next policy date (or today, if
/// the rules have none).
pub fn age_for_groups(birth: NaiveDate, today: NaiveDate, rules: &QueueRules) -> u8 {
    let on = next_policy_date(today, rules).unwrap_or(today);
    age_on(birth, on).min(u32::from(u8::MAX)) as u8
}

/// The policy date that decides school age for an application made on `today`: this year's
/// if it has not passed yet, else next year's.
pub fn next_policy_date(today: NaiveDate, rules: &QueueRules) -> Option<NaiveDate> {
    use chrono::Datelike;
    match policy_date(today.year(), rules) {
        Some(d) if d >= today => Some(d),
        _ => policy_date(today.year() + 1, rules),
    }
}

/// Whether the child has reached school age on the policy date and leaves the queue.
pub fn reaches_school_age(birth: NaiveDate, policy_date: NaiveDate, rules: &QueueRules) -> bool {
    age_on(birth, policy_date) >= rules.school_age_years
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use proptest::prelude::*;
    use uuid::Uuid;

    fn entry(i: u128, tier: BenefitTier, minute: i64) -> QueueEntry {
        QueueEntry {
            application: ApplicationId(Uuid::from_u128(i)),
            number: format!("VKO-2026-{i:06}"),
            tier,
            registered_at: Utc.timestamp_opt(1_767_225_600 + minute * 60, 0).unwrap(),
        }
    }

    fn tiers(list: &[QueueEntry]) -> String {
        list.iter()
            .map(|e| match e.tier {
                BenefitTier::OutOfTurn => 'O',
                BenefitTier::Priority => 'P',
                BenefitTier::General => 'G',
            })
            .collect()
    }

    fn counts_of(list: &[QueueEntry]) -> TierCounts {
        let n = |t| list.iter().filter(|e| e.tier == t).count() as u64;
        TierCounts { out_of_turn: n(BenefitTier::OutOfTurn), priority: n(BenefitTier::Priority), general: n(BenefitTier::General) }
    }

    fn rules(p: u32, g: u32) -> QueueRules {
        QueueRules { priority_run: p, general_run: g, ..QueueRules::default() }
    }

    fn mixed(o: u128, p: u128, g: u128) -> Vec<QueueEntry> {
        let mut v = Vec::new();
        let mut i = 0;
        for (n, t) in [(g, BenefitTier::General), (p, BenefitTier::Priority), (o, BenefitTier::OutOfTurn)] {
            for _ in 0..n {
                i += 1;
                v.push(entry(i, t, i as i64));
            }
        }
        v
    }

    #[test]
    fn one_priority_then_three_general() {
        let ordered = order(mixed(2, 3, 8), &QueueRules::default());
        assert_eq!(tiers(&ordered), "OOPGGGPGGGPGG");
        let ordered = order(mixed(0, 5, 4), &QueueRules::default());
        assert_eq!(tiers(&ordered), "PGGGPGPPP");
    }

    #[test]
    fn other_ratios_and_zero_runs() {
        assert_eq!(tiers(&order(mixed(0, 3, 3), &rules(1, 1))), "PGPGPG");
        assert_eq!(tiers(&order(mixed(0, 5, 12), &rules(2, 5))), "PPGGGGGPPGGGGGPGG");
        assert_eq!(tiers(&order(mixed(1, 2, 2), &rules(0, 3))), "OGGPP");
        assert_eq!(tiers(&order(mixed(1, 2, 2), &rules(1, 0))), "OPPGG");
        assert_eq!(tiers(&order(mixed(1, 2, 2), &rules(0, 0))), "OPPGG");
    }

    #[test]
    fn ties_break_by_number_then_id() {
        let mut a = entry(2, BenefitTier::General, 0);
        let mut b = entry(1, BenefitTier::General, 0);
        assert_eq!(tier_order(&a, &b), Ordering::Greater);
        b.number = a.number.clone();
        a.application = ApplicationId(Uuid::from_u128(0));
        assert_eq!(tier_order(&a, &b), Ordering::Less);
        let earlier = entry(9, BenefitTier::General, -1);
        assert_eq!(tier_order(&earlier, &a), Ordering::Less);
    }

    #[test]
    fn explanation_of_a_general_applicant() {
        let counts = TierCounts { out_of_turn: 2, priority: 3, general: 8 };
        // "OOPGGGPGGGPGG": general rank 3 stands at index 7.
        let e = explain(BenefitTier::General, 3, counts, &QueueRules::default());
        assert_eq!(
            e,
            Explanation {
                position: 8,
                tier: BenefitTier::General,
                ahead_out_of_turn: 2,
                ahead_priority: 2,
                ahead_general: 3,
                ahead_same_tier_earlier: 3,
                ahead_by_interleave: 2,
                total: 13,
            }
        );
        assert_eq!(entry_at(8, counts, &QueueRules::default()), Some((BenefitTier::General, 3)));
        assert_eq!(entry_at(0, counts, &QueueRules::default()), None);
        assert_eq!(entry_at(14, counts, &QueueRules::default()), None);
    }

    #[test]
    fn ages_and_school_age() {
        let r = QueueRules::default();
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        assert_eq!(policy_date(2026, &r), Some(d(2026, 6, 30)));
        assert_eq!(policy_date(2026, &QueueRules { recompute_day: 31, ..r }), None);
        assert_eq!(age_on(d(2020, 6, 30), d(2026, 6, 30)), 6);
        assert_eq!(age_on(d(2020, 7, 1), d(2026, 6, 30)), 5);
        assert!(reaches_school_age(d(2020, 6, 30), d(2026, 6, 30), &r));
        assert!(!reaches_school_age(d(2020, 7, 1), d(2026, 6, 30), &r));
        assert_eq!(age_on(d(2020, 2, 29), d(2021, 2, 27)), 0);
        assert_eq!(age_on(d(2020, 2, 29), d(2021, 2, 28)), 1);
        assert_eq!(age_on(d(2020, 2, 29), d(2024, 2, 28)), 3);
        assert_eq!(age_on(d(2020, 2, 29), d(2024, 2, 29)), 4);
        assert_eq!(age_on(d(2026, 1, 1), d(2025, 1, 1)), 0);
    }

    fn entries_strategy() -> impl Strategy<Value = Vec<QueueEntry>> {
        // Few distinct minutes so that ties by time are common.
        prop::collection::vec((0u8..3, 0i64..20), 0..60).prop_map(|raw| {
            raw.into_iter()
                .enumerate()
                .map(|(i, (t, minute))| {
                    let tier = [BenefitTier::OutOfTurn, BenefitTier::Priority, BenefitTier::General][t as usize];
                    // Numbers are not in time order on purpose: offline offices register too.
                    entry((i as u128 * 7919) % 1000, tier, minute)
                })
                .collect()
        })
    }

    fn runs() -> impl Strategy<Value = QueueRules> {
        prop_oneof![Just(rules(1, 3)), Just(rules(1, 1)), Just(rules(2, 5)), (0u32..4, 0u32..6).prop_map(|(p, g)| rules(p, g))]
    }

    /// The endless P/G pattern the interleave follows while both lists last.
    fn pattern(r: &QueueRules, len: usize) -> Vec<BenefitTier> {
        let mut cycle = vec![BenefitTier::Priority; r.priority_run as usize];
        cycle.extend(vec![BenefitTier::General; r.general_run as usize]);
        cycle.into_iter().cycle().take(len).collect()
    }

    proptest! {
        #[test]
        fn order_is_a_deterministic_permutation(
            entries in entries_strategy(),
            r in runs(),
            shuffle in prop::collection::vec(any::<prop::sample::Index>(), 60),
        ) {
            let ordered = order(entries.clone(), &r);
            let mut shuffled = entries.clone();
            for (i, ix) in shuffle.iter().enumerate().take(shuffled.len()) {
                let j = ix.index(shuffled.len());
                shuffled.swap(i, j);
            }
            prop_assert_eq!(&order(shuffled, &r), &ordered);
            let key = |e: &QueueEntry| (e.application, e.number.clone(), e.registered_at);
            let mut a: Vec<_> = entries.iter().map(key).collect();
            let mut b: Vec<_> = ordered.iter().map(key).collect();
            a.sort();
            b.sort();
            prop_assert_eq!(a, b);
        }

        #[test]
        fn order_keeps_each_tier_in_time_and_out_of_turn_first(entries in entries_strategy(), r in runs()) {
            let ordered = order(entries, &r);
            for (i, a) in ordered.iter().enumerate() {
                for b in &ordered[i + 1..] {
                    if a.tier == b.tier {
                        prop_assert_eq!(tier_order(a, b), Ordering::Less);
                    }
                    if b.tier == BenefitTier::OutOfTurn {
                        prop_assert_eq!(a.tier, BenefitTier::OutOfTurn);
                    }
                }
            }
        }

        #[test]
        fn interleave_ratio_holds_while_both_lists_last(entries in entries_strategy(), r in runs()) {
            let ordered = order(entries, &r);
            let counts = counts_of(&ordered);
            let rest: Vec<BenefitTier> =
                ordered.iter().map(|e| e.tier).filter(|t| *t != BenefitTier::OutOfTurn).collect();
            if r.priority_run > 0 && r.general_run > 0 {
                let pat = pattern(&r, rest.len());
                let (mut seen_p, mut seen_g) = (0u64, 0u64);
                for (i, t) in rest.iter().enumerate() {
                    // Both lists still have someone left at this place: the pattern decides.
                    if seen_p < counts.priority && seen_g < counts.general {
                        prop_assert_eq!(*t, pat[i], "place {} of {:?}", i, rest);
                    }
                    match t {
                        BenefitTier::Priority => seen_p += 1,
                        _ => seen_g += 1,
                    }
                }
            } else {
                // A zero run: that list only after the other is empty.
                let first = if r.general_run == 0 { BenefitTier::Priority } else { BenefitTier::General };
                let n_first = counts.of(first) as usize;
                prop_assert!(rest[..n_first].iter().all(|t| *t == first));
                prop_assert!(rest[n_first..].iter().all(|t| *t != first));
            }
        }

        #[test]
        fn explain_matches_the_real_order(entries in entries_strategy(), r in runs()) {
            let ordered = order(entries, &r);
            let counts = counts_of(&ordered);
            for (i, e) in ordered.iter().enumerate() {
                let prefix = &ordered[..i];
                let count = |t| prefix.iter().filter(|x| x.tier == t).count() as u64;
                let rank = count(e.tier);
                let x = explain(e.tier, rank, counts, &r);
                prop_assert_eq!(x.position, i as u64 + 1);
                prop_assert_eq!(x.tier, e.tier);
                prop_assert_eq!(x.ahead_out_of_turn, count(BenefitTier::OutOfTurn));
                prop_assert_eq!(x.ahead_priority, count(BenefitTier::Priority));
                prop_assert_eq!(x.ahead_general, count(BenefitTier::General));
                prop_assert_eq!(x.ahead_same_tier_earlier, rank);
                let other = match e.tier {
                    BenefitTier::OutOfTurn => 0,
                    BenefitTier::Priority => count(BenefitTier::General),
                    BenefitTier::General => count(BenefitTier::Priority),
                };
                prop_assert_eq!(x.ahead_by_interleave, other);
                prop_assert_eq!(x.total, ordered.len() as u64);
                prop_assert_eq!(entry_at(x.position, counts, &r), Some((e.tier, rank)));
            }
            prop_assert_eq!(entry_at(ordered.len() as u64 + 1, counts, &r), None);
        }

        #[test]
        fn entry_at_inverts_explain_on_large_counts(
            o in 0u64..1_000_000, p in 0u64..1_000_000, g in 0u64..1_000_000,
            r in runs(), pick in any::<prop::sample::Index>(),
        ) {
            let counts = TierCounts { out_of_turn: o, priority: p, general: g };
            let total = counts.total();
            prop_assume!(total > 0);
            // A spread of positions: the picked one, the ends, and the neighbours.
            let at = pick.index(total as usize) as u64 + 1;
            for position in [1, total, at, at.saturating_sub(1).max(1), (at + 1).min(total)] {
                let (tier, rank) = entry_at(position, counts, &r).unwrap();
                prop_assert!(rank < counts.of(tier));
                prop_assert_eq!(explain(tier, rank, counts, &r).position, position);
            }
        }

        #[test]
        fn school_age_agrees_with_age(birth_days in 0i64..4000, year in 2020i32..2032) {
            let r = QueueRules::default();
            let birth = NaiveDate::from_ymd_opt(2014, 1, 1).unwrap() + chrono::Days::new(birth_days as u64);
            let policy = policy_date(year, &r).unwrap();
            let age = age_on(birth, policy);
            prop_assert_eq!(reaches_school_age(birth, policy, &r), age >= 6);
            // A day later never makes a child younger.
            prop_assert!(age_on(birth, policy.succ_opt().unwrap()) >= age);
        }
    }
}
