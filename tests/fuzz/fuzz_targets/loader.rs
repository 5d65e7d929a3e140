//! The content loader (front matter, Markdown, plan configuration) and, when
//! the content is valid, the rendering of the whole site in memory.
//!
//! The input is split at [`SEPARATOR`] into up to four parts, which replace,
//! in order, the initiative, the section `_index.md`, the plan `_plan.md` and
//! the indicator of a small valid site (`tests/fuzz/fixture`, copied once to
//! a temporary folder). A missing or empty part leaves that file as in the
//! fixture. Only files that differ from what is on disk are written.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Between two parts of an input (also in `loader.dict`).
const SEPARATOR: &[u8] = b"\0SPLIT\0";

/// The fuzzed files, in the order of the parts.
const FILES: [&str; 4] = [
    "content/plan1/01-alpha/a1.md",
    "content/plan1/01-alpha/_index.md",
    "content/plan1/_plan.md",
    "content/plan1/indicators/k1.md",
];

struct Fixture {
    root: PathBuf,
    /// The fixture's own text of each fuzzed file.
    original: Vec<Vec<u8>>,
    /// What each fuzzed file holds on disk now.
    current: Vec<Vec<u8>>,
}

static FIXTURE: Mutex<Option<Fixture>> = Mutex::new(None);

/// Copies the fixture into `MIERUKA_FUZZ_DIR` (set by run.sh, which removes
/// it afterwards) or a fresh folder under the system's temporary folder.
fn setup() -> Fixture {
    // Pages render in parallel: one thread keeps the fuzzer to one core.
    std::env::set_var("RAYON_NUM_THREADS", "1");
    let root = match std::env::var_os("MIERUKA_FUZZ_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => std::env::temp_dir().join(format!("mieruka-fuzz-{}", std::process::id())),
    };
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixture");
    copy_tree(&from, &root);
    let original: Vec<Vec<u8>> = FILES
        .iter()
        .map(|f| std::fs::read(root.join(f)).expect("fixture file"))
        .collect();
    Fixture {
        root,
        current: original.clone(),
        original,
    }
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("creating the fixture folder");
    for entry in std::fs::read_dir(from).expect("reading the fixture") {
        let entry = entry.expect("fixture entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copying the fixture");
        }
    }
}

/// `data` split at every [`SEPARATOR`], at most four parts (the fourth
/// keeps any further separators).
fn parts(data: &[u8]) -> Vec<&[u8]> {
    let mut out = Vec::new();
    let mut rest = data;
    while out.len() < FILES.len() - 1 {
        match rest.windows(SEPARATOR.len()).position(|w| w == SEPARATOR) {
            Some(i) => {
                out.push(&rest[..i]);
                rest = &rest[i + SEPARATOR.len()..];
            }
            None => break,
        }
    }
    out.push(rest);
    out
}

fuzz_target!(|data: &[u8]| {
    let mut guard = FIXTURE.lock().unwrap_or_else(|e| e.into_inner());
    let fixture = guard.get_or_insert_with(setup);
    let parts = parts(data);
    for (i, file) in FILES.iter().enumerate() {
        let wanted = match parts.get(i) {
            Some(p) if !p.is_empty() => p.to_vec(),
            _ => fixture.original[i].clone(),
        };
        if wanted != fixture.current[i] {
            std::fs::write(fixture.root.join(file), &wanted).expect("writing a fuzzed file");
            fixture.current[i] = wanted;
        }
    }
    mieruka::fuzzing::load_site(&fixture.root);
});
