//! Writes one language's index: postings with positions in shards, one
//! small JSON file per document for the result list, and the filters.
//!
//! Files, under the bundle folder:
//!
//! - `meta.json`: a version (for cache-busting), the number of documents,
//!   where each class of page starts (documents come most specific first:
//!   initiatives, indicators and sections; departments and plans;
//!   listings), the first term of every shard, and every filter value with
//!   its count, and the number of cards per card file;
//! - `t/N.bin`: shard N, the terms from its first term up to the next
//!   shard's, each with its postings (binary, below);
//! - `c/N.json`: the result cards of documents C·N to C·N + C − 1 (C: all of
//!   them on a small site, else 8): title, address, the facts of the result
//!   (kind, plan, department, status badge), where its text's chunks start;
//! - `d/N.json`, `d/N-K.json`: the text of document N, for its snippet, in
//!   chunks of whole lines (K from 1; most documents have one chunk);
//! - `f/NAME.json`: for a filter, value → document numbers.
//!
//! A shard is a sequence of entries, all numbers unsigned LEB128:
//! `term-length term-UTF-8 postings-length postings`, where postings are
//! `doc-count`, then per document `doc-delta head [title-length title-count
//! title-position-deltas…] body-position-deltas…`, where `head` is twice the
//! number of body positions, plus one when the term is in the title too
//! (then `title-length`, the title's number of positions, and its positions
//! follow). Terms are sorted by UTF-16 code units, as JavaScript
//! compares strings. Everything is sorted: the same site gives the same bytes.

use super::extract::PageText;
use super::records::Record;
use super::tokenize::analyse;
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};

/// Postings are cut into shards of about this many bytes (a term with more
/// postings has a shard of its own).
const SHARD_BYTES: usize = 12 * 1024;

/// Documents per file of result cards, on a large site: a page of ten
/// results spread over the index needs ten small files, not ten large ones.
const CARDS: usize = 8;

/// All cards together up to this size are one file (loaded at once).
const PRELOAD_CARD_BYTES: usize = 256 * 1024;

/// One searchable page, analysed.
pub struct Doc {
    href: String,
    record: Record,
    text: PageText,
    /// term → (title positions, body positions)
    terms: Vec<(String, Vec<u32>, Vec<u32>)>,
    title_len: u32,
    /// The body cut at line ends into chunks of about CHUNK_CHARS: byte
    /// ranges in `text.body` and the body position each chunk starts at.
    chunks: Vec<(std::ops::Range<usize>, u32)>,
    /// How specific the page is (0 most); documents come in this order.
    class: u8,
}

/// A snippet needs the text around one place, not the whole page: texts
/// are stored in chunks of about this many characters (whole lines), and a
/// result fetches the chunk its first match is in. (A plan page of 10,000
/// initiatives has half a megabyte of text.)
const CHUNK_CHARS: usize = 2000;

/// The byte ranges of `body`'s chunks: whole lines, each chunk ending at
/// the first line end after CHUNK_CHARS characters.
fn chunk_ranges(body: &str) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let (mut start, mut chars) = (0, 0);
    for (i, c) in body.char_indices() {
        chars += 1;
        if c == '\n' && chars >= CHUNK_CHARS {
            out.push(start..i);
            start = i + 1;
            chars = 0;
        }
    }
    if start < body.len() || out.is_empty() {
        out.push(start..body.len());
    }
    out
}

impl Doc {
    pub fn new(href: String, record: Record, text: PageText, class: u8) -> Doc {
        let mut map: HashMap<String, (Vec<u32>, Vec<u32>)> = HashMap::new();
        let title = analyse(&text.title, true);
        let title_len = title.iter().map(|t| t.pos + 1).max().unwrap_or(0);
        for t in title {
            map.entry(t.term).or_default().0.push(t.pos);
        }
        // Chunk by chunk, each chunk's positions after the last one's and a
        // gap (as at any line end: phrases never span lines).
        let mut chunks = Vec::new();
        let mut base = 0;
        for range in chunk_ranges(&text.body) {
            chunks.push((range.clone(), base));
            let mut next = base;
            for t in analyse(&text.body[range], true) {
                next = next.max(base + t.pos + 2);
                map.entry(t.term).or_default().1.push(base + t.pos);
            }
            base = next;
        }
        let mut terms: Vec<_> = map
            .into_iter()
            .map(|(k, (mut a, mut b))| {
                a.sort_unstable();
                a.dedup();
                b.sort_unstable();
                b.dedup();
                (k, a, b)
            })
            .collect();
        terms.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        Doc {
            // The home page is the root itself.
            href: if href.is_empty() { "./".into() } else { href },
            record,
            text,
            terms,
            title_len,
            chunks,
            class,
        }
    }
}

fn varint(out: &mut Vec<u8>, mut v: u32) {
    while v >= 0x80 {
        out.push((v as u8 & 0x7f) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn positions(out: &mut Vec<u8>, ps: &[u32]) {
    varint(out, ps.len() as u32);
    deltas(out, ps);
}

fn deltas(out: &mut Vec<u8>, ps: &[u32]) {
    let mut last = 0;
    for &p in ps {
        varint(out, p - last);
        last = p;
    }
}

/// A term's postings while they are written: (documents, last document,
/// bytes).
type Postings = (u32, u32, Vec<u8>);

/// The files of one language's bundle: name → bytes.
pub fn write(docs: &[Doc]) -> Vec<(String, Vec<u8>)> {
    let (mut files, firsts) = shards(docs);
    // A small site's cards are one file, which the search page loads before
    // the first query (one round trip less per query); a large site's come
    // a few at a time, as results need them.
    let lists = card_lists(docs);
    let card_bytes: usize = lists.iter().map(|c| c.to_string().len()).sum();
    let per_file = if card_bytes <= PRELOAD_CARD_BYTES {
        docs.len().max(1)
    } else {
        CARDS
    };
    files.extend(cards(docs, &lists, per_file));
    let counts = filters(docs, &mut files);
    // The version: a digest of everything above, so that a browser never
    // mixes shards of two builds.
    let mut h = Sha256::new();
    for (name, bytes) in &files {
        h.update(name.as_bytes());
        h.update(bytes);
    }
    let version: String = h.finalize()[..6]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let classes = [1u8, 2].map(|c| docs.iter().position(|d| d.class >= c).unwrap_or(docs.len()));
    let meta = serde_json::json!({
        "version": version,
        "docs": docs.len(),
        "cards": per_file,
        // The first document of each class after the first.
        "classes": classes,
        "shards": firsts,
        "filters": counts,
    });
    files.push((
        "meta.json".into(),
        serde_json::to_vec(&meta).expect("meta serialises"),
    ));
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files
}

/// The postings of every term, in shards: the files and the first term of
/// each shard.
fn shards(docs: &[Doc]) -> (Vec<(String, Vec<u8>)>, Vec<&str>) {
    // term → postings, documents in order.
    let mut postings: HashMap<&str, Postings> = HashMap::new();
    for (id, d) in docs.iter().enumerate() {
        let id = id as u32;
        for (term, title, body) in &d.terms {
            let e = postings.entry(term.as_str()).or_insert((0, 0, Vec::new()));
            varint(&mut e.2, id - e.1);
            e.0 += 1;
            e.1 = id;
            // body-count × 2, + 1 when the term is in the title too.
            varint(
                &mut e.2,
                body.len() as u32 * 2 + u32::from(!title.is_empty()),
            );
            if !title.is_empty() {
                varint(&mut e.2, d.title_len);
                positions(&mut e.2, title);
            }
            deltas(&mut e.2, body);
        }
    }
    let mut terms: Vec<(&str, Postings)> = postings.into_iter().collect();
    terms.par_sort_unstable_by(|a, b| a.0.encode_utf16().cmp(b.0.encode_utf16()));

    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let mut firsts: Vec<&str> = Vec::new();
    let mut shard: Vec<u8> = Vec::new();
    for (term, (count, _, bytes)) in &terms {
        if shard.len() >= SHARD_BYTES {
            files.push((
                format!("t/{}.bin", firsts.len() - 1),
                std::mem::take(&mut shard),
            ));
        }
        if shard.is_empty() {
            firsts.push(term);
        }
        varint(&mut shard, term.len() as u32);
        shard.extend_from_slice(term.as_bytes());
        let mut head = Vec::new();
        varint(&mut head, *count);
        varint(&mut shard, (head.len() + bytes.len()) as u32);
        shard.extend_from_slice(&head);
        shard.extend_from_slice(bytes);
    }
    if !shard.is_empty() {
        files.push((format!("t/{}.bin", firsts.len() - 1), shard));
    }

    (files, firsts)
}

/// The result cards, in files of `per_file`, and the texts: one file per
/// chunk of a document's text, `d/N.json` its first, `d/N-K.json` the others.
fn cards(docs: &[Doc], lists: &[serde_json::Value], per_file: usize) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = lists
        .chunks(per_file)
        .enumerate()
        .map(|(n, chunk)| {
            (
                format!("c/{n}.json"),
                serde_json::to_vec(chunk).expect("strings serialise"),
            )
        })
        .collect();
    let texts: Vec<(String, Vec<u8>)> = docs
        .par_iter()
        .enumerate()
        .flat_map_iter(|(id, d)| {
            d.chunks.iter().enumerate().map(move |(k, (range, _))| {
                let name = if k == 0 {
                    format!("d/{id}.json")
                } else {
                    format!("d/{id}-{k}.json")
                };
                let text = &d.text.body[range.clone()];
                (name, serde_json::to_vec(text).expect("strings serialise"))
            })
        })
        .collect();
    files.extend(texts);
    files
}

/// Every document's card: title, address, the facts of its record and,
/// where its text has more than one chunk, the position each further chunk
/// starts at (`chunks`).
fn card_lists(docs: &[Doc]) -> Vec<serde_json::Value> {
    docs.iter()
        .map(|d| {
            let mut m: serde_json::Map<String, serde_json::Value> = d
                .record
                .meta
                .iter()
                .map(|(k, v)| (k.clone(), v.clone().into()))
                .collect();
            m.insert("title".into(), d.text.title.clone().into());
            m.insert("href".into(), d.href.clone().into());
            if d.chunks.len() > 1 {
                let starts: Vec<u32> = d.chunks[1..].iter().map(|c| c.1).collect();
                m.insert("chunks".into(), starts.into());
            }
            serde_json::Value::Object(m)
        })
        .collect()
}

/// The filter files; returns the counts for the menus.
fn filters<'a>(
    docs: &'a [Doc],
    files: &mut Vec<(String, Vec<u8>)>,
) -> BTreeMap<&'a str, BTreeMap<&'a str, usize>> {
    // Filters: value → documents, and the counts for the menus.
    let mut filters: BTreeMap<&str, BTreeMap<&str, Vec<u32>>> = BTreeMap::new();
    for (id, d) in docs.iter().enumerate() {
        for (name, values) in &d.record.filters {
            for v in values {
                filters
                    .entry(name)
                    .or_default()
                    .entry(v)
                    .or_default()
                    .push(id as u32);
            }
        }
    }
    let mut counts: BTreeMap<&str, BTreeMap<&str, usize>> = BTreeMap::new();
    for (name, values) in &filters {
        for ids in values.values() {
            debug_assert!(ids.windows(2).all(|w| w[0] < w[1]));
        }
        counts.insert(
            name,
            values.iter().map(|(v, ids)| (*v, ids.len())).collect(),
        );
        files.push((
            format!("f/{name}.json"),
            serde_json::to_vec(values).expect("filters serialise"),
        ));
    }

    counts
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn doc(title: &str, body: &str) -> Doc {
        let record = Record {
            meta: BTreeMap::new(),
            filters: BTreeMap::new(),
        };
        let text = PageText {
            title: title.into(),
            body: body.into(),
        };
        Doc::new("p/".into(), record, text, 0)
    }

    fn file<'a>(files: &'a [(String, Vec<u8>)], name: &str) -> &'a [u8] {
        &files.iter().find(|(n, _)| n == name).expect(name).1
    }

    #[test]
    fn long_texts_are_stored_in_chunks_of_whole_lines_that_the_card_locates() {
        // 60 lines of 50 characters: 3,000 characters, two chunks.
        let line = "あ".repeat(45) + "防災訓練です";
        let mut lines = vec![line.clone(); 60];
        lines[59] = "最後の行に電子申請".into();
        let d = doc("題", &lines.join("\n"));
        let files = write(&[d]);
        let card: serde_json::Value = serde_json::from_slice(file(&files, "c/0.json")).unwrap();
        let starts = card[0]["chunks"].as_array().expect("two chunks").clone();
        assert_eq!(starts.len(), 1);
        let first: String = serde_json::from_slice(file(&files, "d/0.json")).unwrap();
        let second: String = serde_json::from_slice(file(&files, "d/0-1.json")).unwrap();
        // Whole lines, none lost, none repeated.
        assert_eq!(format!("{first}\n{second}"), lines.join("\n"));
        assert!(first.chars().count() >= CHUNK_CHARS && first.ends_with("防災訓練です"));
        assert!(second.ends_with("最後の行に電子申請"));
        // The term of the last line is at a position in the second chunk.
        let d = doc("題", &lines.join("\n"));
        let (_, _, body) = d.terms.iter().find(|t| t.0 == "電子").unwrap();
        assert!(body[0] as u64 >= starts[0].as_u64().unwrap());
        // and the first line's terms in the first.
        let (_, _, body) = d.terms.iter().find(|t| t.0 == "防災").unwrap();
        assert!((body[0] as u64) < starts[0].as_u64().unwrap());
    }

    #[test]
    fn a_short_text_is_one_file_and_its_card_names_no_chunks() {
        let files = write(&[doc("題", "一行\n二行")]);
        let card: serde_json::Value = serde_json::from_slice(file(&files, "c/0.json")).unwrap();
        assert!(card[0].get("chunks").is_none());
        assert!(files.iter().all(|(n, _)| !n.starts_with("d/0-")));
    }
}
