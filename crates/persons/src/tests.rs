use super::*;
use baqsha_core::Sex;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;
use tokio::sync::mpsc;

fn iin(serial: u16) -> Iin {
    let birth = chrono::NaiveDate::from_ymd_opt(1990, 4, 12).unwrap();
    (serial..serial + 20).find_map(|s| Iin::from_parts(birth, Sex::Female, s)).unwrap()
}

/// A one-connection-per-answer HTTP server: answers each request with `status` and `body`,
/// reporting the request line and the Authorization header.
async fn server(answers: Vec<(u16, &'static str)>) -> (String, mpsc::UnboundedReceiver<(String, String)>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (tx, rx) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        for (status, body) in answers {
            let (stream, _) = listener.accept().await.unwrap();
            let mut reader = BufReader::new(stream);
            let mut line = String::new();
            reader.read_line(&mut line).await.unwrap();
            let mut auth = String::new();
            loop {
                let mut h = String::new();
                reader.read_line(&mut h).await.unwrap();
                if h.trim().is_empty() {
                    break;
                }
                if h.to_ascii_lowercase().starts_with("authorization:") {
                    auth = h.trim().to_string();
                }
            }
            tx.send((line.trim().to_string(), auth)).unwrap();
            let answer = format!("HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len());
            reader.get_mut().write_all(answer.as_bytes()).await.unwrap();
            let _ = reader.get_mut().flush().await;
            let _ = reader.read(&mut [0; 1]).await;
        }
    });
    (url, rx)
}

#[tokio::test]
async fn the_http_adapter_reads_names_and_tells_unknown_from_unreachable() {
    let (url, mut requests) = server(vec![
        (200, r#"{"iin":"x","lastName":"Серікова","firstName":"Әйгерім","middleName":"Қанатқызы"}"#),
        (404, r#"{"error":"not found"}"#),
        (401, r#"{"error":"bad token"}"#),
        (503, "busy"),
        (200, r#"{"lastName":"Омаров","firstName":"Ерлан","middleName":"  "}"#),
    ])
    .await;
    let http = Http::new(HttpConfig { url: format!("{url}/api/"), token: "t0k".into(), timeout_secs: 5 });
    let who = iin(1000);
    assert_eq!(http.find(&who).await, Ok(Some(Names { surname: "Серікова".into(), given_name: "Әйгерім".into(), patronymic: Some("Қанатқызы".into()) })));
    let (line, auth) = requests.recv().await.unwrap();
    assert_eq!(line, format!("GET /api/persons/{} HTTP/1.1", who.as_str()));
    assert_eq!(auth.to_ascii_lowercase(), "authorization: bearer t0k");
    assert_eq!(http.find(&who).await, Ok(None));
    assert!(matches!(http.find(&who).await, Err(LookupError::Refused(d)) if d.contains("401")));
    assert!(matches!(http.find(&who).await, Err(LookupError::Unreachable(d)) if d.contains("503")));
    // A blank middle name is none at all.
    assert_eq!(http.find(&who).await, Ok(Some(Names { surname: "Омаров".into(), given_name: "Ерлан".into(), patronymic: None })));
}

#[tokio::test]
async fn a_dead_gateway_is_unreachable() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let http = Http::new(HttpConfig { url: format!("http://127.0.0.1:{port}"), token: "t".into(), timeout_secs: 2 });
    match http.find(&iin(1000)).await {
        Err(LookupError::Unreachable(why)) => assert!(!why.contains(iin(1000).as_str()), "the logged reason names the IIN: {why}"),
        other => panic!("a dead gateway is unreachable, not {other:?}"),
    }
    assert!(matches!(Offline.find(&iin(1000)).await, Err(LookupError::Unreachable(_))));
}

/// A gateway that takes the request and never answers is out of reach once the timeout is up.
#[tokio::test]
async fn a_silent_gateway_times_out_as_unreachable() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let held = tokio::spawn(async move {
        let (stream, _) = listener.accept().await.unwrap();
        tokio::time::sleep(std::time::Duration::from_secs(10)).await;
        drop(stream);
    });
    let http = Http::new(HttpConfig { url, token: "t".into(), timeout_secs: 1 });
    let who = iin(1000);
    match http.find(&who).await {
        Err(LookupError::Unreachable(why)) => assert!(!why.contains(who.as_str()) && why.contains("no answer"), "{why}"),
        other => panic!("a silent gateway is unreachable, not {other:?}"),
    }
    held.abort();
}

#[tokio::test]
async fn the_memory_registry_knows_its_people_only() {
    let names = Names { surname: "Омаров".into(), given_name: "Ерлан".into(), patronymic: None };
    let m = Memory::new([(iin(1000), names.clone())]);
    assert_eq!(m.find(&iin(1000)).await, Ok(Some(names)));
    assert_eq!(m.find(&iin(3000)).await, Ok(None));
}

/// What the adapter says goes to the log: a gateway that echoes the IIN is masked there.
#[tokio::test]
async fn a_gateway_that_echoes_the_iin_keeps_it_out_of_the_reason() {
    let who = iin(1000);
    let body: &'static str = Box::leak(format!(r#"{{"error":"no access to {}"}}"#, who.as_str()).into_boxed_str());
    let (url, _requests) = server(vec![(403, body)]).await;
    let http = Http::new(HttpConfig { url, token: "t".into(), timeout_secs: 5 });
    match http.find(&who).await {
        Err(LookupError::Refused(why)) => {
            assert!(!why.contains(who.as_str()), "the reason names the IIN: {why}");
            assert!(why.contains("403") && why.contains(&who.masked()), "{why}");
        }
        other => panic!("a refusal, not {other:?}"),
    }
}
