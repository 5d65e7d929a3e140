//! Writes one language's index: postings with positions in shards, one
//! small JSON file per document for the result list, and the filters.
//!
//! Files, under the bundle folder:
//!
//! - `meta.json`: a version (for cache-busting), the number of documents,
//!   where each class of page starts (documents come most specific first:
//!   initiatives, indicators and sections; departments and plans;
//!   listings), the first term of every shard, and every filter value with
//!   its count;
//! - `t/N.bin`: shard N, the terms from its first term up to the next
//!   shard's, each with its postings (binary, below);
//! - `c/N.json`: the result cards of documents 32·N to 32·N + 31: title,
//!   address, the facts of the result (kind, plan, department, status badge);
//! - `d/N.json`: the text of document N, for its snippet;
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

/// Documents per file of result cards.
pub const CARDS: usize = 32;

/// One searchable page, analysed.
pub struct Doc {
    href: String,
    record: Record,
    text: PageText,
    /// term → (title positions, body positions)
    terms: Vec<(String, Vec<u32>, Vec<u32>)>,
    title_len: u32,
    /// How specific the page is (0 most); documents come in this order.
    class: u8,
}

impl Doc {
    pub fn new(href: String, record: Record, text: PageText, class: u8) -> Doc {
        let mut map: HashMap<String, (Vec<u32>, Vec<u32>)> = HashMap::new();
        let title = analyse(&text.title, true);
        let title_len = title.iter().map(|t| t.pos + 1).max().unwrap_or(0);
        for t in title {
            map.entry(t.term).or_default().0.push(t.pos);
        }
        for t in analyse(&text.body, true) {
            map.entry(t.term).or_default().1.push(t.pos);
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
    files.extend(cards(docs));
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
        "cards": CARDS,
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

/// The result cards, in chunks, and the texts, one file per document.
fn cards(docs: &[Doc]) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    // Documents, for the result list: their cards in chunks of CARDS
    // (a list of 20 results needs a few requests, not 20), their texts
    // one by one (for the snippets, filled in as they come).
    for (n, chunk) in docs.chunks(CARDS).enumerate() {
        let cards: Vec<BTreeMap<&str, &str>> = chunk
            .iter()
            .map(|d| {
                let mut m: BTreeMap<&str, &str> = d
                    .record
                    .meta
                    .iter()
                    .map(|(k, v)| (k.as_str(), v.as_str()))
                    .collect();
                m.insert("title", &d.text.title);
                m.insert("href", &d.href);
                m
            })
            .collect();
        files.push((
            format!("c/{n}.json"),
            serde_json::to_vec(&cards).expect("strings serialise"),
        ));
    }
    let texts: Vec<(String, Vec<u8>)> = docs
        .par_iter()
        .enumerate()
        .map(|(id, d)| {
            (
                format!("d/{id}.json"),
                serde_json::to_vec(&d.text.body).expect("strings serialise"),
            )
        })
        .collect();
    files.extend(texts);

    files
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
