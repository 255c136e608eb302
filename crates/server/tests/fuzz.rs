//! SYNC.md test 23: push and pull requests mutated from valid ones (cut short, bytes flipped,
//! values of the wrong type, numbers too big, nesting too deep, fields nobody knows, keys
//! twice, bytes that are not UTF-8, control characters in text, sequence numbers at the
//! edges, commands sent again under other numbers, bodies past the size limit) sent by
//! thousands over real HTTP, byte for byte as generated, to a server on PostgreSQL.
//! Deterministic: a seed makes the same choices every run (only the ids the server gives
//! differ); `BAQSHA_FUZZ_SEED` picks another, `BAQSHA_SOAK=1` sends 30,000 instead of 3,000.

mod common;
use baqsha_core::command::{ApplicationChanges, Command, CommandKind};
use baqsha_core::*;
use baqsha_sync::{Decision, PullResponse, PushRequest, PushResponse, RequestError, Sequenced, PROTOCOL};
use common::rng::Rng;
use common::*;
use serde_json::Value;
use std::net::SocketAddr;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use uuid::Uuid;

/// An answer as it came off the wire.
#[derive(Debug)]
struct Reply {
    status: u16,
    body: Vec<u8>,
}

/// One HTTP/1.1 request on its own connection: the bytes exactly as given (no client
/// library tidies them), the answer read to the end.
async fn http(addr: SocketAddr, method: &str, target: &[u8], token: Option<&str>, body: &[u8]) -> Result<Reply, String> {
    let stream = tokio::net::TcpStream::connect(addr).await.map_err(|e| e.to_string())?;
    let mut head = Vec::new();
    head.extend_from_slice(method.as_bytes());
    head.push(b' ');
    head.extend_from_slice(target);
    head.extend_from_slice(format!(" HTTP/1.1\r\nhost: {addr}\r\nconnection: close\r\ncontent-type: application/json\r\ncontent-length: {}\r\n", body.len()).as_bytes());
    if let Some(t) = token {
        head.extend_from_slice(format!("authorization: Bearer {t}\r\n").as_bytes());
    }
    head.extend_from_slice(b"\r\n");
    head.extend_from_slice(body);
    let (mut rd, mut wr) = stream.into_split();
    // Written while the answer is read: a server that refuses a big body early may answer
    // before it has read it all.
    let writer = tokio::spawn(async move {
        let _ = wr.write_all(&head).await;
        let _ = wr.flush().await;
        wr
    });
    let mut raw = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(60), rd.read_to_end(&mut raw)).await;
    let _ = writer.await;
    match read {
        Err(_) => return Err("no answer within a minute".into()),
        Ok(Err(e)) if raw.is_empty() => return Err(format!("connection failed: {e}")),
        _ => {}
    }
    parse_reply(&raw)
}

fn parse_reply(raw: &[u8]) -> Result<Reply, String> {
    let end = raw.windows(4).position(|w| w == b"\r\n\r\n").ok_or_else(|| format!("no HTTP answer: {:?}", String::from_utf8_lossy(raw)))?;
    let head = String::from_utf8_lossy(&raw[..end]).into_owned();
    let mut lines = head.split("\r\n");
    let status: u16 = lines.next().and_then(|l| l.split(' ').nth(1)).and_then(|s| s.parse().ok()).ok_or_else(|| format!("no status: {head}"))?;
    let mut length = None;
    let mut chunked = false;
    for l in lines {
        let (name, value) = l.split_once(':').unwrap_or((l, ""));
        match name.trim().to_ascii_lowercase().as_str() {
            "content-length" => length = value.trim().parse::<usize>().ok(),
            "transfer-encoding" => chunked = value.to_ascii_lowercase().contains("chunked"),
            _ => {}
        }
    }
    let rest = &raw[end + 4..];
    let body = if chunked {
        let mut body = Vec::new();
        let mut at = 0;
        loop {
            let line_end = rest[at..].windows(2).position(|w| w == b"\r\n").ok_or("a cut chunk")? + at;
            let size = usize::from_str_radix(String::from_utf8_lossy(&rest[at..line_end]).split(';').next().unwrap_or("").trim(), 16).map_err(|e| e.to_string())?;
            at = line_end + 2;
            if size == 0 {
                break;
            }
            body.extend_from_slice(rest.get(at..at + size).ok_or("a cut chunk")?);
            at += size + 2;
        }
        body
    } else {
        match length {
            Some(n) => rest.get(..n).ok_or_else(|| format!("an answer cut short ({} of {n} bytes)", rest.len()))?.to_vec(),
            None => rest.to_vec(),
        }
    };
    Ok(Reply { status, body })
}

/// What the database holds, by the counts a request could change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Counts {
    commands: i64,
    changes: i64,
    applications: i64,
    history: i64,
    failures: i64,
    leases: i64,
    referrals: i64,
    notifications: i64,
    numbers: i64,
    last_seq: i64,
}

async fn counts(t: &TestServer, device: Uuid) -> Counts {
    let r: (i64, i64, i64, i64, i64, i64, i64, i64, i64, i64) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM commands), (SELECT count(*) FROM changes), (SELECT count(*) FROM applications),
                (SELECT count(*) FROM history), (SELECT coalesce(sum(attempts), 0)::bigint FROM failures), (SELECT count(*) FROM leases),
                (SELECT count(*) FROM referrals), (SELECT count(*) FROM notifications),
                (SELECT coalesce(sum(last), 0)::bigint FROM number_series), (SELECT last_seq FROM devices WHERE id = $1)",
    )
    .bind(device)
    .fetch_one(&t.server.pool)
    .await
    .unwrap();
    Counts { commands: r.0, changes: r.1, applications: r.2, history: r.3, failures: r.4, leases: r.5, referrals: r.6, notifications: r.7, numbers: r.8, last_seq: r.9 }
}

/// What a JSON node is, in document order (the order `emit` meets them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Object,
    Array,
    String,
    Number,
    Other,
}

fn kinds(v: &Value, out: &mut Vec<Kind>) {
    match v {
        Value::Object(m) => {
            out.push(Kind::Object);
            m.values().for_each(|x| kinds(x, out));
        }
        Value::Array(a) => {
            out.push(Kind::Array);
            a.iter().for_each(|x| kinds(x, out));
        }
        Value::String(_) => out.push(Kind::String),
        Value::Number(_) => out.push(Kind::Number),
        _ => out.push(Kind::Other),
    }
}

/// One change to a JSON text, made while writing it out.
enum Edit {
    /// The node's text becomes these bytes.
    Replace(Vec<u8>),
    /// An object gets one more member (`"key":value`, raw).
    AddMember(Vec<u8>),
    /// An object's first key once more, with this raw value after it.
    DuplicateKey(Vec<u8>),
    /// These raw bytes go into a string, midway.
    IntoString(Vec<u8>),
}

/// Writes `v` as JSON, with `edit` made at the node numbered `at` (document order).
fn emit(v: &Value, at: usize, edit: &Edit, n: &mut usize, out: &mut Vec<u8>) {
    let me = *n;
    *n += 1;
    if me == at {
        if let Edit::Replace(raw) = edit {
            out.extend_from_slice(raw);
            return;
        }
    }
    match v {
        Value::Object(m) => {
            out.push(b'{');
            for (i, (k, x)) in m.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                serde_json::to_writer(&mut *out, k).unwrap();
                out.push(b':');
                emit(x, at, edit, n, out);
            }
            if me == at {
                match (edit, m.keys().next()) {
                    (Edit::AddMember(raw), _) => {
                        if !m.is_empty() {
                            out.push(b',');
                        }
                        out.extend_from_slice(raw);
                    }
                    (Edit::DuplicateKey(raw), Some(k)) => {
                        out.push(b',');
                        serde_json::to_writer(&mut *out, k).unwrap();
                        out.push(b':');
                        out.extend_from_slice(raw);
                    }
                    _ => {}
                }
            }
            out.push(b'}');
        }
        Value::Array(a) => {
            out.push(b'[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                emit(x, at, edit, n, out);
            }
            out.push(b']');
        }
        Value::String(s) if me == at && matches!(edit, Edit::IntoString(_)) => {
            let Edit::IntoString(raw) = edit else { return };
            let mut mid = s.len() / 2;
            while !s.is_char_boundary(mid) {
                mid -= 1;
            }
            let quoted = |part: &str| {
                let q = serde_json::to_string(part).unwrap();
                q.as_bytes()[1..q.len() - 1].to_vec()
            };
            out.push(b'"');
            out.extend(quoted(&s[..mid]));
            out.extend_from_slice(raw);
            out.extend(quoted(&s[mid..]));
            out.push(b'"');
        }
        other => serde_json::to_writer(&mut *out, other).unwrap(),
    }
}

/// Values of every other type.
const WRONG_TYPES: &[&str] =
    &["null", "true", "false", "0", "-1", "1.5", "\"\"", "\"x\"", "[]", "{}", "[1,2,3]", "{\"a\":1}", "[null]", "\"00000000-0000-0000-0000-000000000000\""];
/// Numbers at and past the edges of every integer type, and not integers at all.
const HUGE_NUMBERS: &[&str] = &[
    "18446744073709551615",
    "18446744073709551616",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775808",
    "-9223372036854775809",
    "4294967295",
    "4294967296",
    "-1",
    "-0",
    "0.5",
    "1e400",
    "-1e400",
    "1e-400",
    "1E+2",
    "123456789012345678901234567890123456789012345678901234567890",
    "0x10",
    "01",
    "NaN",
    "Infinity",
];
/// Bytes that are not UTF-8, or escapes that are not characters, or that end a string early.
const BAD_TEXT: &[&[u8]] = &[
    b"\xff",
    b"\xfe\xff",
    b"\xc0\x80",
    b"\xed\xa0\x80",
    b"\x80",
    b"\xf4\x90\x80\x80",
    b"\xe2\x82",
    b"\\ud800",
    b"\\udc00\\ud800",
    b"\\u0000",
    b"\\u0000\\u0000",
    b"\x00",
    b"\x01",
    b"\n",
    b"\\x41",
    b"\\uZZZZ",
    b"\\",
    b"\"",
    b"\\u202e",
    b"\\ufeff",
];

/// A random id.
fn uuid(rng: &mut Rng) -> Uuid {
    Uuid::from_u64_pair(rng.next_u64(), rng.next_u64())
}

fn deep(rng: &mut Rng) -> Vec<u8> {
    let depth = *rng.pick(&[100usize, 127, 128, 129, 1000, 100_000]);
    if rng.index(2) == 0 {
        [b"[".repeat(depth), b"]".repeat(depth)].concat()
    } else {
        [b"{\"a\":".repeat(depth), b"1".to_vec(), b"}".repeat(depth)].concat()
    }
}

/// A JSON-level mutation of `v`, written out.
fn mutate_json(v: &Value, rng: &mut Rng) -> (String, Vec<u8>) {
    let mut ks = vec![];
    kinds(v, &mut ks);
    let nodes = |want: &dyn Fn(Kind) -> bool| ks.iter().enumerate().filter(|(_, k)| want(**k)).map(|(i, _)| i).collect::<Vec<_>>();
    let (objects, strings) = (nodes(&|k| k == Kind::Object), nodes(&|k| k == Kind::String));
    let mut roll = rng.index(6);
    if (objects.is_empty() && (roll == 3 || roll == 4)) || (strings.is_empty() && roll == 5) {
        roll = 0;
    }
    let (what, at, edit) = match roll {
        0 => ("wrong type", rng.index(ks.len()), Edit::Replace(rng.pick(WRONG_TYPES).as_bytes().to_vec())),
        1 => {
            let numbers = nodes(&|k| k == Kind::Number);
            let at = if numbers.is_empty() || rng.index(4) == 0 { rng.index(ks.len()) } else { *rng.pick(&numbers) };
            ("huge number", at, Edit::Replace(rng.pick(HUGE_NUMBERS).as_bytes().to_vec()))
        }
        2 => ("deep nesting", rng.index(ks.len()), Edit::Replace(deep(rng))),
        3 => {
            let member = format!("\"{}\":{}", rng.pick(&["x", "extra", "seq", "__proto__", "", "commands", "protocol", "device", "kind"]), rng.pick(WRONG_TYPES));
            ("unknown field", *rng.pick(&objects), Edit::AddMember(member.into_bytes()))
        }
        4 => ("duplicated key", *rng.pick(&objects), Edit::DuplicateKey(rng.pick(WRONG_TYPES).as_bytes().to_vec())),
        _ => ("bad text", *rng.pick(&strings), Edit::IntoString(rng.pick(BAD_TEXT).to_vec())),
    };
    let mut out = Vec::new();
    emit(v, at, &edit, &mut 0, &mut out);
    (what.into(), out)
}

/// A byte-level mutation: cut short, or bytes flipped.
fn mutate_bytes(body: &mut Vec<u8>, rng: &mut Rng) -> &'static str {
    if body.is_empty() {
        return "empty";
    }
    if rng.index(2) == 0 {
        body.truncate(rng.index(body.len()));
        "truncated"
    } else {
        for _ in 0..1 + rng.index(8) {
            let i = rng.index(body.len());
            body[i] ^= 1 + rng.index(255) as u8;
        }
        "bytes flipped"
    }
}

/// The fuzzer's desk: what it has sent and what the server has taken.
struct Fuzz {
    t: TestServer,
    addr: SocketAddr,
    desk: Desk,
    other: Desk,
    kindergarten: KindergartenId,
    child: u32,
    /// Applications the server has taken from this desk.
    ours: Vec<ApplicationId>,
    /// Commands the server has taken, to be sent again under other numbers.
    taken: Vec<Sequenced>,
    /// Bodies answered in full, with their answers: sent again, answered byte for byte.
    answered: Vec<(Vec<u8>, Vec<u8>)>,
    failures: Vec<String>,
    /// Each kind of problem met, and how often.
    problems: std::collections::BTreeMap<String, u32>,
    seen: std::collections::BTreeMap<String, (u32, std::collections::BTreeMap<u16, u32>)>,
}

impl Fuzz {
    fn command(&mut self, rng: &mut Rng) -> Command {
        let roll = rng.index(10);
        let kind = if roll <= 6 || self.ours.is_empty() {
            self.child += 1;
            let mut a = application(child(self.child), self.kindergarten);
            a.id = ApplicationId(uuid(rng));
            register(&a)
        } else if roll <= 8 {
            let a = *rng.pick(&self.ours);
            let template = application(child(1), self.kindergarten);
            let changes = ApplicationChanges {
                contacts: template.contacts,
                address: format!("Өскемен қ., Бейбітшілік көшесі {}", rng.index(100)),
                preferences: vec![self.kindergarten],
                language: Language::Ru,
                benefit: None,
                proofs: vec![],
            };
            CommandKind::EditApplication { application: a, changes: Box::new(changes), confirmation: None, fields: None }
        } else {
            CommandKind::WithdrawApplication { application: *rng.pick(&self.ours), reason: "көшті".into() }
        };
        Command { id: uuid(rng), author: self.desk.op.id, device: self.desk.claims.device(), at: morning(), kind }
    }

    /// A valid push of the desk's next commands.
    fn valid_push(&mut self, rng: &mut Rng, next: u64) -> PushRequest {
        let commands = (0..1 + rng.index(3)).map(|i| Sequenced { seq: next + i as u64, command: self.command(rng).into() }).collect();
        self.desk.push(commands)
    }

    /// A push body mutated one way or more; what was done to it.
    fn push_case(&mut self, rng: &mut Rng, last: u64) -> (String, Vec<u8>) {
        let valid = self.valid_push(rng, last + 1);
        let v = serde_json::to_value(&valid).unwrap();
        match rng.index(21) {
            0 | 1 => ("valid".into(), serde_json::to_vec(&v).unwrap()),
            2 | 3 => {
                let mut b = serde_json::to_vec(&v).unwrap();
                (mutate_bytes(&mut b, rng).into(), b)
            }
            4 | 5 => self.extreme_seq(rng, valid, last),
            6 => {
                let mut v = v;
                let what = match rng.index(4) {
                    0 => {
                        v["protocol"] = serde_json::json!(*rng.pick(&[0u64, 2, u32::MAX as u64, u32::MAX as u64 + 1, u64::MAX]));
                        "protocol"
                    }
                    1 => {
                        let random = uuid(rng);
                        v["device"] = serde_json::json!(*rng.pick(&[self.other.claims.device().0, Uuid::nil(), random]));
                        "another device"
                    }
                    2 => {
                        v["commands"][0]["command"]["device"] = serde_json::json!(self.other.claims.device().0);
                        "a command of another device"
                    }
                    _ => {
                        v["commands"][0]["command"]["author"] = serde_json::json!(self.other.op.id.0);
                        "a command of another author"
                    }
                };
                (what.into(), serde_json::to_vec(&v).unwrap())
            }
            7 => {
                let junk: &[&[u8]] =
                    &[b"", b" ", b"null", b"[]", b"{}", b"\"push\"", b"0", b"{\"protocol\":1}", b"\xef\xbb\xbf{}", b"{\"protocol\":1,\"device\":null,\"commands\":null}"];
                let mut b = rng.pick(junk).to_vec();
                if rng.index(3) == 0 {
                    b = (0..rng.index(2000)).map(|_| rng.next_u64() as u8).collect();
                }
                ("not a push".into(), b)
            }
            8 if !self.answered.is_empty() => {
                let (body, _) = self.answered[rng.index(self.answered.len())].clone();
                ("sent again".into(), body)
            }
            10 => {
                // Control characters in free text (a name, an address, a reason): valid JSON,
                // valid UTF-8, but not every column takes them.
                let mut v = v;
                let bad = *rng.pick(&["\u{0}", "Ахметов\u{0}", "\u{1}\u{1f}", "\u{7f}", "\u{feff}", "\u{202e}", "\u{fffd}", "\u{10ffff}"]);
                let c = &mut v["commands"][0]["command"]["kind"];
                for field in ["reason", "address"] {
                    if c.get(field).is_some() {
                        c[field] = Value::from(bad);
                    }
                }
                if let Some(a) = c.get_mut("application").filter(|a| a.is_object()) {
                    a["child"]["surname"] = Value::from(bad);
                }
                if let Some(changes) = c.get_mut("changes") {
                    changes["address"] = Value::from(bad);
                }
                ("control characters".into(), serde_json::to_vec(&v).unwrap())
            }
            9 if rng.index(40) == 0 => {
                // More commands than a push may carry.
                let mut big = valid.clone();
                let one = big.commands[0].clone();
                big.commands = (0..baqsha_sync::MAX_BATCH as u64 + 1).map(|i| Sequenced { seq: last + 1 + i, ..one.clone() }).collect();
                ("too many commands".into(), serde_json::to_vec(&big).unwrap())
            }
            _ => {
                // One, two or three mutations in a row, now and then cut or flipped at the end.
                let (mut what, mut b) = mutate_json(&v, rng);
                for _ in 0..rng.index(3) {
                    let Ok(again) = serde_json::from_slice::<Value>(&b) else { break };
                    let (w, next) = mutate_json(&again, rng);
                    what = format!("{what} + {w}");
                    b = next;
                }
                if rng.index(6) == 0 {
                    what = format!("{what} + {}", mutate_bytes(&mut b, rng));
                }
                (what, b)
            }
        }
    }

    /// Sequence numbers at the edges, out of order, twice, or a command taken before sent
    /// again under a new number.
    fn extreme_seq(&mut self, rng: &mut Rng, mut valid: PushRequest, last: u64) -> (String, Vec<u8>) {
        let what = match rng.index(6) {
            0 => {
                let n = *rng.pick(&[0, 1, last, last + 2, last + 1000, u64::MAX, u64::MAX - 1, 1 << 63, (1 << 63) - 1, i64::MAX as u64 + 2, u32::MAX as u64 + 1]);
                let i = rng.index(valid.commands.len());
                valid.commands[i].seq = n;
                "extreme seq"
            }
            1 => {
                valid.commands.reverse();
                "reordered"
            }
            2 => {
                let first = valid.commands[0].clone();
                valid.commands.insert(0, first);
                "the same number twice"
            }
            3 if !self.taken.is_empty() => {
                // A command the server took before, under the next number.
                let again = self.taken[rng.index(self.taken.len())].command.clone();
                valid.commands[0].command = again;
                "a taken command under a new number"
            }
            4 => {
                for c in &mut valid.commands {
                    c.seq += 1;
                }
                "a gap"
            }
            _ => {
                valid.commands.clear();
                "no commands"
            }
        };
        (what.into(), serde_json::to_vec(&valid).unwrap())
    }

    /// A pull's query, mutated; whether to send a token.
    fn pull_case(&mut self, rng: &mut Rng, epoch: Uuid, cursor: u64) -> (String, Vec<u8>) {
        let mut params: Vec<(String, String)> = vec![
            ("after".into(), rng.pick(&[0, cursor, cursor / 2, cursor + 10]).to_string()),
            ("limit".into(), rng.pick(&[1, 10, 1000, 5000]).to_string()),
            ("protocol".into(), PROTOCOL.to_string()),
        ];
        if rng.index(2) == 0 {
            params.push(("epoch".into(), epoch.to_string()));
        }
        let junk = [
            "",
            "-1",
            "18446744073709551615",
            "18446744073709551616",
            "9223372036854775808",
            "4294967296",
            "abc",
            "1e3",
            "0x10",
            "1.0",
            "+1",
            "%20",
            "%00",
            "%ff%fe",
            "%",
            "%zz",
            "null",
            "[]",
            "00000000-0000-0000-0000-000000000000",
            "not-a-uuid",
            "0",
        ];
        let what = match rng.index(9) {
            0 => "valid".to_string(),
            1 | 2 => {
                let i = rng.index(params.len());
                params[i].1 = rng.pick(&junk).to_string();
                format!("{} = junk", params[i].0)
            }
            3 => {
                let i = rng.index(params.len());
                let name = params.remove(i).0;
                format!("no {name}")
            }
            4 => {
                let i = rng.index(params.len());
                let twice = (params[i].0.clone(), rng.pick(&junk).to_string());
                params.push(twice);
                format!("{} twice", params[i].0)
            }
            5 => {
                params.push((rng.pick(&["x", "cursor", "scope", "district", "%ff", "after[]", ""]).to_string(), rng.pick(&junk).to_string()));
                "unknown parameter".to_string()
            }
            6 => {
                params.retain(|(k, _)| k != "epoch");
                params.push(("epoch".into(), uuid(rng).to_string()));
                "another epoch".to_string()
            }
            7 => {
                params.retain(|(k, _)| k != "protocol");
                params.push(("protocol".into(), rng.pick(&["0", "2", "4294967295", "4294967296", "-1", "1.0"]).to_string()));
                "protocol".to_string()
            }
            _ => "bytes".to_string(),
        };
        let mut query: Vec<u8> = params.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("&").into_bytes();
        if what == "bytes" {
            mutate_bytes(&mut query, rng);
        }
        // Whatever the bytes, the request line stays a valid URI: the rest is percent-encoded.
        let mut target = b"/v1/pull?".to_vec();
        for b in query {
            if b.is_ascii_alphanumeric() || b"-._~=&%+".contains(&b) {
                target.push(b);
            } else {
                target.extend_from_slice(format!("%{b:02X}").as_bytes());
            }
        }
        (format!("pull: {what}"), target)
    }

    fn fail(&mut self, case: usize, what: &str, why: String, request: &[u8], reply: Option<&Reply>) {
        let family = what.split(" + ").next().unwrap_or(what);
        let problem = format!("{family}: {}", why.split([':', '(']).next().unwrap_or(&why));
        let n = self.problems.entry(problem).or_default();
        *n += 1;
        if *n <= 2 {
            let excerpt = |b: &[u8]| {
                let s = String::from_utf8_lossy(b);
                s.chars().take(600).collect::<String>()
            };
            let answer = reply.map(|r| format!("HTTP {} {}", r.status, excerpt(&r.body))).unwrap_or_default();
            self.failures.push(format!("case {case} ({what}): {why}\n  request: {}\n  answer: {answer}", excerpt(request)));
        }
    }

    fn count(&mut self, what: &str, status: u16) {
        let family = what.split(" + ").next().unwrap_or(what).to_string();
        let e = self.seen.entry(family).or_default();
        e.0 += 1;
        *e.1.entry(status).or_default() += 1;
    }
}

/// The status each refusal goes with.
fn status_of(e: &RequestError) -> u16 {
    match e {
        RequestError::Protocol { .. } | RequestError::Malformed { .. } => 400,
        RequestError::Unauthorized => 401,
        RequestError::OtherDevice => 403,
        RequestError::ResetRequired { .. } => 409,
        RequestError::TooLarge { .. } => 413,
    }
}

/// G4 and G2 under hostile input: every mutated push or pull gets either a 2xx with an answer
/// the protocol can read, or a 4xx whose body is the protocol's `RequestError` — never a 5xx
/// or no answer at all; a refused request changes nothing in the database, a taken one
/// exactly its new commands; a body sent again is answered byte for byte as the first time;
/// and afterwards the server is healthy and every command it took is whole.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fuzzed_push_and_pull_requests_get_a_clear_answer_and_are_never_half_applied() {
    let soak = std::env::var("BAQSHA_SOAK").is_ok_and(|v| v == "1");
    let cases = if soak { 30_000 } else { 3_000 };
    let seed: u64 = std::env::var("BAQSHA_FUZZ_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(0x5eed_f022);
    eprintln!("fuzz: {cases} requests, seed {seed} (BAQSHA_FUZZ_SEED)");
    let mut rng = Rng(seed | 1);
    let t = server().await;
    let addr = serve(&t).await;
    let desk = t.desk("operator-1", "baqsha-operator").await;
    let other = t.desk("operator-2", "baqsha-operator").await;
    let r = region();
    let d = r.districts[0].code.clone();
    let kindergarten = r.kindergartens.iter().find(|k| k.district == d).unwrap().id;
    let device = desk.claims.dev;
    let epoch = t.server.epoch().await.unwrap();
    let mut f = Fuzz {
        t,
        addr,
        desk,
        other,
        kindergarten,
        child: 20_000,
        ours: vec![],
        taken: vec![],
        answered: vec![],
        failures: vec![],
        problems: Default::default(),
        seen: Default::default(),
    };
    let started = std::time::Instant::now();
    let mut cursor = 0u64;

    for case in 0..cases {
        let last = counts(&f.t, device).await.last_seq as u64;
        let pull = rng.index(4) == 0;
        let (mut what, target, body) = if pull {
            let (what, target) = f.pull_case(&mut rng, epoch, cursor);
            (what, target, vec![])
        } else if case % 1000 == 500 {
            // Past the size a push may have (8 MiB, the server's limit).
            let pad = "x".repeat(9 * 1024 * 1024);
            let body = format!("{{\"protocol\":1,\"device\":\"{device}\",\"commands\":[],\"pad\":\"{pad}\"}}").into_bytes();
            ("oversized".to_string(), b"/v1/push".to_vec(), body)
        } else {
            let (what, body) = f.push_case(&mut rng, last);
            (what, b"/v1/push".to_vec(), body)
        };
        // Now and then without a token, with a forged one, or with another device's.
        let token = match rng.index(40) {
            0 => None,
            1 => Some("eyJhbGciOiJIUzI1NiJ9.e30.forged".to_string()),
            2 if !pull => Some(f.other.token.clone()),
            _ => Some(f.desk.token.clone()),
        };
        if token.as_deref() != Some(f.desk.token.as_str()) {
            what = format!("{what} + token");
        }
        // The counts of the device the token speaks for.
        let dev = if token.as_deref() == Some(f.other.token.as_str()) { f.other.claims.dev } else { device };
        let before = counts(&f.t, dev).await;
        let last = before.last_seq as u64;
        let request = if pull { target.clone() } else { body.clone() };
        let reply = match http(f.addr, if pull { "GET" } else { "POST" }, &target, token.as_deref(), &body).await {
            Ok(r) => r,
            Err(e) => {
                f.fail(case, &what, format!("no answer: {e}"), &request, None);
                continue;
            }
        };
        f.count(&what, reply.status);
        let after = counts(&f.t, dev).await;
        match reply.status {
            200..=299 if pull => match serde_json::from_slice::<PullResponse>(&reply.body) {
                Ok(p) => {
                    if p.epoch != epoch {
                        f.fail(case, &what, "a pull answered another epoch".into(), &request, Some(&reply));
                    }
                    if what == "pull: valid" {
                        cursor = p.cursor;
                    }
                    if after != before {
                        f.fail(case, &what, format!("a pull changed the database: {before:?} → {after:?}"), &request, Some(&reply));
                    }
                }
                Err(e) => f.fail(case, &what, format!("a 2xx the protocol cannot read: {e}"), &request, Some(&reply)),
            },
            200..=299 => {
                let answer = match serde_json::from_slice::<PushResponse>(&reply.body) {
                    Ok(a) => a,
                    Err(e) => {
                        f.fail(case, &what, format!("a 2xx the protocol cannot read: {e}"), &request, Some(&reply));
                        continue;
                    }
                };
                // What the server took now: the outcomes past the number it held before.
                // (A number sent twice in one batch is taken once, and answered twice.)
                let new: std::collections::BTreeSet<u64> = answer.outcomes.iter().map(|o| o.seq).filter(|n| *n > last).collect();
                let taken = after.last_seq - before.last_seq;
                if after.commands - before.commands != new.len() as i64 || taken != new.len() as i64 || after.failures != before.failures {
                    f.fail(case, &what, format!("{} new outcomes, but {before:?} → {after:?}", new.len()), &request, Some(&reply));
                }
                let sent = serde_json::from_slice::<PushRequest>(&body).ok();
                if let Some(sent) = &sent {
                    let numbers: Vec<u64> = answer.outcomes.iter().map(|o| o.seq).collect();
                    let asked: Vec<u64> = sent.commands.iter().map(|c| c.seq).take(numbers.len()).collect();
                    if numbers != asked {
                        f.fail(case, &what, format!("outcomes for {numbers:?}, commands sent {asked:?}"), &request, Some(&reply));
                    }
                    let mut recorded = std::collections::BTreeSet::new();
                    for (o, s) in answer.outcomes.iter().zip(&sent.commands) {
                        if o.seq > last && recorded.insert(o.seq) {
                            f.taken.push(s.clone());
                            if let (Some(CommandKind::RegisterApplication { application, .. }), false) =
                                (s.command.read().map(|c| &c.kind), matches!(o.decision, Decision::Rejected { .. }))
                            {
                                f.ours.push(application.id);
                            }
                        }
                    }
                    if answer.resend_from.is_none() && answer.outcomes.len() == sent.commands.len() && !sent.commands.is_empty() && f.answered.len() < 200 {
                        f.answered.push((body.clone(), reply.body.clone()));
                    }
                } else if !new.is_empty() {
                    f.fail(case, &what, "a body that is not a push was taken".into(), &request, Some(&reply));
                }
                if what.starts_with("sent again") {
                    let first = f.answered.iter().find(|(b, _)| *b == body).map(|(_, a)| a.clone());
                    if first.as_deref() != Some(reply.body.as_slice()) {
                        f.fail(case, &what, "a body sent again was not answered byte for byte".into(), &request, Some(&reply));
                    }
                }
            }
            400..=499 => {
                match serde_json::from_slice::<RequestError>(&reply.body) {
                    Ok(e) if status_of(&e) == reply.status => {}
                    Ok(e) => f.fail(case, &what, format!("HTTP {} for {e:?}", reply.status), &request, Some(&reply)),
                    Err(e) => f.fail(case, &what, format!("a 4xx without the protocol's RequestError ({e})"), &request, Some(&reply)),
                }
                if after != before {
                    f.fail(case, &what, format!("a refused request changed the database: {before:?} → {after:?}"), &request, Some(&reply));
                }
            }
            s => f.fail(case, &what, format!("HTTP {s}"), &request, Some(&reply)),
        }
    }
    eprintln!("fuzz: {cases} requests in {:.1} s; {} commands taken", started.elapsed().as_secs_f64(), f.taken.len());
    for (family, (n, statuses)) in &f.seen {
        eprintln!("fuzz:   {family:<40} {n:>5}  {statuses:?}");
    }

    // Still healthy: it answers, takes a valid push and a valid pull.
    let health = http(f.addr, "GET", b"/v1/health", None, b"").await.unwrap();
    assert_eq!((health.status, health.body.as_slice()), (200, b"ok".as_slice()));
    let last = counts(&f.t, device).await.last_seq as u64;
    let valid = f.valid_push(&mut rng, last + 1);
    let n = valid.commands.len();
    let reply = http(f.addr, "POST", b"/v1/push", Some(&f.desk.token), &serde_json::to_vec(&valid).unwrap()).await.unwrap();
    assert_eq!(reply.status, 200, "{}", String::from_utf8_lossy(&reply.body));
    let answer: PushResponse = serde_json::from_slice(&reply.body).unwrap();
    assert_eq!((answer.outcomes.len(), answer.resend_from), (n, None), "a valid push after the fuzz is taken whole");
    let pulled = http(f.addr, "GET", format!("/v1/pull?after=0&protocol={PROTOCOL}&epoch={epoch}").as_bytes(), Some(&f.desk.token), b"").await.unwrap();
    assert_eq!(pulled.status, 200);
    serde_json::from_slice::<PullResponse>(&pulled.body).unwrap();

    // Nothing half applied: each command taken is whole — a registration taken has its
    // application and its place in the change log; one refused left nothing.
    let rows: Vec<(String, String)> = sqlx::query_as("SELECT body, outcome FROM commands").fetch_all(&f.t.server.pool).await.unwrap();
    let mut registered = 0;
    let mut unreadable = vec![];
    let mut carried_unread = 0;
    for (body, outcome) in &rows {
        let o: baqsha_sync::Outcome = match serde_json::from_str(outcome) {
            Ok(o) => o,
            Err(e) => {
                unreadable.push(format!("({e}) {outcome}"));
                continue;
            }
        };
        // A command the server could not read is kept as sent, refused as such, nothing applied.
        let c: Command = match serde_json::from_str(body) {
            Ok(c) => c,
            Err(e) => {
                carried_unread += 1;
                if !matches!(o.decision, Decision::Rejected { reason: baqsha_sync::Rejection::Unreadable { .. } }) {
                    f.failures.push(format!("a command the server cannot read ({e}) was answered {:?}", o.decision));
                }
                continue;
            }
        };
        if let CommandKind::RegisterApplication { application, .. } = &c.kind {
            let held: i64 = sqlx::query_scalar("SELECT count(*) FROM applications WHERE id = $1").bind(application.id.0).fetch_one(&f.t.server.pool).await.unwrap();
            let logged: i64 =
                sqlx::query_scalar("SELECT count(*) FROM changes WHERE entity = 'application' AND id = $1").bind(application.id.0).fetch_one(&f.t.server.pool).await.unwrap();
            let taken = !matches!(o.decision, Decision::Rejected { .. });
            registered += i64::from(taken);
            if taken && (held != 1 || logged == 0) {
                f.failures.push(format!("registration {} taken, but {held} application rows and {logged} changes", c.id));
            }
        }
    }
    if let Some(first) = unreadable.first() {
        f.failures.push(format!("{} stored outcomes the protocol cannot read, the first: {first}", unreadable.len()));
    }
    eprintln!("fuzz: {carried_unread} commands taken unread (refused alone, the rest of their push went on)");
    let apps: i64 = sqlx::query_scalar("SELECT count(*) FROM applications").fetch_one(&f.t.server.pool).await.unwrap();
    if apps != registered {
        f.failures.push(format!("{apps} applications for {registered} registrations taken"));
    }
    let failed: Vec<(i64, String)> = sqlx::query_as("SELECT seq, last_error FROM failures").fetch_all(&f.t.server.pool).await.unwrap();
    if !failed.is_empty() {
        f.failures.push(format!("commands the server failed on: {failed:?}"));
    }
    let summary: Vec<String> = f.problems.iter().map(|(p, n)| format!("{n:>5} × {p}")).collect();
    assert!(f.failures.is_empty(), "problems:\n{}\nexamples:\n{}", summary.join("\n"), f.failures.join("\n"));
}
