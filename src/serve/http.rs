//! The preview server: the current site from memory (swapped whole on each
//! rebuild, so a page is never half-written or missing mid-rebuild), the
//! reload events, and nothing else — no file on disk is ever served, so no
//! request can leave the site (`..`, encoded variants, symlinks).

use super::Shared;
use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderValue, Request, Response, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::routing::get;
use axum::Router;
use futures_util::stream::{self, Stream, StreamExt};
use std::convert::Infallible;
use std::sync::Arc;
use tokio_stream::wrappers::BroadcastStream;

pub fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/__mieruka/events", get(events))
        .fallback(get(file))
        .with_state(shared)
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
