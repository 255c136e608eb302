use super::*;
use baqsha_core::Sex;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::mpsc;

fn iin(serial: u16) -> Iin {
    let birth = chrono::NaiveDate::from_ymd_opt(1990, 4, 12).unwrap();
    (serial..serial + 20).find_map(|s| Iin::from_parts(birth, Sex::Female, s)).unwrap()
}

/// A one-shot HTTP server: answers each request with `status` and `body`, reporting the
/// request line and the Authorization header.
fn server(answers: Vec<(u16, &'static str)>) -> (String, mpsc::Receiver<(String, String)>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for (status, body) in answers {
            let (stream, _) = listener.accept().unwrap();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            let mut auth = String::new();
            loop {
                let mut h = String::new();
                reader.read_line(&mut h).unwrap();
                if h.trim().is_empty() {
                    break;
                }
                if h.to_ascii_lowercase().starts_with("authorization:") {
                    auth = h.trim().to_string();
                }
            }
            tx.send((line.trim().to_string(), auth)).unwrap();
            let mut s = stream;
            write!(s, "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len()).unwrap();
            let _ = s.flush();
            let _ = reader.read(&mut [0; 1]);
        }
    });
    (url, rx)
}

#[test]
fn the_http_adapter_reads_names_and_tells_unknown_from_unreachable() {
    let (url, requests) = server(vec![
        (200, r#"{"iin":"x","lastName":"Серікова","firstName":"Әйгерім","middleName":"Қанатқызы"}"#),
        (404, r#"{"error":"not found"}"#),
        (401, r#"{"error":"bad token"}"#),
        (503, "busy"),
    ]);
    let http = Http::new(HttpConfig { url: format!("{url}/api/"), token: "t0k".into(), timeout_secs: 5 });
    let who = iin(1000);
    assert_eq!(http.find(&who), Ok(Some(Names { surname: "Серікова".into(), given_name: "Әйгерім".into(), patronymic: Some("Қанатқызы".into()) })));
    let (line, auth) = requests.recv().unwrap();
    assert_eq!(line, format!("GET /api/persons/{} HTTP/1.1", who.as_str()));
    assert_eq!(auth.to_ascii_lowercase(), "authorization: bearer t0k");
    assert_eq!(http.find(&who), Ok(None));
    assert!(matches!(http.find(&who), Err(LookupError::Refused(d)) if d.contains("401")));
    assert!(matches!(http.find(&who), Err(LookupError::Unreachable(d)) if d.contains("503")));
}

#[test]
fn a_dead_gateway_is_unreachable() {
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let http = Http::new(HttpConfig { url: format!("http://127.0.0.1:{port}"), token: "t".into(), timeout_secs: 2 });
    match http.find(&iin(1000)) {
        Err(LookupError::Unreachable(why)) => assert!(!why.contains(iin(1000).as_str()), "the logged reason names the IIN: {why}"),
        other => panic!("a dead gateway is unreachable, not {other:?}"),
    }
    assert!(matches!(Offline.find(&iin(1000)), Err(LookupError::Unreachable(_))));
}

#[test]
fn the_memory_registry_knows_its_people_only() {
    let names = Names { surname: "Омаров".into(), given_name: "Ерлан".into(), patronymic: None };
    let m = Memory::new([(iin(1000), names.clone())]);
    assert_eq!(m.find(&iin(1000)), Ok(Some(names)));
    assert_eq!(m.find(&iin(3000)), Ok(None));
}

/// What the adapter says goes to the log: a gateway that echoes the IIN is masked there.
#[test]
fn a_gateway_that_echoes_the_iin_keeps_it_out_of_the_reason() {
    let who = iin(1000);
    let body: &'static str = Box::leak(format!(r#"{{"error":"no access to {}"}}"#, who.as_str()).into_boxed_str());
    let (url, _requests) = server(vec![(403, body)]);
    let http = Http::new(HttpConfig { url, token: "t".into(), timeout_secs: 5 });
    match http.find(&who) {
        Err(LookupError::Refused(why)) => {
            assert!(!why.contains(who.as_str()), "the reason names the IIN: {why}");
            assert!(why.contains("403") && why.contains(&who.masked()), "{why}");
        }
        other => panic!("a refusal, not {other:?}"),
    }
}
