//! Shared by the browser tests: a minimal static HTTP server standing in for
//! "any static web server", the check that the browser tools are installed
//! (skip outside CI, fail in CI), and a build of the example site.

#![allow(dead_code)] // each test binary uses part of it
use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The folder of the node tooling (package.json, check scripts).
pub fn browser_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser")
}

fn missing_tools(need_java: bool) -> Vec<String> {
    let mut missing = Vec::new();
    let runs = |cmd: &str, arg: &str| {
        Command::new(cmd)
            .arg(arg)
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if !runs("node", "--version") {
        missing.push("node".to_string());
    }
    if need_java && !runs("java", "-version") {
        missing.push("java (for the Nu HTML Checker)".to_string());
    }
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    if !Path::new(&chromium).exists() {
        missing.push(format!("Chromium at {chromium} (apt-get install chromium)"));
    }
    for module in ["playwright-core", "axe-core", "vnu-jar"] {
        if !browser_dir().join("node_modules").join(module).is_dir() {
            missing.push(format!("{module} (npm ci --prefix tests/browser)"));
        }
    }
    missing
}

/// True when the tools are there. Outside CI a missing tool skips the test
/// with a message; in CI (`CI=true`) it fails it.
pub fn tools_or_skip(need_java: bool) -> bool {
    let missing = missing_tools(need_java);
    if missing.is_empty() {
        return true;
    }
    let msg = format!("browser tests need: {}", missing.join(", "));
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{msg} — CI must install them (see .ci/run)");
    }
    eprintln!("SKIPPED: {msg}. Run `bash .ci/run` or install them to run these checks.");
    false
}

/// Builds the example site into `<www>/kaikaku/` (its base URL's path).
pub fn build_example(www: &Path) -> PathBuf {
    let out = www.join("kaikaku");
    let o = Command::new(env!("CARGO_BIN_EXE_mieruka"))
        .args(["build", "--root", env!("CARGO_MANIFEST_DIR"), "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    out
}

/// Runs a node script of tests/browser with arguments; returns stdout, asserting success.
pub fn node(script: &str, args: &[&str]) -> String {
    let out = Command::new("node")
        .arg(browser_dir().join(script))
        .args(args)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    let stderr = String::from_utf8_lossy(&out.stderr);
    println!("{stdout}");
    assert!(out.status.success(), "{script} failed:\n{stdout}\n{stderr}");
    stdout
}

pub struct Server {
    pub addr: SocketAddr,
}

pub fn serve(root: &Path, not_found: &str) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let root = root.to_path_buf();
    let not_found = root.join(not_found);
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let (root, not_found) = (root.clone(), not_found.clone());
            std::thread::spawn(move || {
                let _ = handle(stream, &root, &not_found);
            });
        }
    });
    Server { addr }
}

fn content_type(p: &Path) -> &'static str {
    match p.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("js") | Some("mjs") => "text/javascript; charset=utf-8",
        Some("json") => "application/json",
        Some("svg") => "image/svg+xml",
        Some("csv") => "text/csv; charset=utf-8",
        Some("png") => "image/png",
        Some("wasm") => "application/wasm",
        _ => "application/octet-stream",
    }
}

fn decode(path: &str) -> String {
    let bytes = path.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&path[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn handle(mut stream: TcpStream, root: &Path, not_found: &Path) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h)? == 0 || h == "\r\n" || h == "\n" {
            break;
        }
    }
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or("GET").to_string();
    let target = parts.next().unwrap_or("/");
    let path = decode(target.split(['?', '#']).next().unwrap_or("/"));
    let mut file: PathBuf = root.to_path_buf();
    let safe = !path.split('/').any(|s| s == "..");
    for seg in path.split('/').filter(|s| !s.is_empty()) {
        file.push(seg);
    }
    if file.is_dir() {
        if !path.ends_with('/') {
            let msg = format!("HTTP/1.1 301 Moved\r\nLocation: {path}/\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            return stream.write_all(msg.as_bytes());
        }
        file.push("index.html");
    }
    let (status, file) = if safe && file.is_file() {
        ("200 OK", file)
    } else {
        ("404 Not Found", not_found.to_path_buf())
    };
    let body = std::fs::read(&file).unwrap_or_default();
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        content_type(&file),
        body.len()
    );
    stream.write_all(head.as_bytes())?;
    if method != "HEAD" {
        stream.write_all(&body)?;
    }
    Ok(())
}
