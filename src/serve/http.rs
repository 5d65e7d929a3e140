//! The preview server: the current site from memory (swapped whole on each
//! rebuild, so a page is never half-written or missing mid-rebuild), the
//! reload events, and nothing else — no file on disk is ever served, so no
//! request can leave the site (`..`, encoded variants, symlinks).
//!
//! Served by hyper directly ([`serve`]), because `axum::serve` has no
//! timeout for a request head that never ends.

use super::Shared;
use anyhow::{Context as _, Result};
use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderValue, Request, Response, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::routing::get;
use axum::Router;
use futures_util::stream::{self, Stream, StreamExt};
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tokio_stream::wrappers::BroadcastStream;

/// How long a client may take to send a request head (and how long an idle
/// kept-alive connection stays open). Without it, a client that sends half
/// a head holds its connection, and a file descriptor, forever.
const HEADER_TIMEOUT: Duration = Duration::from_secs(10);

/// Connections served at once. The rest wait in the listen queue, so slow
/// or idle clients cannot use up the process's file descriptors. Each open
/// page keeps one (its reload events); a preview has a few.
const MAX_CONNECTIONS: usize = 256;

pub(crate) fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/__mieruka/events", get(events))
        .fallback(get(file))
        .with_state(shared)
}

/// Serves `app` on `listener` until Ctrl+C.
pub(crate) async fn serve(listener: TcpListener, app: Router) -> Result<()> {
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(HEADER_TIMEOUT);
    let slots = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    let mut stop = std::pin::pin!(ctrl_c());
    loop {
        let slot = tokio::select! {
            slot = Arc::clone(&slots).acquire_owned() => {
                slot.context("the connection limit was closed")?
            }
            () = &mut stop => return Ok(()),
        };
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

async fn events(
    State(shared): State<Arc<Shared>>,
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
    Sse::new(stream::once(async move { Ok(first) }).chain(updates)).keep_alive(KeepAlive::default())
}

#[cfg(test)]
mod tests {
    use super::site_path;

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
