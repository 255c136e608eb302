//! A fault proxy on 127.0.0.1 between a desk and the server: it passes bytes through, or
//! slows them, refuses connections, or cuts a request or an answer after so many bytes — the
//! ways a village office's line fails. The fault in force is read on every chunk, so a
//! connection kept alive by the client meets a fault set after it was opened.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What the line does now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Bytes pass as they come.
    None,
    /// Each chunk waits this long before it goes on.
    Delay(Duration),
    /// New connections are closed at once and open ones are cut: a partition.
    Refuse,
    /// A request gets this many bytes through, then the connection is cut.
    CutRequest(usize),
    /// The whole request reaches the server, its answer this many bytes back: a response
    /// lost after the server committed.
    CutResponse(usize),
}

#[derive(Clone, Copy)]
struct State {
    fault: Fault,
    /// Counts the faults set: byte budgets start again under each.
    generation: u64,
}

/// The proxy: connect to `addr` instead of the server.
#[derive(Clone)]
pub struct FaultProxy {
    pub addr: SocketAddr,
    state: Arc<Mutex<State>>,
}

impl FaultProxy {
    /// A proxy to `upstream`, passing bytes through until told otherwise.
    pub async fn start(upstream: SocketAddr) -> FaultProxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("a loopback port for the proxy");
        let addr = listener.local_addr().expect("the proxy's address");
        let state = Arc::new(Mutex::new(State { fault: Fault::None, generation: 0 }));
        let shared = state.clone();
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                if current(&shared).fault == Fault::Refuse {
                    drop(client);
                    continue;
                }
                let shared = shared.clone();
                tokio::spawn(async move {
                    let Ok(server) = TcpStream::connect(upstream).await else { return };
                    let (cr, cw) = client.into_split();
                    let (sr, sw) = server.into_split();
                    let up = pipe(cr, sw, shared.clone(), Direction::Request);
                    let down = pipe(sr, cw, shared, Direction::Response);
                    // Either side ending or cut ends the connection both ways.
                    tokio::select! {
                        _ = up => {}
                        _ = down => {}
                    }
                });
            }
        });
        FaultProxy { addr, state }
    }

    pub fn set(&self, fault: Fault) {
        let mut s = self.state.lock().expect("the proxy's state");
        s.fault = fault;
        s.generation += 1;
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

fn current(state: &Mutex<State>) -> State {
    *state.lock().expect("the proxy's state")
}

#[derive(Clone, Copy, PartialEq)]
enum Direction {
    Request,
    Response,
}

async fn pipe(mut from: tokio::net::tcp::OwnedReadHalf, mut to: tokio::net::tcp::OwnedWriteHalf, state: Arc<Mutex<State>>, direction: Direction) {
    let mut buf = vec![0u8; 16 * 1024];
    let (mut generation, mut passed) = (u64::MAX, 0usize);
    loop {
        let n = match from.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => n,
        };
        let now = current(&state);
        if now.generation != generation {
            (generation, passed) = (now.generation, 0);
        }
        let budget = match (now.fault, direction) {
            (Fault::Refuse, _) => return,
            (Fault::Delay(d), _) => {
                tokio::time::sleep(d).await;
                None
            }
            (Fault::CutRequest(limit), Direction::Request) | (Fault::CutResponse(limit), Direction::Response) => Some(limit.saturating_sub(passed)),
            _ => None,
        };
        let take = budget.map_or(n, |b| b.min(n));
        if to.write_all(&buf[..take]).await.is_err() {
            return;
        }
        passed += take;
        if take < n {
            // The cut: whatever was not let through is lost with the connection.
            let _ = to.flush().await;
            return;
        }
    }
}
