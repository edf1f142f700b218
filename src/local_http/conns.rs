//! The connection loop of the local HTTP servers: HTTP/1.1 with a time limit on every
//! request head, and a bound on the connections held open.
//!
//! A client that opens connections and never finishes a request (a slowloris) holds a file
//! descriptor with each until the header timeout; enough of them and `accept` fails for
//! everyone. So at most [`max_open`] connections stay open: when one more arrives, the
//! oldest connection that is only waiting for a request head is closed to make room.
//! Architecture invariant: a connection is closed for another only while no response is in
//! progress on it (from its request head to the end of the response body), so a page being
//! sent or an open event stream is never cut off.

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::response::Response;
use http_body::{Frame, SizeHint};
use hyper::body::Incoming;
use std::collections::BTreeMap;
use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::sync::oneshot;
use tower_service::Service;

/// The fewest connections held open, however low the descriptor limit.
const MIN_OPEN: usize = 16;
/// The most: a preview or an MCP client never needs more.
const MAX_OPEN: usize = 1024;

/// How many connections to hold open: half the process's descriptor limit, leaving the
/// other half to what the server itself opens (the watcher, source files, assets).
fn max_open() -> usize {
    #[cfg(unix)]
    let limit = rustix::process::getrlimit(rustix::process::Resource::Nofile).current;
    #[cfg(not(unix))]
    let limit: Option<u64> = None;
    limit.map_or(MAX_OPEN, |n| usize::try_from(n / 2).unwrap_or(MAX_OPEN)).clamp(MIN_OPEN, MAX_OPEN)
}

/// Accept connections on `listener` and serve `app` over HTTP/1.1 until the future is
/// dropped. A connection that takes longer than `header_timeout` to send a request head
/// (the first one, or the next on a kept-alive connection) is closed; beyond
/// [`max_open`] connections, the oldest idle one is.
pub(crate) async fn serve(listener: tokio::net::TcpListener, app: Router, header_timeout: Duration) {
    let max_open = max_open();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(hyper_util::rt::TokioTimer::new()).header_read_timeout(header_timeout);
    let open = Arc::new(Mutex::new(Open::default()));
    loop {
        let stream = match listener.accept().await {
            Ok((s, _)) => s,
            Err(e) if matches!(e.kind(), std::io::ErrorKind::ConnectionAborted | std::io::ErrorKind::ConnectionReset) => continue,
            // Out of descriptors (something else holds them: a build, asset reads): an idle
            // connection gives one back; without one, the header timeout will.
            Err(_) => {
                if lock(&open).close_idle() {
                    // Let the closed connection's task run and release its descriptor.
                    tokio::task::yield_now().await;
                } else {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
                continue;
            }
        };
        let (id, busy, closed) = {
            let mut o = lock(&open);
            // Every connection is answering a request: refuse this one (dropping it closes it)
            // rather than run out of descriptors.
            if o.conns.len() >= max_open && !o.close_idle() {
                continue;
            }
            o.add()
        };
        let _ = stream.set_nodelay(true);
        let svc = hyper_util::service::TowerToHyperService::new(Counted { app: app.clone(), busy });
        let conn = http.serve_connection(hyper_util::rt::TokioIo::new(stream), svc);
        let open = open.clone();
        tokio::spawn(async move {
            // A client that goes away or times out ends its connection; nothing to report.
            tokio::select! {
                _ = conn => {}
                _ = closed => {}
            }
            lock(&open).conns.remove(&id);
        });
    }
}

/// The open connections by age (accept order).
#[derive(Default)]
struct Open {
    next: u64,
    conns: BTreeMap<u64, Conn>,
}

struct Conn {
    /// Responses in progress on it.
    busy: Arc<AtomicUsize>,
    /// Dropping it ends the connection's task, which closes the connection.
    _close: oneshot::Sender<()>,
}

impl Open {
    /// A new entry: its id, its count of responses in progress and the signal to close it.
    fn add(&mut self) -> (u64, Arc<AtomicUsize>, oneshot::Receiver<()>) {
        let (tx, rx) = oneshot::channel();
        let busy = Arc::new(AtomicUsize::new(0));
        let id = self.next;
        self.next += 1;
        self.conns.insert(id, Conn { busy: busy.clone(), _close: tx });
        (id, busy, rx)
    }

    /// Close the oldest connection with no response in progress; false when there is none.
    fn close_idle(&mut self) -> bool {
        let idle = self.conns.iter().find(|(_, c)| c.busy.load(Ordering::Acquire) == 0).map(|(&id, _)| id);
        idle.and_then(|id| self.conns.remove(&id)).is_some()
    }
}

fn lock(open: &Mutex<Open>) -> MutexGuard<'_, Open> {
    open.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// One response in progress: counted from the request head until its body ends or is dropped.
struct InProgress(Arc<AtomicUsize>);

impl InProgress {
    fn start(busy: &Arc<AtomicUsize>) -> Self {
        busy.fetch_add(1, Ordering::AcqRel);
        Self(busy.clone())
    }
}

impl Drop for InProgress {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// The app, counting the responses in progress on one connection.
#[derive(Clone)]
struct Counted {
    app: Router,
    busy: Arc<AtomicUsize>,
}

impl Service<Request<Incoming>> for Counted {
    type Response = Response;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Response, Infallible>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Service::<Request<Incoming>>::poll_ready(&mut self.app, cx)
    }

    fn call(&mut self, req: Request<Incoming>) -> Self::Future {
        let started = InProgress::start(&self.busy);
        let answer = self.app.call(req);
        Box::pin(async move {
            let res = answer.await?;
            Ok(res.map(|body| Body::new(CountedBody { body, _started: started })))
        })
    }
}

/// A response body that keeps its response counted until it ends.
struct CountedBody {
    body: Body,
    _started: InProgress,
}

impl http_body::Body for CountedBody {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        Pin::new(&mut self.get_mut().body).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.body.size_hint()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_oldest_idle_connection_makes_room() {
        let mut open = Open::default();
        let (a, busy_a, mut closed_a) = open.add();
        let (b, _, mut closed_b) = open.add();
        let (c, _, _closed_c) = open.add();
        let answering = InProgress::start(&busy_a);
        assert!(open.close_idle());
        assert!(open.conns.contains_key(&a), "a connection answering a request stays open");
        assert!(!open.conns.contains_key(&b));
        assert_eq!(closed_b.try_recv(), Err(oneshot::error::TryRecvError::Closed), "b was told to close");
        assert!(open.close_idle());
        assert!(!open.conns.contains_key(&c));
        assert!(!open.close_idle(), "only a busy connection is left");
        drop(answering);
        assert_eq!(closed_a.try_recv(), Err(oneshot::error::TryRecvError::Empty));
        assert!(open.close_idle(), "idle again once its response ended");
    }

    #[test]
    fn the_bound_follows_the_descriptor_limit() {
        let n = max_open();
        assert!((MIN_OPEN..=MAX_OPEN).contains(&n), "{n}");
    }
}
