//! The canary harness (issue 26): for every command that writes or reads
//! the site — build, serve's first build, archive, import, new, init,
//! export — each path it creates or touches is replaced in turn with
//!
//! - a link to a canary folder (or file) outside the site, and a dangling
//!   link into it,
//! - a FIFO,
//! - a file where a folder is expected, or a folder where a file is,
//!
//! and the command is run. Whatever it does, the canary must be
//! byte-identical afterwards, the command must finish (a time limit), it
//! must either succeed or name the path in its message, and no scratch
//! (`.public.new-*`, `.public.old-*`, `.*.copying`, `*.mieruka-tmp`,
//! `mieruka-*` in the temporary folder) may be left.
#![cfg(unix)]

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The binary tried: this build's, or another one named by
/// `MIERUKA_CANARY_BIN` (to see the harness catch an older build).
fn bin() -> String {
    std::env::var("MIERUKA_CANARY_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_mieruka").into())
}
/// How long a command may take: 60 s, or `MIERUKA_CANARY_SECONDS`.
fn limit() -> Duration {
    let secs = std::env::var("MIERUKA_CANARY_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(60);
    Duration::from_secs(secs)
}

/// What is put at a path.
#[derive(Debug, Clone, Copy)]
enum Trap {
    /// A link to the canary's folder of files.
    LinkFolder,
    /// A link to the canary's empty folder (a command that wants an empty
    /// folder would write into it).
    LinkEmptyFolder,
    /// A link to the canary's file.
    LinkFile,
    /// A link to a name in the canary that does not exist yet.
    Dangling,
    Fifo,
    /// A file where a folder is expected.
    File,
    /// A folder where a file is expected.
    Folder,
}

/// Whether the command expects a folder or a file at the path.
#[derive(Clone, Copy)]
enum Shape {
    Folder,
    File,
}

fn traps(shape: Shape) -> &'static [Trap] {
    match shape {
        Shape::Folder => &[
            Trap::LinkFolder,
            Trap::LinkEmptyFolder,
            Trap::Dangling,
            Trap::Fifo,
            Trap::File,
        ],
        Shape::File => &[
            Trap::LinkFile,
            Trap::Dangling,
            Trap::LinkFolder,
            Trap::Fifo,
            Trap::Folder,
        ],
    }
}

/// A canary: a folder outside every site, with a file, a folder of files
/// and an empty folder.
struct Canary {
    _dir: tempfile::TempDir,
    root: PathBuf,
}

impl Canary {
    fn new() -> Canary {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().to_path_buf();
        std::fs::create_dir_all(root.join("folder/sub")).unwrap();
        std::fs::write(root.join("folder/keep.md"), "+++\nid = \"x\"\n+++\n").unwrap();
        std::fs::write(root.join("folder/sub/deep.txt"), "deep").unwrap();
        std::fs::create_dir(root.join("empty")).unwrap();
        std::fs::write(root.join("file.txt"), "the canary's own file\n").unwrap();
        Canary { _dir: dir, root }
    }

    /// Every path below the canary with its bytes (or link target, or kind).
    fn snapshot(&self) -> BTreeMap<PathBuf, String> {
        let mut out = BTreeMap::new();
        for e in walkdir::WalkDir::new(&self.root).follow_links(false) {
            let e = e.unwrap();
            let rel = e.path().strip_prefix(&self.root).unwrap().to_path_buf();
            let t = e.file_type();
            let what = if t.is_file() {
                String::from_utf8_lossy(&std::fs::read(e.path()).unwrap()).to_string()
            } else if t.is_symlink() {
                format!("link {:?}", std::fs::read_link(e.path()).unwrap())
            } else if t.is_dir() {
                "folder".into()
            } else {
                "special".into()
            };
            out.insert(rel, what);
        }
        out
    }
}

/// Puts `trap` at `at`, replacing what is there.
fn set(trap: Trap, at: &Path, canary: &Canary) {
    if let Ok(m) = std::fs::symlink_metadata(at) {
        if m.is_dir() {
            std::fs::remove_dir_all(at).unwrap();
        } else {
            std::fs::remove_file(at).unwrap();
        }
    }
    if let Some(p) = at.parent() {
        std::fs::create_dir_all(p).unwrap();
    }
    let link = |to: PathBuf| std::os::unix::fs::symlink(to, at).unwrap();
    match trap {
        Trap::LinkFolder => link(canary.root.join("folder")),
        Trap::LinkEmptyFolder => link(canary.root.join("empty")),
        Trap::LinkFile => link(canary.root.join("file.txt")),
        Trap::Dangling => link(canary.root.join("absent")),
        Trap::Fifo => {
            let ok = Command::new("mkfifo").arg(at).status().unwrap().success();
            assert!(ok, "mkfifo {}", at.display());
        }
        Trap::File => std::fs::write(at, "not a folder\n").unwrap(),
        Trap::Folder => std::fs::create_dir(at).unwrap(),
    }
}

/// What a command did.
struct Outcome {
    code: Option<i32>,
    said: String,
}

/// Runs mieruka in `dir` with `args`, `tmp` as its temporary folder, no
/// standard input; kills it at the time limit.
fn run(dir: &Path, args: &[String], tmp: &Path) -> Result<Outcome, String> {
    let mut child = Command::new(bin())
        .args(args)
        .current_dir(dir)
        .env("TMPDIR", tmp)
        .env("LANG", "C")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (mut out, mut err) = (child.stdout.take().unwrap(), child.stderr.take().unwrap());
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = out.read_to_string(&mut s);
        let _ = err.read_to_string(&mut s);
        s
    });
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return Ok(Outcome {
                code: status.code(),
                said: reader.join().unwrap(),
            });
        }
        if start.elapsed() > limit() {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!("did not finish in {:?}", limit()));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Scratch names a command may leave behind, found below `dir` (links not
/// followed), other than `except`.
fn scratch_left(dir: &Path, except: &Path) -> Vec<PathBuf> {
    let scratch = |name: &str| {
        name.contains(".new-")
            || name.contains(".old-")
            || name.ends_with(".copying")
            || name.ends_with(".mieruka-tmp")
            || name.ends_with(".mieruka-import")
            || name.starts_with("mieruka-")
    };
    walkdir::WalkDir::new(dir)
        .follow_links(false)
        .into_iter()
        .flatten()
        .filter(|e| e.path() != except && scratch(&e.file_name().to_string_lossy()))
        .map(|e| e.path().to_path_buf())
        .collect()
}

fn s(args: &[&str]) -> Vec<String> {
    args.iter().map(|a| a.to_string()).collect()
}

/// A new starter site (`mieruka init`) in a fresh folder, with whatever
/// `prepare` does to it; returns the folder holding it.
fn starter(prepare: &dyn Fn(&Path)) -> (tempfile::TempDir, PathBuf) {
    let top = tempfile::tempdir().unwrap();
    let site = top.path().join("site");
    let made = Command::new(bin()).arg("init").arg(&site).output().unwrap();
    assert!(made.status.success(), "{made:?}");
    prepare(&site);
    (top, site)
}

fn ok(dir: &Path, args: &[&str]) {
    let tmp = tempfile::tempdir().unwrap();
    let o = run(dir, &s(args), tmp.path()).unwrap();
    assert_eq!(o.code, Some(0), "mieruka {args:?}: {}", o.said);
}

/// One path of one command, tried with every trap of its shape.
struct Place {
    /// The path, from the folder the command runs in.
    path: &'static str,
    shape: Shape,
}

/// Runs `args` (in the site folder, or in its parent when `in_parent`)
/// once per trap at each place, on a site made anew by `prepare` each
/// time, and checks what the harness promises.
fn harness(args: &[&str], prepare: &dyn Fn(&Path), places: &[Place], in_parent: bool) {
    let mut failures = Vec::new();
    let mut tried = 0;
    for place in places {
        for &trap in traps(place.shape) {
            let what = format!("mieruka {} with {trap:?} at {}", args.join(" "), place.path);
            if let Err(why) = try_one(args, prepare, place, trap, in_parent) {
                failures.push(format!("{what}: {why}"));
            }
            tried += 1;
        }
    }
    assert!(tried >= places.len() * 4);
    assert!(
        failures.is_empty(),
        "{} of {tried} failed:\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

/// One command with one trap at one place: what went wrong, if anything.
fn try_one(
    args: &[&str],
    prepare: &dyn Fn(&Path),
    place: &Place,
    trap: Trap,
    in_parent: bool,
) -> Result<(), String> {
    let canary = Canary::new();
    let before = canary.snapshot();
    let (top, site) = starter(prepare);
    let dir = if in_parent {
        top.path().to_path_buf()
    } else {
        site.clone()
    };
    let at = dir.join(place.path);
    set(trap, &at, &canary);
    let tmp = tempfile::tempdir().unwrap();
    let o = run(&dir, &s(args), tmp.path())?;
    let said: String = o.said.chars().take(600).collect();
    if canary.snapshot() != before {
        return Err(format!("the canary changed\n{said}"));
    }
    let name = Path::new(place.path)
        .file_name()
        .unwrap()
        .to_string_lossy()
        .to_string();
    if o.code != Some(0) && !o.said.contains(&name) {
        return Err(format!("failed without naming {name}: {said}"));
    }
    if o.code == Some(101) || o.said.contains("panicked") {
        return Err(format!("panicked: {said}"));
    }
    let left = scratch_left(&dir, &at);
    if !left.is_empty() {
        return Err(format!("scratch left: {left:?}\n{said}"));
    }
    let tmp_left: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().flatten().collect();
    if !tmp_left.is_empty() {
        return Err(format!("temporary files left: {tmp_left:?}"));
    }
    Ok(())
}

const PAGE: &str = "public/index.html";

fn built(site: &Path) {
    // Twice: the first output becomes the spare.
    ok(site, &["build", "--no-search"]);
    ok(site, &["build", "--no-search"]);
}

#[test]
fn build_never_writes_through_what_it_finds() {
    let folder = |path| Place {
        path,
        shape: Shape::Folder,
    };
    let file = |path| Place {
        path,
        shape: Shape::File,
    };
    harness(
        &["build", "--no-search"],
        &built,
        &[
            folder("public"),
            folder(".public.spare"),
            file(".public.lock"),
            folder(".public.new-4000000"),
            folder(".public.old-4000000"),
            file(".public.spare/index.html"),
            file(".public.spare/.mieruka-output"),
            folder(".public.spare/en"),
            folder(".public.spare/plan"),
        ],
        false,
    );
    // The output is whole after a trap in the spare.
    let (_top, site) = starter(&built);
    let canary = Canary::new();
    set(
        Trap::LinkFile,
        &site.join(".public.spare/index.html"),
        &canary,
    );
    ok(&site, &["build", "--no-search"]);
    assert!(std::fs::read_to_string(site.join(PAGE))
        .unwrap()
        .contains("<html"));
}

#[test]
fn serve_first_build_finishes_and_answers() {
    // serve writes nothing; what it touches is the content it reads.
    for (path, trap) in [
        ("content/plan/01-area/i-001.md", Trap::Fifo),
        ("content/plan/01-area/i-001.md", Trap::LinkFile),
        ("content/plan/01-area", Trap::LinkFolder),
        ("content/plan/01-area/i-002.md", Trap::Dangling),
        ("content/.pipe", Trap::Fifo),
    ] {
        let canary = Canary::new();
        let before = canary.snapshot();
        let (_top, site) = starter(&|_| {});
        set(trap, &site.join(path), &canary);
        let mut child = Command::new(bin())
            .args(["serve", "--port", "0"])
            .current_dir(&site)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        for pipe in [
            Box::new(child.stdout.take().unwrap()) as Box<dyn Read + Send>,
            Box::new(child.stderr.take().unwrap()),
        ] {
            let tx = tx.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(pipe).lines().map_while(Result::ok) {
                    let _ = tx.send(line);
                }
            });
        }
        let start = Instant::now();
        let mut said = Vec::new();
        while !said.iter().any(|l: &String| l.contains(" at http://")) {
            let left = limit().saturating_sub(start.elapsed());
            match rx.recv_timeout(left) {
                Ok(line) => said.push(line),
                Err(_) => {
                    let _ = child.kill();
                    panic!("serve with {trap:?} at {path}: no address printed: {said:?}");
                }
            }
        }
        let line = said.iter().find(|l| l.contains(" at http://")).unwrap();
        let url = line.rsplit(" at ").next().unwrap();
        let rest = url.strip_prefix("http://").unwrap();
        let (addr, base) = rest.split_at(rest.find('/').unwrap());
        let mut conn = std::net::TcpStream::connect(addr).unwrap();
        conn.set_read_timeout(Some(Duration::from_secs(20)))
            .unwrap();
        write!(
            conn,
            "GET {base} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut answer = String::new();
        let _ = conn.read_to_string(&mut answer);
        let _ = child.kill();
        let _ = child.wait();
        said.extend(rx.try_iter());
        // It answers (the site, or no site yet while the content is broken)…
        assert!(
            answer.starts_with("HTTP/1.1 200") || answer.starts_with("HTTP/1.1 404"),
            "serve with {trap:?} at {path}: {answer:.200}"
        );
        // …and says what is wrong, naming the file.
        let name = Path::new(path).file_name().unwrap().to_string_lossy();
        let told = said.join("\n");
        assert!(
            answer.starts_with("HTTP/1.1 200") || told.contains(name.as_ref()),
            "serve with {trap:?} at {path}: failed without naming the file: {told}"
        );
        assert_eq!(canary.snapshot(), before, "serve with {trap:?} at {path}");
    }
}

fn reports(site: &Path) {
    std::fs::create_dir_all(site.join("content/plan/_reports")).unwrap();
}

#[test]
fn archive_never_copies_through_what_it_finds() {
    let folder = |path| Place {
        path,
        shape: Shape::Folder,
    };
    harness(
        &["archive", "plan"],
        &|_| {},
        &[
            folder("content/plan/_reports"),
            Place {
                path: "content/plan/01-area/i-001.md",
                shape: Shape::File,
            },
            folder("content/plan/01-area"),
            // Not a content file, so only the copy meets it: a failure
            // half-way through, whose staging folder must go.
            Place {
                path: "content/plan/01-area/notes.txt",
                shape: Shape::File,
            },
        ],
        false,
    );
    harness(
        &["archive", "plan"],
        &reports,
        &[
            folder("content/plan/_reports/2024"),
            folder("content/plan/_reports/.2024.copying"),
        ],
        false,
    );
}

/// A site whose sheet and mapping are exported, and whose initiative then
/// differs from the sheet (the import has a change to write).
fn exported(site: &Path) {
    ok(
        site,
        &[
            "export",
            "plan",
            "--xlsx",
            "sheet.xlsx",
            "--map",
            "map.toml",
        ],
    );
    let file = site.join("content/plan/01-area/i-001.md");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replacen("status = \"○\"", "status = \"◎\"", 1)).unwrap();
}

/// Runs the import of an [`exported`] site and checks that it wrote its
/// change; returns its temporary folder.
fn imports_its_change(site: &Path) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let o = run(
        site,
        &s(&["import", "sheet.xlsx", "--map", "map.toml"]),
        tmp.path(),
    )
    .unwrap();
    assert_eq!(o.code, Some(0), "{}", o.said);
    let text = std::fs::read_to_string(site.join("content/plan/01-area/i-001.md")).unwrap();
    assert!(
        text.contains("status = \"○\""),
        "the import wrote nothing: {}",
        o.said
    );
    tmp
}

#[test]
fn import_never_writes_through_what_it_finds() {
    // The fixture is an import that writes.
    let (_top, site) = starter(&exported);
    imports_its_change(&site);

    let file = |path| Place {
        path,
        shape: Shape::File,
    };
    harness(
        &["import", "sheet.xlsx", "--map", "map.toml", "--force"],
        &exported,
        &[
            file("content/plan/01-area/i-001.md"),
            file("sheet.xlsx"),
            file("map.toml"),
            file("content/.pipe"),
            file("content/plan/01-area/.i-001.md.scratch"),
            Place {
                path: "content/plan/01-area",
                shape: Shape::Folder,
            },
        ],
        false,
    );
}

#[test]
fn import_copies_a_link_inside_the_site_for_its_check_and_writes() {
    // A folder link that stays inside the site (the build warns and
    // leaves it out) must not make an import with changes fail.
    let (_top, site) = starter(&|site: &Path| {
        exported(site);
        std::os::unix::fs::symlink("01-area", site.join("content/plan/linked")).unwrap();
        std::os::unix::fs::symlink(
            "../plan/01-area/i-001.md",
            site.join("content/departments/linked.md"),
        )
        .unwrap();
    });
    let tmp = imports_its_change(&site);
    assert!(std::fs::symlink_metadata(site.join("content/plan/linked"))
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 0);
}

#[test]
fn new_never_writes_through_what_it_finds() {
    harness(
        &["new", "initiative", "plan/01-area/i-009"],
        &|_| {},
        &[
            Place {
                path: "content/plan/01-area/i-009.md",
                shape: Shape::File,
            },
            Place {
                path: "content/plan/01-area",
                shape: Shape::Folder,
            },
        ],
        false,
    );
    harness(
        &["new", "plan", "plan2"],
        &|_| {},
        &[Place {
            path: "content/plan2",
            shape: Shape::Folder,
        }],
        false,
    );
}

#[test]
fn init_never_writes_through_what_it_finds() {
    harness(
        &["init", "fresh"],
        &|_| {},
        &[Place {
            path: "fresh",
            shape: Shape::Folder,
        }],
        true,
    );
}

#[test]
fn export_never_writes_through_what_it_finds() {
    let file = |path| Place {
        path,
        shape: Shape::File,
    };
    harness(
        &["export", "plan", "--xlsx", "out.xlsx", "--map", "out.toml"],
        &|_| {},
        &[file("out.xlsx"), file("out.toml")],
        false,
    );
}
