//! A first sync by snapshot (resumed after a cut) and pull holds exactly what the server
//! holds for the scope: the checksums agree (SYNC.md G6); an application that leaves a
//! kindergarten's scope is removed from its desk (G8).

mod common;
use baqsha_core::command::{ApplicationChanges, CommandKind};
use baqsha_core::*;
use baqsha_sync::{Digester, ScopeChecksum, SnapshotKey};
use common::*;
use std::collections::BTreeMap;
use uuid::Uuid;

/// A desk's copy of its scope: each entity's whole state by id.
#[derive(Default)]
struct Copy {
    rows: BTreeMap<(String, Uuid), serde_json::Value>,
}

impl Copy {
    fn apply(&mut self, c: &baqsha_sync::Change) {
        match &c.body {
            Some(b) => self.rows.insert((c.entity.clone(), c.id), b.clone()),
            None => self.rows.remove(&(c.entity.clone(), c.id)),
        };
    }

    fn checksum(&self, position: u64) -> ScopeChecksum {
        let entities = baqsha_sync::ENTITIES
            .iter()
            .map(|e| {
                let mut d = Digester::default();
                self.rows.iter().filter(|((entity, _), _)| entity == e).for_each(|((entity, id), body)| d.add(entity, *id, body));
                d.finish(e)
            })
            .collect();
        ScopeChecksum { position, entities }
    }

    async fn pull_all(&mut self, t: &TestServer, claims: &baqsha_server::auth::Claims, mut cursor: u64) -> u64 {
        loop {
            let p = t.server.pull(claims, cursor, 7).await.unwrap();
            p.changes.iter().for_each(|c| self.apply(c));
            cursor = p.cursor;
            if !p.more {
                return cursor;
            }
        }
    }
}

#[tokio::test]
async fn a_snapshot_resumed_after_a_cut_and_a_pull_hold_what_the_server_holds() {
    let t = server().await;
    let region = region();
    let district = region.districts[0].code.clone();
    let ks: Vec<KindergartenId> = region.kindergartens.iter().filter(|k| k.district == district).map(|k| k.id).take(2).collect();
    let mut op = t.desk("operator-1", "baqsha-operator").await;
    let apps: Vec<Application> = (0..25).map(|n| application(child(n), ks[n as usize % 2])).collect();
    t.send(&mut op, apps.iter().map(|a| CommandKind::RegisterApplication { application: Box::new(a.clone()), confirmation: None }).collect()).await;

    // The district's new desk: chunks of 40 (kindergartens and groups, then applications); the link is
    // cut after the second chunk and the snapshot resumes from the last key it applied.
    let desk = t.desk("operator-1", "baqsha-operator").await;
    let mut copy = Copy::default();
    let first = t.server.snapshot(&desk.claims, None, None, 40).await.unwrap().page().unwrap();
    first.rows.iter().for_each(|c| copy.apply(c));
    let second = t.server.snapshot(&desk.claims, Some(first.position), first.next.as_ref(), 40).await.unwrap().page().unwrap();
    second.rows.iter().for_each(|c| copy.apply(c));
    let resume: SnapshotKey = second.next.clone().unwrap();
    // Meanwhile the office goes on working: a withdrawal and a new application.
    t.send(&mut op, vec![CommandKind::WithdrawApplication { application: apps[0].id, reason: "көшті".into() }]).await;
    t.send(&mut op, vec![CommandKind::RegisterApplication { application: Box::new(application(child(40), ks[0])), confirmation: None }]).await;
    let mut next = Some(resume);
    while let Some(key) = next {
        let page = t.server.snapshot(&desk.claims, Some(first.position), Some(&key), 40).await.unwrap().page().unwrap();
        page.rows.iter().for_each(|c| copy.apply(c));
        next = page.next;
    }
    let cursor = copy.pull_all(&t, &desk.claims, first.position).await;
    let server_side = t.server.checksum(&desk.claims).await.unwrap();
    assert_eq!(copy.checksum(cursor), server_side);
    let count = |entity: &str| server_side.entities.iter().find(|e| e.entity == entity).map(|e| e.count as usize);
    assert_eq!(count("application"), Some(26), "the district's 26 applications");
    assert_eq!(count("kindergarten"), Some(region.kindergartens.len()));
    assert_eq!(count("group"), Some(region.groups.len()));

    // A kindergarten's desk: the child who now names another kindergarten leaves it.
    let staff_login = format!("balabaqsha-{}", region.kindergartens.iter().position(|k| k.id == ks[0]).unwrap() + 1);
    let staff = t.desk(&staff_login, "baqsha-staff").await;
    let mut theirs = Copy::default();
    let c = theirs.pull_all(&t, &staff.claims, 0).await;
    assert_eq!(theirs.checksum(c), t.server.checksum(&staff.claims).await.unwrap());
    let moving = &apps[2];
    assert!(theirs.rows.contains_key(&("application".into(), moving.id.0)));
    let changes = ApplicationChanges {
        contacts: moving.contacts.clone(),
        address: moving.address.clone(),
        preferences: vec![ks[1]],
        language: moving.language,
        benefit: None,
        proofs: vec![],
    };
    t.send(&mut op, vec![CommandKind::EditApplication { application: moving.id, changes: Box::new(changes), confirmation: None, fields: None }]).await;
    let c = theirs.pull_all(&t, &staff.claims, c).await;
    assert!(!theirs.rows.contains_key(&("application".into(), moving.id.0)), "it left this kindergarten's desk");
    assert_eq!(theirs.checksum(c), t.server.checksum(&staff.claims).await.unwrap());
    // And the district's desk still holds it, changed.
    let cursor = copy.pull_all(&t, &desk.claims, cursor).await;
    assert_eq!(copy.checksum(cursor), t.server.checksum(&desk.claims).await.unwrap());
}
