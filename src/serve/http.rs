//! The preview server: the current site from memory (swapped whole on each
//! rebuild, so a page is never half-written or missing mid-rebuild), the
//! reload events, and nothing else — no file on disk is ever served, so no
//! request can leave the site (`..`, encoded variants, symlinks).
//!
//! Only for this computer's own names when listening on a loopback address
//! ([`LocalNames`]), so a web page elsewhere cannot read the preview
//! through DNS rebinding; and served by hyper directly ([`serve`]), because
//! `axum::serve` has no timeout for a request head that never ends.

use super::Shared;
use anyhow::Result;
use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderValue, Request, Response, StatusCode};
use axum::middleware::{self, Next};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use futures_util::stream::{self, Stream, StreamExt};
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use std::convert::Infallible;
use std::net::{IpAddr, Ipv6Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tokio_stream::wrappers::BroadcastStream;

/// How long a client may take to send a request head (and how long an idle
/// kept-alive connection stays open). Without it, a client that sends half
/// a head holds its connection, and a file descriptor, forever.
const HEADER_TIMEOUT: Duration = Duration::from_secs(10);

/// Connections served at once, so that slow or idle clients cannot use up
/// the process's file descriptors. One past it is answered 503 at once
/// ([`refuse`]) instead of waiting in the listen queue for a connection
/// that may never close.
const MAX_CONNECTIONS: usize = 256;

/// Event streams open at once: each open page holds one (its reload
/// events) for as long as it is open, and a preview has a few. Kept well
/// below [`MAX_CONNECTIONS`], so pages are answered however many tabs are
/// open (256 open pages took every connection: pages were accepted and
/// never answered); one past it is answered 503.
const MAX_EVENT_STREAMS: usize = 64;

/// Connections past [`MAX_CONNECTIONS`] being answered 503 at once; any
/// more are closed unanswered (the descriptors stay bounded).
const MAX_REFUSING: usize = 64;

/// The `Retry-After` of a 503, in seconds.
const RETRY_AFTER: &str = "2";

/// Every route, behind the Host check ([`check_host`]; the names are
/// checked when `names` is given).
pub(crate) fn router(shared: Arc<Shared>, names: Option<LocalNames>) -> Router {
    let streams = Arc::new(Semaphore::new(MAX_EVENT_STREAMS));
    Router::new()
        .route(
            "/__mieruka/events",
            get(move |state: State<Arc<Shared>>| events(state, Arc::clone(&streams))),
        )
        .fallback(get(file))
        .with_state(shared)
        .layer(middleware::from_fn_with_state(Arc::new(names), check_host))
}

/// Serves `app` on `listener` until Ctrl+C.
pub(crate) async fn serve(listener: TcpListener, app: Router) -> Result<()> {
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(HEADER_TIMEOUT);
    let slots = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    let refusing = Arc::new(Semaphore::new(MAX_REFUSING));
    let mut stop = std::pin::pin!(ctrl_c());
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(e) => {
                    accept_failed(e).await;
                    continue;
                }
            },
            () = &mut stop => return Ok(()),
        };
        let Ok(slot) = Arc::clone(&slots).try_acquire_owned() else {
            // Dropped unanswered when even the refusals are at their limit.
            if let Ok(permit) = Arc::clone(&refusing).try_acquire_owned() {
                tokio::spawn(async move {
                    refuse(stream).await;
                    drop(permit);
                });
            }
            continue;
        };
        let conn =
            http.serve_connection(TokioIo::new(stream), TowerToHyperService::new(app.clone()));
        tokio::spawn(async move {
            // An error here is the client's (gone, too slow, malformed
            // request): nothing to report to the author.
            let _ = conn.await;
            drop(slot);
        });
    }
}

/// Answers a connection past the limit `503 Service Unavailable` with
/// `Retry-After`, then closes it; within two seconds whatever the client
/// does. The request is read first (what came within 100 ms), and the
/// connection drained after the answer: a socket closed with unread data is
/// reset, and the client may lose the answer.
async fn refuse(mut stream: tokio::net::TcpStream) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let body = "mieruka serve has too many connections open; try again in a moment.\n";
    let answer = format!(
        "HTTP/1.1 503 Service Unavailable\r\nretry-after: {RETRY_AFTER}\r\n\
         content-type: text/plain; charset=utf-8\r\ncache-control: no-store\r\n\
         content-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    let mut buf = [0u8; 4096];
    let _ = tokio::time::timeout(Duration::from_secs(2), async {
        let _ = tokio::time::timeout(Duration::from_millis(100), stream.read(&mut buf)).await;
        stream.write_all(answer.as_bytes()).await?;
        stream.shutdown().await?;
        while stream.read(&mut buf).await? > 0 {}
        Ok::<(), std::io::Error>(())
    })
    .await;
}

/// A `503 Service Unavailable` with `Retry-After`, for an event stream past
/// [`MAX_EVENT_STREAMS`]; the connection is closed after it.
fn busy() -> Response<Body> {
    let mut r = Response::new(Body::from(
        "mieruka serve has too many pages open listening for reloads; close some, or try again in a moment.\n",
    ));
    *r.status_mut() = StatusCode::SERVICE_UNAVAILABLE;
    let h = r.headers_mut();
    h.insert(header::RETRY_AFTER, HeaderValue::from_static(RETRY_AFTER));
    // Its connection is not kept open for another request: it would hold
    // a place pages need.
    h.insert(header::CONNECTION, HeaderValue::from_static("close"));
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// Completes on Ctrl+C; never, if Ctrl+C cannot be caught (the default
/// handler then ends the process).
async fn ctrl_c() {
    if tokio::signal::ctrl_c().await.is_err() {
        std::future::pending::<()>().await;
    }
}

async fn accept_failed(e: std::io::Error) {
    use std::io::ErrorKind::{ConnectionAborted, ConnectionRefused, ConnectionReset};
    // A client that gave up before being accepted: nothing to do.
    if matches!(
        e.kind(),
        ConnectionAborted | ConnectionRefused | ConnectionReset
    ) {
        return;
    }
    // Most likely out of file descriptors: give open connections time to
    // close instead of spinning on the same error.
    eprintln!("accepting a connection: {e}");
    tokio::time::sleep(Duration::from_secs(1)).await;
}

/// The `Host` names a request may carry when `serve` listens on a loopback
/// address. A page on another site can point its own name at 127.0.0.1
/// (DNS rebinding) and then read the preview as same-origin; its requests
/// carry that name, so answering only this computer's own names stops it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LocalNames {
    /// Lowercase, IPv6 addresses in brackets.
    names: Vec<String>,
    port: u16,
}

impl LocalNames {
    /// The names for a listener bound with `--bind bind` at `local`; `None`
    /// when it is not a loopback address (`0.0.0.0` for a phone on the
    /// LAN): the names it is reached by cannot be known, so all are answered.
    pub(crate) fn of(bind: &str, local: SocketAddr) -> Option<LocalNames> {
        if !local.ip().is_loopback() {
            return None;
        }
        let mut names: Vec<String> = ["localhost", "127.0.0.1", "[::1]"]
            .into_iter()
            .map(String::from)
            .collect();
        let bind = bind.trim().to_ascii_lowercase();
        let bind = match bind.parse::<Ipv6Addr>() {
            Ok(ip) => format!("[{ip}]"),
            Err(_) => bind,
        };
        let bound = match local.ip() {
            IpAddr::V4(ip) => ip.to_string(),
            IpAddr::V6(ip) => format!("[{ip}]"),
        };
        for name in [bind, bound] {
            if !names.contains(&name) {
                names.push(name);
            }
        }
        Some(LocalNames {
            names,
            port: local.port(),
        })
    }

    /// Whether a request with this `Host` header is for this server: one of
    /// the names, with no port or the port listened on.
    fn allow(&self, host: &str) -> bool {
        let host = host.trim().to_ascii_lowercase();
        // `name` and `rest`: "" or ":port".
        let (name, rest) = if host.starts_with('[') {
            match host.find(']') {
                Some(end) => host.split_at(end + 1),
                None => return false,
            }
        } else {
            host.split_at(host.find(':').unwrap_or(host.len()))
        };
        let port_ok = rest.is_empty()
            || rest
                .strip_prefix(':')
                .is_some_and(|p| p.parse::<u16>() == Ok(self.port));
        port_ok && self.names.iter().any(|n| n == name)
    }
}

/// Whether two authorities (`host[:port]`) name the same host and port;
/// no port is port 80 (the preview is `http:` only).
fn same_authority(a: &str, b: &str) -> bool {
    let norm = |s: &str| {
        let s = s.trim().to_ascii_lowercase();
        match s.strip_suffix(":80") {
            Some(host) => host.to_string(),
            None => s,
        }
    };
    norm(a) == norm(b)
}

/// A `400 Bad Request` saying why.
fn bad_request(why: &str) -> Response<Body> {
    let mut r = Response::new(Body::from(format!("{why}\n")));
    *r.status_mut() = StatusCode::BAD_REQUEST;
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// The Host check in front of every route, the reload events included
/// (RFC 9112 §3.2): more than one `Host` line, or none in HTTP/1.1, is a
/// bad request (400). A request target in absolute form
/// (`GET http://host/…`) names the request's host itself (§3.2.2): when
/// `names` are given and it is not one of them, the request is misdirected
/// (421, as a `Host` that is not one of them); a `Host` line that names
/// another host than it is a contradiction (400: §3.2.2 has a server use
/// the target and ignore `Host`, but no client that means this server
/// sends both, and a request that says two things is refused).
async fn check_host(
    State(names): State<Arc<Option<LocalNames>>>,
    req: Request<Body>,
    next: Next,
) -> Response<Body> {
    let mut lines = req.headers().get_all(header::HOST).iter();
    let (first, second) = (lines.next(), lines.next());
    if second.is_some() {
        return bad_request("more than one Host header line: a request names one host");
    }
    let host = match first.map(|h| h.to_str()) {
        Some(Ok(h)) => Some(h),
        Some(Err(_)) => return bad_request("the Host header is not a host name"),
        None if req.version() == axum::http::Version::HTTP_11 => {
            return bad_request("an HTTP/1.1 request needs a Host header");
        }
        None => None,
    };
    let target = req.uri().authority().map(|a| a.as_str());
    if let (Some(target), Some(host)) = (target, host) {
        if !same_authority(target, host) {
            // Misdirected first: a target that is not this server.
            if names.as_ref().as_ref().is_none_or(|n| n.allow(target)) {
                return bad_request(&format!(
                    "the Host header ({host:?}) names another host than the request target ({target:?})"
                ));
            }
        }
    }
    let Some(names) = names.as_ref() else {
        return next.run(req).await;
    };
    let host = target.or(host);
    if host.is_some_and(|h| names.allow(h)) {
        return next.run(req).await;
    }
    let port = names.port;
    let body = format!(
        "mieruka serve only answers requests for localhost, 127.0.0.1 or [::1] \
         (port {port}), not for {}: a page on another site could otherwise read \
         this preview through its own address (DNS rebinding). \
         Open http://localhost:{port}/ instead.\n",
        host.map_or_else(
            || "a request without a Host header".into(),
            |h| format!("{h:?}")
        ),
    );
    let mut r = Response::new(Body::from(body));
    *r.status_mut() = StatusCode::MISDIRECTED_REQUEST;
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// `/kaikaku/a%20b/` → `Some("a b/")`; `None` for anything that is not a
/// plain path inside the site (`..`, `.`, backslashes, NUL, bad escapes).
pub fn site_path(base: &str, uri_path: &str) -> Option<String> {
    let rest = uri_path.strip_prefix(base.trim_end_matches('/'))?;
    let rest = rest.strip_prefix('/').unwrap_or(rest);
    let bytes = rest.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = rest.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    let decoded = String::from_utf8(out).ok()?;
    let bad = decoded.contains('\\')
        || decoded.contains('\0')
        || decoded.split('/').any(|seg| seg == ".." || seg == ".");
    (!bad).then_some(decoded)
}

fn respond(status: StatusCode, path: &str, body: Vec<u8>) -> Response<Body> {
    let mut r = Response::new(Body::from(body));
    *r.status_mut() = status;
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(content_type(path)),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    r
}

fn redirect(to: &str) -> Response<Body> {
    let mut r = Response::new(Body::empty());
    *r.status_mut() = StatusCode::MOVED_PERMANENTLY;
    if let Ok(v) = HeaderValue::from_str(to) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    r
}

async fn file(State(shared): State<Arc<Shared>>, req: Request<Body>) -> Response<Body> {
    let uri_path = req.uri().path().to_string();
    let base = shared.base_path.clone();
    if uri_path == "/" && base != "/" {
        return redirect(&base);
    }
    let files = shared.files();
    let not_found = |key: &str| {
        let page = if key.starts_with("en/") {
            "en/404.html"
        } else {
            "404.html"
        };
        let body = files
            .get(page)
            .cloned()
            .unwrap_or_else(|| b"404 Not Found".to_vec());
        respond(StatusCode::NOT_FOUND, page, body)
    };
    let Some(key) = site_path(&base, &uri_path) else {
        return not_found("");
    };
    let key = if key.is_empty() || key.ends_with('/') {
        format!("{key}index.html")
    } else {
        key
    };
    if let Some(body) = files.get(&key) {
        return respond(StatusCode::OK, &key, body.clone());
    }
    if files.contains_key(&format!("{key}/index.html")) {
        return redirect(&format!("{uri_path}/"));
    }
    not_found(&key)
}

/// A page's reload events, while fewer than [`MAX_EVENT_STREAMS`] are open
/// (503 past it): the stream holds its place until the page goes.
async fn events(State(shared): State<Arc<Shared>>, streams: Arc<Semaphore>) -> Response<Body> {
    match streams.try_acquire_owned() {
        Ok(place) => event_stream(&shared, place).into_response(),
        Err(_) => busy(),
    }
}

fn event_stream(
    shared: &Shared,
    place: tokio::sync::OwnedSemaphorePermit,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    // A page that connects while the content is broken sees the errors at once.
    let first = match shared.error() {
        Some(e) => Event::default().event("build-error").data(e),
        None => Event::default().event("ok").data("{}"),
    };
    let updates = BroadcastStream::new(shared.events.subscribe()).filter_map(|m| async move {
        m.ok()
            .map(|(name, data)| Ok(Event::default().event(name).data(data)))
    });
    let events = stream::once(async move { Ok(first) })
        .chain(updates)
        .map(move |e| {
            // Held while the stream is: dropped with it when the page goes.
            let _ = &place;
            e
        });
    Sse::new(events).keep_alive(KeepAlive::default())
}

#[cfg(test)]
mod tests {
    use super::{same_authority, site_path, LocalNames};

    #[test]
    fn authorities_are_compared_without_case_and_with_port_80_as_none() {
        assert!(same_authority("LocalHost:80", "localhost"));
        assert!(same_authority("[::1]", "[::1]:80"));
        assert!(same_authority("127.0.0.1:1111", "127.0.0.1:1111"));
        for (a, b) in [
            ("localhost:8080", "localhost"),
            ("localhost:1080", "localhost:80"),
            ("127.0.0.1:1111", "localhost:1111"),
            ("evil.example", "localhost"),
        ] {
            assert!(!same_authority(a, b), "{a} {b}");
        }
    }

    #[test]
    fn loopback_answers_only_its_own_names() {
        let at = |s: &str| s.parse().unwrap();
        let names = LocalNames::of("127.0.0.1", at("127.0.0.1:1111")).unwrap();
        for ok in [
            "localhost:1111",
            "LOCALHOST:1111",
            "localhost",
            "127.0.0.1:1111",
            "127.0.0.1",
            "[::1]:1111",
            "[::1]",
        ] {
            assert!(names.allow(ok), "{ok}");
        }
        for bad in [
            "evil.example:1111",
            "evil.example",
            "127.0.0.1:2222",
            "localhost:",
            "localhost:1111:1111",
            "localhost.evil.example:1111",
            "[::1",
            "[::1]x",
            "",
        ] {
            assert!(!names.allow(bad), "{bad}");
        }
        // --bind names the address too, IPv6 in brackets.
        let v6 = LocalNames::of("::1", at("[::1]:1111")).unwrap();
        assert!(v6.allow("[::1]:1111") && !v6.allow("::1"));
        let other = LocalNames::of("127.0.0.2", at("127.0.0.2:1111")).unwrap();
        assert!(other.allow("127.0.0.2:1111") && other.allow("localhost:1111"));
        let named = LocalNames::of("localhost", at("127.0.0.1:1111")).unwrap();
        assert!(named.allow("localhost:1111") && !named.allow("evil.example:1111"));
        // Listening on the network: any name.
        assert_eq!(LocalNames::of("0.0.0.0", at("0.0.0.0:1111")), None);
        assert_eq!(LocalNames::of("192.168.1.5", at("192.168.1.5:1111")), None);
    }

    #[test]
    fn only_plain_paths_inside_the_site() {
        assert_eq!(site_path("/kaikaku/", "/kaikaku/"), Some(String::new()));
        assert_eq!(
            site_path("/kaikaku/", "/kaikaku/en/a/"),
            Some("en/a/".into())
        );
        assert_eq!(
            site_path("/kaikaku/", "/kaikaku/%E6%97%A5/"),
            Some("日/".into())
        );
        for bad in [
            "/kaikaku/../etc/passwd",
            "/kaikaku/a/../../x",
            "/kaikaku/%2e%2e/x",
            "/kaikaku/%2E%2E%2Fx",
            "/kaikaku/a%5c..%5cb",
            "/kaikaku/%00",
            "/kaikaku/%zz",
            "/other/index.html",
        ] {
            assert_eq!(site_path("/kaikaku/", bad), None, "{bad}");
        }
    }
}
