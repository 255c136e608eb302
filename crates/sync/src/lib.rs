//! The protocol between a desk and the region's server (SYNC.md): what a push carries and
//! what it answers, what a pull returns. Plain data, no IO: the server and the desk's sync
//! client both speak exactly this, so neither can drift from the other.

use baqsha_core::command::{Command, RuleError};
use baqsha_core::roles::Denied;
use baqsha_core::{DeviceId, OperatorId};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The protocol this build speaks; a request names its own.
pub const PROTOCOL: u32 = 1;
/// The versions a server answers (an older desk keeps working after the server upgrades).
pub const SPOKEN: &[u32] = &[1];
/// What a scope holds, in the order a snapshot sends it: what later entities refer to comes
/// first (reference data and vacancies, then the scope's applications and what hangs on
/// them), history last. Checksums list the entities in this order.
pub const ENTITIES: [&str; 10] = ["settings", "calendar", "kindergarten", "group", "vacancy", "lease", "application", "offer", "referral", "history"];

/// The most commands one push may carry: a month offline is sent in a few hundred pushes.
pub const MAX_BATCH: usize = 500;

/// One command of a device's outbox with its place in that device's order (1, 2, 3, … with
/// no gaps; given in the same transaction as the command).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sequenced {
    pub seq: u64,
    pub command: Carried,
}

/// A command as a push carries it. One this build cannot read — made by a newer build, or
/// of a kind the server does not know yet — travels whole with what every command has (its
/// id, author and device), so it gets an answer of its own and the commands after it go on
/// (G5), instead of the whole push being refused again and again.
// Nearly every command is read; the rare unread one is no reason to box the rest.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Carried {
    Read(Command),
    Unread(Unread),
}

/// A command that could not be read, and what could.
#[derive(Debug, Clone)]
pub struct Unread {
    pub id: Uuid,
    pub author: OperatorId,
    pub device: DeviceId,
    pub at: Option<DateTime<Utc>>,
    /// The kind its body names (`type`), or empty.
    pub kind: String,
    /// Why it could not be read.
    pub detail: String,
    /// The command's JSON exactly as made.
    pub body: Box<serde_json::value::RawValue>,
}

impl PartialEq for Unread {
    fn eq(&self, other: &Unread) -> bool {
        (self.id, self.author, self.device, self.at, &self.kind, &self.detail, self.body.get())
            == (other.id, other.author, other.device, other.at, &other.kind, &other.detail, other.body.get())
    }
}

impl From<Command> for Carried {
    fn from(c: Command) -> Carried {
        Carried::Read(c)
    }
}

impl Carried {
    pub fn id(&self) -> Uuid {
        match self {
            Carried::Read(c) => c.id,
            Carried::Unread(u) => u.id,
        }
    }

    pub fn author(&self) -> OperatorId {
        match self {
            Carried::Read(c) => c.author,
            Carried::Unread(u) => u.author,
        }
    }

    pub fn device(&self) -> DeviceId {
        match self {
            Carried::Read(c) => c.device,
            Carried::Unread(u) => u.device,
        }
    }

    pub fn read(&self) -> Option<&Command> {
        match self {
            Carried::Read(c) => Some(c),
            Carried::Unread(_) => None,
        }
    }

    /// Reads a command's JSON; what does not read as a command but names its id, author and
    /// device is carried unread. None: not even that.
    ///
    /// A command is read only when every field it carries is one this build knows: a field a
    /// newer build added would otherwise be dropped without a word — by a server older than
    /// the desk (the region would lose what the operator typed), or by an older desk sending
    /// on a newer build's outbox (it would re-encode the command without it).
    pub fn parse(json: &str) -> Result<Carried, serde_json::Error> {
        let read = serde_json::from_str::<Command>(json).map_err(|e| e.to_string()).and_then(|c| match unknown_field(json, &c) {
            None => Ok(c),
            Some(field) => Err(format!("a field this build does not know: {field}")),
        });
        match read {
            Ok(c) => Ok(Carried::Read(c)),
            Err(e) => {
                let head: Head = serde_json::from_str(json)?;
                let body = serde_json::value::RawValue::from_string(json.to_string())?;
                Ok(Carried::Unread(Unread {
                    id: head.id,
                    author: head.author,
                    device: head.device,
                    at: head.at,
                    // A kind is a code (`register_application`); anything else is not kept as one.
                    kind: head
                        .kind
                        .map(|k| k.kind)
                        .filter(|k| (1..=64).contains(&k.len()) && k.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'))
                        .unwrap_or_default(),
                    detail: e,
                    body,
                }))
            }
        }
    }
}

/// Fields older builds wrote in commands that this build no longer holds: read past, not
/// taken for a newer build's. A field leaves a command only by being named here.
const RETIRED: &[&str] = &[];

/// The first field of `json` (as a path, `kind.twins`) that `command` does not hold once
/// read; None when it holds them all. An empty value (null, [], {}) may be absent: this
/// build leaves such fields out of what it writes.
fn unknown_field(json: &str, command: &Command) -> Option<String> {
    fn empty(v: &serde_json::Value) -> bool {
        match v {
            serde_json::Value::Null => true,
            serde_json::Value::Array(a) => a.is_empty(),
            serde_json::Value::Object(o) => o.is_empty(),
            _ => false,
        }
    }
    fn first(made: &serde_json::Value, read: &serde_json::Value, path: &str) -> Option<String> {
        use serde_json::Value::{Array, Object};
        match (made, read) {
            (Object(m), Object(r)) => m.iter().find_map(|(k, v)| {
                let at = if path.is_empty() { k.clone() } else { format!("{path}.{k}") };
                match r.get(k) {
                    Some(w) => first(v, w, &at),
                    None if empty(v) || RETIRED.contains(&k.as_str()) => None,
                    None => Some(at),
                }
            }),
            (Array(m), Array(r)) => m.iter().zip(r).enumerate().find_map(|(i, (v, w))| first(v, w, &format!("{path}[{i}]"))),
            _ => None,
        }
    }
    let made: serde_json::Value = serde_json::from_str(json).ok()?;
    let read = serde_json::to_value(command).ok()?;
    first(&made, &read, "")
}

/// What every command's JSON has, whatever its kind.
#[derive(Deserialize)]
struct Head {
    id: Uuid,
    author: OperatorId,
    device: DeviceId,
    #[serde(default)]
    at: Option<DateTime<Utc>>,
    #[serde(default)]
    kind: Option<KindName>,
}

#[derive(Deserialize)]
struct KindName {
    #[serde(rename = "type", default)]
    kind: String,
}

impl Serialize for Carried {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Carried::Read(c) => c.serialize(s),
            Carried::Unread(u) => u.body.serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for Carried {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Carried, D::Error> {
        let raw = <Box<serde_json::value::RawValue>>::deserialize(d)?;
        Carried::parse(raw.get()).map_err(serde::de::Error::custom)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PushRequest {
    pub protocol: u32,
    pub device: DeviceId,
    pub commands: Vec<Sequenced>,
    /// The newest number the desk had given when it sent this: what it numbers later was
    /// made later (the server vouches for registration times from such points).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub made: Option<u64>,
}

/// The answer to a push: an outcome for each command taken, in order; `resend_from` when the
/// batch skipped a number (the commands from there were not taken and must be sent again).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PushResponse {
    pub outcomes: Vec<Outcome>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resend_from: Option<u64>,
}

/// What the server did with one command. Kept for months: a desk that asks again, however
/// late, gets these same bytes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    pub seq: u64,
    pub command: Uuid,
    pub decision: Decision,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "decision", rename_all = "snake_case")]
pub enum Decision {
    Applied,
    /// Applied, with what the server decided beyond what was asked.
    Changed {
        changes: Vec<Adjustment>,
    },
    /// Not applied; the desk undoes it visibly and says why in the operator's language.
    Rejected {
        reason: Rejection,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "what", rename_all = "snake_case")]
pub enum Adjustment {
    /// The application's number in the region's series (the desk's own was provisional).
    Number { number: String },
    /// The registration time, clamped into what the protocol can vouch for.
    RegisteredAt { at: DateTime<Utc> },
    /// The referral as the server decided it: its number in the region's series and its
    /// deadlines from the server's calendar.
    Referral { referral: Box<baqsha_core::Referral> },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "by", rename_all = "snake_case")]
pub enum Rejection {
    /// A rule of the core (the same the desk checks), decided on the server's data.
    Rule { rule: RuleError },
    /// The author's role or scope may not do it.
    Denied { denied: Denied },
    /// What the command names is not on the server (or not in the author's scope).
    NotFound { what: String },
    /// A command this server does not decide (yet): kept, shown, never silently dropped.
    Unsupported { kind: String },
    /// The server failed on it several times (a fault of the server, not a refusal): kept
    /// with what went wrong, for the region's IT; the desk undoes it and shows it.
    Quarantined { detail: String },
    /// The server could not read the command (made by another version of Baqsha than the
    /// server's): kept as sent, for the region's IT.
    Unreadable { kind: String, detail: String },
    /// A reason a newer server gives that this build does not know: the change is still
    /// refused and shown, and the rest of the answer is read.
    #[serde(other)]
    Unknown,
}

/// A refused request (HTTP 4xx): the body says why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "error", rename_all = "snake_case")]
pub enum RequestError {
    Protocol {
        spoken: Vec<u32>,
    },
    TooLarge {
        max: usize,
    },
    Malformed {
        detail: String,
    },
    Unauthorized,
    OtherDevice,
    /// The cursor is from another epoch (a restored server) or older than what is kept:
    /// take a new snapshot, keep the outbox and send it again.
    ResetRequired {
        epoch: Uuid,
    },
}

/// One change a device may see, at its place in commit order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    pub pos: u64,
    pub entity: String,
    pub id: Uuid,
    /// The entity as it now stands; None when it left the device's scope or was removed.
    pub body: Option<serde_json::Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PullResponse {
    pub epoch: Uuid,
    pub changes: Vec<Change>,
    /// Where the next pull starts: past every change returned, never past one not yet
    /// committed.
    pub cursor: u64,
    pub more: bool,
    /// The server's clock when it answered: the desk measures its own clock against it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub now: Option<DateTime<Utc>>,
}

/// Places of a published vacancy asked to be set aside for the device's office, for working
/// without a connection (`baqsha_core::lease`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LeaseRequest {
    pub vacancy: baqsha_core::VacancyId,
    pub places: u32,
}

/// The answer to a lease request: the lease, or why not (a business answer, not an error).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum LeaseAnswer {
    Granted { lease: baqsha_core::lease::Lease },
    Refused { reason: Rejection },
}

/// Registers a desk as a device of the signed-in account's office.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegisterDevice {
    pub login: String,
    pub password: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeviceRegistered {
    pub device: DeviceId,
    pub refresh_token: String,
    /// The region is the demo: the desk keeps its «ДЕМО» badge and the public demo seal.
    /// Servers that do not say are real regions.
    #[serde(default)]
    pub demo: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TokenRequest {
    pub device: DeviceId,
    pub refresh_token: String,
    pub login: String,
    pub password: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccessToken {
    pub token: String,
    pub expires_at: DateTime<Utc>,
    /// Who the token signs in, as the region knows them: the desk writes their commands
    /// under this identity.
    #[serde(default)]
    pub operator: Option<baqsha_core::roles::Operator>,
}

/// Where a snapshot goes on from: the last entity sent (kindergartens first, then
/// applications, each by id).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnapshotKey {
    pub entity: String,
    pub id: Uuid,
}

/// One chunk of a first sync: the scope's entities as they stand, reference data first. The
/// snapshot is taken at `position` of the change log; a pull from there brings whatever
/// changed meanwhile (applying an entity twice is harmless: each row is its whole state).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SnapshotPage {
    pub epoch: Uuid,
    pub position: u64,
    pub rows: Vec<Change>,
    /// None: the snapshot is complete.
    pub next: Option<SnapshotKey>,
    /// How many rows the whole snapshot holds (about: the scope moves on while it is taken);
    /// on the first chunk only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<u64>,
}

/// A `SnapshotPage` as a desk reads it: each row's JSON kept as the text that came, since the
/// desk writes it to its mirror as text (reading each into a tree and printing it again was
/// a third of a first sync's work at the desk). Every reader parses a mirror row, so the
/// text's spacing is never compared.
#[derive(Debug, Deserialize)]
pub struct SnapshotChunk {
    pub epoch: Uuid,
    pub position: u64,
    pub rows: Vec<SnapshotRow>,
    pub next: Option<SnapshotKey>,
    #[serde(default)]
    pub total: Option<u64>,
}

/// One row of a `SnapshotChunk`; None: not in the scope any more.
#[derive(Debug, Deserialize)]
pub struct SnapshotRow {
    pub entity: String,
    pub id: Uuid,
    pub body: Option<Box<serde_json::value::RawValue>>,
}

/// What a scope holds, entity by entity, at a change-log position: a desk that holds
/// exactly the same computes the same figures from its own rows (SYNC.md G6).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScopeChecksum {
    pub position: u64,
    pub entities: Vec<EntityDigest>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntityDigest {
    pub entity: String,
    pub count: u64,
    /// XOR of each row's SHA-256 (hex): independent of order, so both sides add rows as they
    /// come.
    pub digest: String,
}

/// Accumulates rows of one entity into an `EntityDigest`.
#[derive(Debug, Clone, Default)]
pub struct Digester {
    count: u64,
    xor: [u8; 32],
}

impl Digester {
    /// A row as both sides hold it: its id and its JSON (serde_json's canonical text: keys
    /// sorted, no spaces).
    pub fn add(&mut self, entity: &str, id: Uuid, body: &serde_json::Value) {
        use sha2::Digest as _;
        let mut h = sha2::Sha256::new();
        h.update(entity.as_bytes());
        h.update([0]);
        h.update(id.as_bytes());
        h.update(body.to_string().as_bytes());
        for (x, b) in self.xor.iter_mut().zip(h.finalize()) {
            *x ^= b;
        }
        self.count += 1;
    }

    pub fn finish(&self, entity: &str) -> EntityDigest {
        EntityDigest { entity: entity.to_string(), count: self.count, digest: self.xor.iter().map(|b| format!("{b:02x}")).collect() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_for_a_reason_this_build_does_not_know_is_still_a_refusal() {
        let answer =
            r#"{"outcomes":[{"seq":1,"command":"0190f3a0-0000-7000-8000-000000000001","decision":{"decision":"rejected","reason":{"by":"budget_frozen","until":"2027-01-01"}}}]}"#;
        let read: PushResponse = serde_json::from_str(answer).unwrap();
        assert_eq!(read.outcomes[0].decision, Decision::Rejected { reason: Rejection::Unknown });
    }

    #[test]
    fn a_command_is_read_when_it_can_be_and_carried_whole_when_only_its_head_reads() {
        let head = r#""id":"0190f3a0-0000-7000-8000-000000000001","author":"00000000-0000-0000-0000-000000000002","device":"00000000-0000-0000-0000-000000000003","at":"2026-12-02T04:00:00Z""#;
        let unknown = format!(r#"{{{head},"kind":{{"type":"register_twins","twins":2}}}}"#);
        let carried = Carried::parse(&unknown).unwrap();
        let Carried::Unread(u) = &carried else { panic!("{carried:?}") };
        assert_eq!((u.kind.as_str(), u.author, u.device), ("register_twins", OperatorId(Uuid::from_u128(2)), DeviceId(Uuid::from_u128(3))));
        assert!(u.detail.contains("register_twins"), "{}", u.detail);
        assert_eq!(serde_json::to_string(&carried).unwrap(), unknown, "sent on exactly as made");
        let known = format!(r#"{{{head},"kind":{{"type":"archive_application","application":"00000000-0000-0000-0000-000000000009"}}}}"#);
        let read = Carried::parse(&known).unwrap();
        assert_eq!(read.read().map(|c| c.kind.code()), Some("archive_application"));
        assert_eq!(serde_json::from_str::<Carried>(&serde_json::to_string(&read).unwrap()).unwrap(), read);
        // A known kind with a field this build does not know (a newer build's): carried whole,
        // not read without it.
        let newer = format!(r#"{{{head},"kind":{{"type":"archive_application","application":"00000000-0000-0000-0000-000000000009","reason":"moved abroad"}}}}"#);
        let Carried::Unread(u) = Carried::parse(&newer).unwrap() else { panic!("read without its reason") };
        assert!(u.detail.contains("kind.reason"), "{}", u.detail);
        assert_eq!(u.kind, "archive_application");
        // A field this build writes only when it has a value may come empty.
        let empty = format!(r#"{{{head},"note":null,"kind":{{"type":"archive_application","application":"00000000-0000-0000-0000-000000000009","extra":[]}}}}"#);
        assert!(Carried::parse(&empty).unwrap().read().is_some());
        // Without an id, author and device it is not a command at all: the push is malformed.
        assert!(Carried::parse(r#"{"kind":{"type":"register_twins"}}"#).is_err());
        let push = r#"{"protocol":1,"device":"00000000-0000-0000-0000-000000000003","commands":[{"seq":1,"command":{"kind":1}}]}"#;
        assert!(serde_json::from_str::<PushRequest>(push).is_err());
    }

    #[test]
    fn a_digest_does_not_depend_on_order_and_sees_any_change() {
        let (a, b) = (Uuid::from_u128(1), Uuid::from_u128(2));
        let (x, y) = (serde_json::json!({"n": 1, "s": "Әлихан"}), serde_json::json!({"n": 2}));
        let mut one = Digester::default();
        one.add("application", a, &x);
        one.add("application", b, &y);
        let mut two = Digester::default();
        two.add("application", b, &y);
        two.add("application", a, &x);
        assert_eq!(one.finish("application"), two.finish("application"));
        let mut changed = Digester::default();
        changed.add("application", a, &serde_json::json!({"n": 1, "s": "Алихан"}));
        changed.add("application", b, &y);
        assert_ne!(changed.finish("application").digest, one.finish("application").digest);
        assert_eq!(one.finish("application").count, 2);
    }
}
