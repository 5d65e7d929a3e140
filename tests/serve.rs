//! `mieruka serve` on a fixture site: live reload events, the new text over
//! HTTP, errors served to the page and cleared by a fix, deleted, renamed and
//! new files, incremental output equal to a full build, and requests that
//! try to leave the site.

mod browser_support;
mod common;

use common::*;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

/// A running `mieruka serve`, stopped when dropped.
struct Serve {
    child: Child,
    addr: String,
    base: String,
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(site: &Site) -> Serve {
    let mut child = Command::new(env!("CARGO_BIN_EXE_mieruka"))
        .args(["serve", "--port", "0", "--root"])
        .arg(site.root())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("starting serve");
    let stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let line = rx
        .iter()
        .find(|l| l.contains(" at http://"))
        .expect("serve prints its address");
    let url = line.rsplit(" at ").next().unwrap().to_string();
    let rest = url.strip_prefix("http://").unwrap();
    let (addr, path) = rest.split_at(rest.find('/').unwrap());
    std::thread::spawn(move || for _ in rx {});
    Serve {
        child,
        addr: addr.to_string(),
        base: path.to_string(),
    }
}

/// A raw HTTP GET: (status, content type, body).
fn get(addr: &str, target: &str) -> (u16, String, String) {
    get_for(addr, target, Some(addr))
}

/// A raw HTTP GET with this `Host` header (or none).
fn get_for(addr: &str, target: &str, host: Option<&str>) -> (u16, String, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    let host = host.map(|h| format!("Host: {h}\r\n")).unwrap_or_default();
    write!(
        s,
        "GET {target} HTTP/1.1\r\n{host}Connection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).to_string();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let ctype = head
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .strip_prefix("content-type: ")
                .map(str::to_string)
        })
        .unwrap_or_default();
    (status, ctype, body.to_string())
}

/// Server-sent events as (event, data), read in the background.
fn events(addr: &str) -> Receiver<(String, String)> {
    let mut s = TcpStream::connect(addr).unwrap();
    write!(
        s,
        "GET /__mieruka/events HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n"
    )
    .unwrap();
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        let mut event = String::new();
        for line in BufReader::new(s).lines().map_while(Result::ok) {
            if let Some(e) = line.strip_prefix("event: ") {
                event = e.to_string();
            } else if let Some(d) = line.strip_prefix("data: ") {
                if tx.send((event.clone(), d.to_string())).is_err() {
                    return;
                }
            }
        }
    });
    rx
}

/// Waits for the next event named `name`, skipping others.
fn expect_event(rx: &Receiver<(String, String)>, name: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(60);
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        match rx.recv_timeout(left) {
            Ok((e, d)) if e == name => return d,
            Ok(_) => {}
            Err(_) => break,
        }
    }
    panic!("no `{name}` event");
}

/// The page as `build` writes it, for comparison with what `serve` serves.
fn without_reload_script(html: &str) -> String {
    match (html.find("<script>"), html.rfind("</script>")) {
        (Some(a), Some(b)) if html[a..].contains("__mieruka") => {
            format!("{}{}", &html[..a], &html[b + 9..])
        }
        _ => html.to_string(),
    }
}

fn page(s: &Serve, path: &str) -> String {
    let (status, ctype, body) = get(&s.addr, &format!("{}{path}", s.base));
    assert_eq!(status, 200, "{path}");
    assert_eq!(ctype, "text/html; charset=utf-8");
    body
}

#[test]
fn edits_reload_errors_show_and_clear_files_come_and_go() {
    let site = Site::new();
    let s = serve(&site);
    assert!(
        s.addr.starts_with("127.0.0.1:"),
        "binds loopback by default: {}",
        s.addr
    );
    assert_eq!(s.base, "/kaikaku/", "served under the base URL's path");
    let rx = events(&s.addr);
    assert_eq!(expect_event(&rx, "ok"), "{}");
    let first = page(&s, "plan1/t-001/");
    assert!(
        first.contains("/__mieruka/events"),
        "the reload script is injected in serve mode"
    );

    // An edit to the narrative: reload event, new text, same bytes as a full build.
    site.edit(
        &format!("{ALPHA}/a1.md"),
        "手続をオンライン化する。",
        "手続をすべてオンライン化する。",
    );
    expect_event(&rx, "reload");
    let edited = page(&s, "plan1/t-001/");
    assert!(edited.contains("手続をすべてオンライン化する。"));
    // A title change reaches the plan's tree too.
    site.edit(
        &format!("{ALPHA}/a1.md"),
        "title = \"電子申請の拡充\"",
        "title = \"電子申請の大幅な拡充\"",
    );
    expect_event(&rx, "reload");
    assert!(page(&s, "plan1/").contains("電子申請の大幅な拡充"));
    let served: Vec<(String, String)> = [
        "plan1/t-001/",
        "en/plan1/t-001/",
        "plan1/",
        "plan1/01-alpha/",
        "departments/testcity/joho/",
        "",
    ]
    .iter()
    .map(|p| (p.to_string(), without_reload_script(&page(&s, p))))
    .collect();
    site.build().assert_code(0);
    for (p, html) in served {
        assert_eq!(
            html,
            site.page(&format!("{p}index.html")),
            "{p}: serve and build differ"
        );
    }
    let built = site.page("plan1/t-001/index.html");
    assert!(!built.contains("__mieruka"), "never injected into a build");

    // A broken file: the error goes to open pages and new ones; the last good site stays.
    site.edit(&format!("{ALPHA}/a1.md"), "code = \"1\"", "code = \"1");
    let err = expect_event(&rx, "build-error");
    assert!(err.contains("content/plan1/01-alpha/a1.md:3:"), "{err}");
    let late = events(&s.addr);
    assert!(expect_event(&late, "build-error").contains("a1.md:3:"));
    assert!(
        page(&s, "plan1/t-001/").contains("手続をすべてオンライン化する。"),
        "last good page still served"
    );
    site.edit(&format!("{ALPHA}/a1.md"), "code = \"1", "code = \"1\"");
    expect_event(&rx, "reload");
    assert_eq!(expect_event(&events(&s.addr), "ok"), "{}", "errors cleared");

    // A deleted file: its page goes; a renamed one stays; a new folder appears.
    std::fs::remove_file(site.path(&format!("{BETA}/b2.md"))).unwrap();
    expect_event(&rx, "reload");
    let (status, ctype, body) = get(&s.addr, "/kaikaku/plan1/t-004/");
    assert_eq!((status, ctype.as_str()), (404, "text/html; charset=utf-8"));
    assert!(body.contains("ページが見つかりません"));
    std::fs::rename(
        site.path(&format!("{ALPHA}/a2.md")),
        site.path(&format!("{ALPHA}/a9.md")),
    )
    .unwrap();
    expect_event(&rx, "reload");
    page(&s, "plan1/t-002/");
    site.write(
        "content/plan1/03-gamma/_index.md",
        "+++\ncode = \"3\"\ntitle = \"新しい分野\"\n+++\n",
    )
    .write(
        "content/plan1/03-gamma/c1.md",
        &initiative("t-009", "新しい事業", Some("○")),
    );
    expect_event(&rx, "reload");
    assert!(page(&s, "plan1/t-009/").contains("新しい事業"));
    assert!(page(&s, "plan1/").contains("新しい分野"));
}

#[test]
fn only_the_site_is_served() {
    let site = Site::new();
    site.write("secret.txt", "do not serve");
    let s = serve(&site);
    for target in [
        "/kaikaku/../secret.txt",
        "/kaikaku/%2e%2e/secret.txt",
        "/kaikaku/%2E%2E%2Fsecret.txt",
        "/kaikaku/..%5csecret.txt",
        "/kaikaku/../../../../etc/passwd",
        "/kaikaku/plan1/../../secret.txt",
        "/secret.txt",
        "/kaikaku/content/site.toml",
    ] {
        let (status, _, body) = get(&s.addr, target);
        assert_eq!(status, 404, "{target}");
        assert!(
            !body.contains("do not serve") && !body.contains("root:"),
            "{target}"
        );
    }
    let (status, ctype, _) = get(&s.addr, "/kaikaku/assets/style.css");
    assert_eq!((status, ctype.as_str()), (200, "text/css; charset=utf-8"));
    let (status, _, _) = get(&s.addr, "/");
    assert_eq!(status, 301, "the root redirects to the base path");
}

#[test]
fn live_reload_in_a_real_browser() {
    if !browser_support::tools_or_skip(false) {
        return;
    }
    let site = Site::new();
    let s = serve(&site);
    let file = site.path(&format!("{ALPHA}/a1.md"));
    let out = browser_support::node(
        "serve.mjs",
        &[
            "--url",
            &format!("http://{}{}plan1/t-001/", s.addr, s.base),
            "--file",
            &file.to_string_lossy(),
        ],
    );
    assert!(out.contains("all serve checks passed"), "{out}");
}

/// A client that opens a connection and sends half a request head, then
/// nothing, is cut off (each one would hold a connection forever), and
/// others are served meanwhile.
#[test]
fn a_request_head_that_never_ends_is_cut_off() {
    let site = Site::new();
    let s = serve(&site);
    let mut slow = TcpStream::connect(&s.addr).unwrap();
    slow.write_all(b"GET /kaikaku/ HTTP/1.1\r\n").unwrap();
    let start = Instant::now();
    let limit = Duration::from_secs(25);
    slow.set_read_timeout(Some(limit)).unwrap();
    let (status, _, body) = get(&s.addr, "/kaikaku/");
    assert_eq!(status, 200, "another connection is served meanwhile");
    assert!(body.contains("試験市"));
    // Closed (read returns 0, maybe after a 408) or reset; not still open.
    let mut got = Vec::new();
    let end = slow.read_to_end(&mut got);
    let waited = start.elapsed();
    if let Err(e) = &end {
        assert!(
            !matches!(
                e.kind(),
                std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
            ),
            "a connection that sent half a head was still open after {waited:?}"
        );
    }
    let reply = String::from_utf8_lossy(&got);
    assert!(
        reply.is_empty() || reply.starts_with("HTTP/1.1 408"),
        "{reply}"
    );
    assert!(waited < limit, "closed only after {waited:?}");
}

/// A page on another site that points its own name at 127.0.0.1 (DNS
/// rebinding) must not read the preview: only requests for this computer's
/// own names are answered.
#[test]
fn only_requests_for_this_computer_are_answered() {
    let site = Site::new();
    let s = serve(&site);
    let port = s.addr.rsplit(':').next().unwrap().to_string();
    for host in [
        format!("localhost:{port}"),
        format!("127.0.0.1:{port}"),
        format!("[::1]:{port}"),
        format!("LocalHost:{port}"),
        "localhost".to_string(),
    ] {
        let (status, _, body) = get_for(&s.addr, "/kaikaku/", Some(&host));
        assert_eq!(status, 200, "{host}");
        assert!(body.contains("試験市"), "{host}");
    }
    let other_port = if port == "8080" { "8081" } else { "8080" };
    for host in [
        Some(format!("evil.example:{port}")),
        Some("evil.example".to_string()),
        Some(format!("127.0.0.1:{other_port}")),
        Some(format!("localhost.evil.example:{port}")),
        Some(format!("127.0.0.1.evil.example:{port}")),
    ] {
        for target in [
            "/kaikaku/",
            "/kaikaku/assets/style.css",
            "/__mieruka/events",
        ] {
            let (status, ctype, body) = get_for(&s.addr, target, host.as_deref());
            assert_eq!(status, 421, "{host:?} {target}");
            assert_eq!(ctype, "text/plain; charset=utf-8", "{host:?} {target}");
            assert!(
                body.contains("only answers requests for localhost"),
                "{host:?} {target}: {body}"
            );
            assert!(
                !body.contains("試験市") && !body.contains("<html"),
                "{host:?} {target}: {body}"
            );
        }
    }
}

/// A raw request on a new connection, read until the server closes it or
/// `limit` passes: (status, head, body); status 0 when nothing came.
fn raw_request(addr: &str, request: &str, limit: Duration) -> (u16, String, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(limit)).unwrap();
    s.write_all(request.as_bytes()).unwrap();
    let mut raw = Vec::new();
    let _ = s.read_to_end(&mut raw);
    let text = String::from_utf8_lossy(&raw).to_string();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (status, head.to_ascii_lowercase(), body.to_string())
}

/// Opens an event stream and reads its status line: (the open connection, status).
fn open_events(addr: &str) -> (TcpStream, u16, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(15))).unwrap();
    write!(
        s,
        "GET /__mieruka/events HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n"
    )
    .unwrap();
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        match s.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            _ => break,
        }
    }
    let head = String::from_utf8_lossy(&head).to_ascii_lowercase();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (s, status, head)
}

/// Every open page holds an event stream: with hundreds of them open, pages
/// are still answered at once, and a stream past the cap is told to come
/// back later (503 with Retry-After) instead of waiting for a connection.
#[test]
fn pages_are_answered_while_hundreds_of_event_streams_are_open() {
    let site = Site::new();
    let s = serve(&site);
    let mut open = Vec::new();
    let (mut accepted, mut refused) = (0, 0);
    for _ in 0..300 {
        let (stream, status, head) = open_events(&s.addr);
        match status {
            200 => accepted += 1,
            503 => {
                assert!(head.contains("retry-after: "), "{head}");
                refused += 1;
            }
            other => panic!("event stream answered {other}: {head}"),
        }
        open.push(stream);
    }
    assert!(accepted >= 16, "only {accepted} event streams accepted");
    assert!(refused > 0, "all 300 event streams were accepted");
    let start = Instant::now();
    let request = format!(
        "GET /kaikaku/plan1/ HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
        s.addr
    );
    let (status, _, body) = raw_request(&s.addr, &request, Duration::from_secs(15));
    assert_eq!(status, 200, "a page with {accepted} event streams open");
    assert!(body.contains("試験市"));
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "{:?}",
        start.elapsed()
    );
    // The open streams still get the reload.
    site.edit(
        &format!("{ALPHA}/a1.md"),
        "手続をオンライン化する。",
        "手続をすべてオンライン化する。",
    );
    let mut first = open.into_iter().next().unwrap();
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    while !String::from_utf8_lossy(&got).contains("event: reload") {
        let n = first.read(&mut buf).expect("the first stream stays open");
        assert!(n > 0, "the first stream was closed");
        got.extend_from_slice(&buf[..n]);
    }
}

/// Connections past the limit (here: clients that connect and send
/// nothing) get a 503 with Retry-After at once, not a place in a queue.
#[test]
fn connections_past_the_limit_are_answered_503_at_once() {
    let site = Site::new();
    let s = serve(&site);
    let idle: Vec<TcpStream> = (0..300)
        .map(|_| TcpStream::connect(&s.addr).unwrap())
        .collect();
    std::thread::sleep(Duration::from_millis(500));
    let start = Instant::now();
    let request = format!(
        "GET /kaikaku/ HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
        s.addr
    );
    let (status, head, _) = raw_request(&s.addr, &request, Duration::from_secs(8));
    let took = start.elapsed();
    assert_eq!(status, 503, "after {took:?}: {head}");
    assert!(head.contains("retry-after: "), "{head}");
    assert!(took < Duration::from_secs(3), "answered after {took:?}");
    drop(idle);
    // Once they are gone, pages are served again.
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let (status, _, _) = raw_request(&s.addr, &request, Duration::from_secs(8));
        if status == 200 {
            break;
        }
        assert!(Instant::now() < deadline, "still {status}");
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// RFC 9112 §3.2: more than one Host line (or none, in HTTP/1.1) is a bad
/// request (400). §3.2.2: with an absolute-form target, its authority is
/// the request's host: another host's is misdirected (421, as a foreign
/// Host), and a Host line that names another host than it is a
/// contradiction (400).
#[test]
fn absolute_targets_and_repeated_host_lines_are_refused() {
    let site = Site::new();
    let s = serve(&site);
    let addr = &s.addr;
    let port = addr.rsplit(':').next().unwrap();
    let limit = Duration::from_secs(10);
    let ask = |target: &str, hosts: &[&str]| {
        let hosts: String = hosts.iter().map(|h| format!("Host: {h}\r\n")).collect();
        raw_request(
            addr,
            &format!("GET {target} HTTP/1.1\r\n{hosts}Connection: close\r\n\r\n"),
            limit,
        )
    };
    let ours = format!("localhost:{port}");
    // Absolute-form naming this server: served.
    let (status, _, body) = ask(&format!("http://{addr}/kaikaku/"), &[addr]);
    assert_eq!(status, 200);
    assert!(body.contains("試験市"));
    let (status, _, _) = ask(&format!("http://{ours}/kaikaku/"), &[&ours]);
    assert_eq!(status, 200);
    for (target, hosts, expect) in [
        // Another host in the target, ours in Host.
        ("http://evil.example/kaikaku/", vec![addr.as_str()], 421),
        (
            &*format!("http://evil.example:{port}/kaikaku/"),
            vec![addr],
            421,
        ),
        ("http://evil.example/__mieruka/events", vec![addr], 421),
        (
            &*format!("http://user@evil.example:{port}/kaikaku/"),
            vec![addr],
            421,
        ),
        // Ours in the target, another host in Host.
        (
            &*format!("http://{addr}/kaikaku/"),
            vec!["evil.example"],
            400,
        ),
        // Two Host lines: both ours, or ours and another.
        ("/kaikaku/", vec![addr, addr], 400),
        ("/kaikaku/", vec![addr, "evil.example"], 400),
        ("/kaikaku/", vec!["evil.example", addr], 400),
        ("/__mieruka/events", vec![addr, "evil.example"], 400),
        // No Host line in HTTP/1.1.
        ("/kaikaku/", vec![], 400),
    ] {
        let (status, _, body) = ask(target, &hosts);
        assert_eq!(status, expect, "{target} {hosts:?}: {body}");
        assert!(
            !body.contains("試験市") && !body.contains("<html"),
            "{target} {hosts:?}: {body}"
        );
    }
}
