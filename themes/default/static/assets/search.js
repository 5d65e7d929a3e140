// Search for mieruka sites: the query side of the site's own index
// (src/search/: index.rs writes it, tokenize.rs analyses its text).
//
// The query is analysed exactly like the pages (both are tested against
// tests/search_tokens.json): NFKC by character cluster and lower case, the
// katakana long-vowel stem, fiscal years in any spelling → fyNNNN,
// Japanese as overlapping bigrams plus each run's last character, English
// words plural-stemmed. A page matches a query where the query's terms
// stand at the same relative positions in the page: exactly where the page
// says what was typed. Below those, pages that contain every word of the
// query (the words typed apart, and the dictionary words of a Japanese
// compound) but not the whole. Nothing else, ever.

// ------------------------------------------------------------ analysis

const CJK = /[\u3041-\u309F\u30A1-\u30FA\u30FC-\u30FF\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF々〆]/;
const WORD = /[0-9a-z]/;
const KATAKANA = /[\u30A1-\u30FA\u30FC]/;
// English words never part of a compound (src/search/tokenize.rs STOP).
const STOP = new Set(['a', 'an', 'and', 'are', 'as', 'at', 'be', 'by', 'for', 'from', 'in', 'is', 'it', 'of', 'on', 'or', 'the', 'to', 'was', 'with']);

function yearAt(rest) {
  let m = rest.match(/^(令和|平成|昭和)(元|\d+)(年度|年)?/);
  if (m) {
    const n = m[2] === '元' ? 1 : parseInt(m[2], 10);
    if (n < 1 || n > 99) return null;
    const first = { 令和: 2019, 平成: 1989, 昭和: 1926 }[m[1]];
    return [m[0].length, first + n - 1];
  }
  m = rest.match(/^([rh])(\d{1,2})(?![0-9a-z])(年度|年)?/);
  if (m) {
    const v = parseInt(m[2], 10);
    const y = (m[1] === 'r' ? 2018 : 1988) + v;
    if (v === 0 || (m[1] === 'h' && y > 2019)) return null;
    return [m[0].length, y];
  }
  m = rest.match(/^fy(\d{4})(?![0-9a-z])/);
  if (m) return [6, parseInt(m[1], 10)];
  m = rest.match(/^(\d{4})(年度|年)/);
  if (m) {
    const y = parseInt(m[1], 10);
    return y >= 1900 && y <= 2200 ? [m[0].length, y] : null;
  }
  return null;
}

/**
 * The normalised characters of a text, each with the range [from, to) of
 * original characters (code points) it came from: NFKC per character
 * cluster and lower case, the katakana long-vowel stem (コンピューター =
 * コンピュータ, as Lucene's JapaneseKatakanaStemFilter), years → ` fyNNNN `.
 */
function mapped(text) {
  const src = [...text];
  let chars = [];
  for (let i = 0; i < src.length; ) {
    let j = i + 1;
    while (j < src.length && joinsPrevious(src[j].codePointAt(0))) j++;
    const c = src[i];
    if (j === i + 1 && stable(c.codePointAt(0))) chars.push({ c, from: i, to: j });
    else if (j === i + 1 && c >= 'A' && c <= 'Z') chars.push({ c: c.toLowerCase(), from: i, to: j });
    else for (const n of src.slice(i, j).join('').normalize('NFKC').toLowerCase()) chars.push({ c: n, from: i, to: j });
    i = j;
  }
  // The long-vowel mark ending a katakana run of four or more.
  let run = 0;
  const kept = [];
  chars.forEach((x, i) => {
    run = KATAKANA.test(x.c) ? run + 1 : 0;
    const endsRun = !(i + 1 < chars.length && KATAKANA.test(chars[i + 1].c));
    // A dropped mark still belongs to its word: highlighted with it.
    if (x.c === 'ー' && endsRun && run >= 4) kept[kept.length - 1] = { ...kept[kept.length - 1], to: x.to };
    else kept.push(x);
  });
  chars = kept;
  // Years in any spelling (only where one can start).
  const out = [];
  for (let i = 0; i < chars.length; ) {
    const c = chars[i].c;
    const canStart = YEAR_START.has(c) || (c >= '0' && c <= '9');
    const prevWord = i > 0 && WORD.test(chars[i - 1].c);
    const y = !canStart || prevWord ? null : yearAt(chars.slice(i, i + 12).map((x) => x.c).join(''));
    if (y) {
      const from = chars[i].from;
      const to = chars[i + y[0] - 1].to;
      for (const c of ` fy${y[1]} `) out.push({ c, from, to });
      i += y[0]; // every character of a year is one code point
    } else {
      out.push(chars[i]);
      i += 1;
    }
  }
  return out;
}

const YEAR_START = new Set(['令', '平', '昭', 'r', 'h', 'f']);

/** Characters NFKC and lower case leave as they are (most of any page). */
function stable(u) {
  return (
    (u >= 0x61 && u <= 0x7a) || (u >= 0x30 && u <= 0x39) || u === 0x20 || u === 0x0a ||
    (u >= 0x3041 && u <= 0x3096) || (u >= 0x30a1 && u <= 0x30fa) || u === 0x30fc ||
    (u >= 0x3400 && u <= 0x4dbf) || (u >= 0x4e00 && u <= 0x9fff)
  );
}

/**
 * Characters that belong to the character before them (combining marks,
 * voiced-sound marks, joiners, variation selectors): normalised with it.
 */
function joinsPrevious(u) {
  return (u >= 0x300 && u <= 0x36f) || u === 0x3099 || u === 0x309a || u === 0xff9e || u === 0xff9f || u === 0x200d || (u >= 0xfe00 && u <= 0xfe0f);
}

/** The normalised text (as the index sees it, before years). */
export function normalise(s) {
  return mapped(s).map((x) => x.c).join('');
}

/** English plural stem (Harman's S-stemmer), as src/search/tokenize.rs `stem`. */
export function stem(w) {
  if (w.length <= 3 || !/^[a-z]+$/.test(w)) return w;
  if (w.endsWith('ies') && !w.endsWith('eies') && !w.endsWith('aies')) return `${w.slice(0, -3)}y`;
  if (['sses', 'shes', 'ches', 'xes', 'zes'].some((e) => w.endsWith(e))) return w.slice(0, -2);
  if (w.endsWith('s') && !w.endsWith('ss') && !w.endsWith('us') && !w.endsWith('is')) return w.slice(0, -1);
  return w;
}

/**
 * The terms of a text with positions, as src/search/tokenize.rs `analyse`:
 * `{ term, pos, from, to, kind }`, `from`/`to` the original characters it
 * covers, kind `bigram`, `end` (a run's last character after its bigrams),
 * `single` (a run of one character), `word`, or `join` (two English words
 * as one: only with `joins`). `mid`: where a bigram's first character ends.
 */
export function analyse(text, joins = false) {
  const chars = mapped(text);
  const out = [];
  let pos = 0;
  let gap = false;
  let prev = null; // the previous English word, while it may join: { raw, pos, from }
  for (let i = 0; i < chars.length; ) {
    const c = chars[i].c;
    if (CJK.test(c)) {
      const start = i;
      while (i < chars.length && CJK.test(chars[i].c)) i++;
      if (gap) {
        pos++;
        gap = false;
      }
      for (let k = start; k + 1 < i; k++) {
        out.push({ term: chars[k].c + chars[k + 1].c, pos: pos++, from: chars[k].from, mid: chars[k].to, to: chars[k + 1].to, kind: 'bigram' });
      }
      const last = chars[i - 1];
      out.push({ term: last.c, pos: pos++, from: last.from, mid: last.to, to: last.to, kind: i - start === 1 ? 'single' : 'end' });
      prev = null;
    } else if (WORD.test(c)) {
      const start = i;
      while (i < chars.length && WORD.test(chars[i].c)) i++;
      const raw = chars.slice(start, i).map((x) => x.c).join('');
      if (gap) {
        pos++;
        gap = false;
        prev = null;
      }
      const from = chars[start].from;
      const to = chars[i - 1].to;
      if (joins && prev && !STOP.has(prev.raw) && !STOP.has(raw)) {
        out.push({ term: stem(prev.raw + raw), pos: prev.pos, from: prev.from, mid: to, to, kind: 'join' });
      }
      out.push({ term: stem(raw), pos, from, mid: to, to, kind: 'word', raw });
      prev = { raw, pos, from };
      pos++;
    } else {
      const hyphen = c === '-' && prev !== null;
      if (!(c === ' ' || c === '\t' || hyphen)) {
        gap = true;
        prev = null;
      }
      i++;
    }
  }
  return out;
}

// ------------------------------------------------------------ queries

/**
 * A phrase to look for: terms at offsets. `prefix`: the term stands for
 * every term starting with it (a single character). `span`: how many
 * positions the phrase covers in a text (a page whose title covers as
 * many, from the start, is titled exactly so).
 */
function phrase(tokens) {
  const parts = [];
  tokens.forEach((t, i) => {
    const last = i === tokens.length - 1;
    // The end of a run is required only when more follows (子育て 支援 must
    // not match 子育て支援); at the end of the query the run may go on.
    if (t.kind === 'end' && last) return;
    parts.push({ term: t.term, off: t.pos, prefix: t.kind === 'single' && last });
  });
  if (!parts.length) return null;
  const first = parts[0].off;
  for (const p of parts) p.off -= first;
  const span = tokens.length ? tokens[tokens.length - 1].pos + 1 - first : 0;
  return { parts, span };
}

let segmenter;

/** The words of a typed word: a Japanese compound's dictionary words. */
function compoundWords(word) {
  const norm = [...normalise(word)];
  // Only a word wholly in Japanese script (not one with a year or digits).
  if (norm.length < 3 || !norm.every((c) => CJK.test(c)) || typeof Intl === 'undefined' || !Intl.Segmenter) return [word];
  segmenter ??= new Intl.Segmenter('ja', { granularity: 'word' });
  const segs = [...segmenter.segment(word)].map((s) => s.segment);
  // A single character is not a word on its own here: it stays with its
  // neighbour (情報政策課 → 情報 + 政策課), so that no result is assembled
  // from loose characters.
  const words = [];
  for (const s of segs) {
    if ([...s].length === 1 && words.length) words[words.length - 1] += s;
    else words.push(s);
  }
  if (words.length > 1 && [...words[0]].length === 1) words.splice(0, 2, words[0] + words[1]);
  return words;
}

/**
 * The words of a query: what was typed apart, and within a Japanese
 * compound its dictionary words. Each is a piece of the query as typed.
 */
export function queryWords(query) {
  return query.split(/\s+/).filter(Boolean).flatMap(compoundWords);
}

/**
 * What a query looks for: `forms`, phrases each of which is the whole query
 * (as typed, and with two English words written as one: child care =
 * childcare, e-mail = email); `words`, one phrase per word (for the pages
 * that contain every word but not the whole), empty for a one-word query.
 */
export function queryPlan(query) {
  const tokens = analyse(query);
  const forms = [];
  const whole = phrase(tokens);
  if (whole) forms.push(whole);
  tokens.forEach((t, i) => {
    const n = tokens[i + 1];
    if (t.kind === 'word' && n && n.kind === 'word' && n.pos === t.pos + 1 && !STOP.has(t.raw) && !STOP.has(n.raw)) {
      const joined = { term: stem(t.raw + n.raw), pos: t.pos, kind: 'word' };
      const rest = tokens.slice(i + 2).map((x) => ({ ...x, pos: x.pos - 1 }));
      const f = phrase([...tokens.slice(0, i), joined, ...rest]);
      if (f) forms.push(f);
    }
  });
  const words = queryWords(query).map((w) => phrase(analyse(w))).filter(Boolean);
  return { forms, words: words.length > 1 ? words : [] };
}

// ------------------------------------------------------------ the index

function varints(bytes) {
  let at = 0;
  return {
    next() {
      let v = 0;
      let shift = 0;
      for (;;) {
        const b = bytes[at++];
        v += (b & 0x7f) * 2 ** shift;
        if (b < 0x80) return v;
        shift += 7;
      }
    },
    get at() {
      return at;
    },
    skip(n) {
      at += n;
    },
  };
}

/** A term's postings (src/search/index.rs): doc → { tl: title length, t: title positions, b: body positions }. */
function decodePostings(bytes) {
  const r = varints(bytes);
  const out = new Map();
  let doc = 0;
  const deltas = (n) => {
    const ps = new Array(n);
    let p = 0;
    for (let i = 0; i < n; i++) ps[i] = p += r.next();
    return ps;
  };
  for (let n = r.next(); n > 0; n--) {
    doc += r.next();
    // Twice the body positions, plus one when the term is in the title.
    const head = r.next();
    let tl = 0;
    let t = [];
    if (head & 1) {
      tl = r.next();
      t = deltas(r.next());
    }
    out.set(doc, { tl, t, b: deltas(Math.floor(head / 2)) });
  }
  return out;
}

/** Several postings of one position set (the terms a prefix stands for). */
function mergePostings(all) {
  if (all.length === 1) return all[0];
  const out = new Map();
  for (const m of all) {
    for (const [d, e] of m) {
      const o = out.get(d);
      if (!o) out.set(d, { tl: e.tl, t: [...e.t], b: [...e.b] });
      else {
        o.tl = o.tl || e.tl;
        o.t.push(...e.t);
        o.b.push(...e.b);
      }
    }
  }
  for (const e of out.values()) {
    e.t.sort((a, b) => a - b);
    e.b.sort((a, b) => a - b);
  }
  return out;
}


/** The index of one language, fetched a shard at a time. */
export class Index {
  constructor(bundle) {
    this.bundle = bundle;
    this.shards = new Map(); // shard number → Promise<Map(term → bytes)>
    this.docs = new Map(); // card file → Promise<[card]>
    this.filterSets = new Map(); // filter name → Promise<{ value: [docs] }>
  }

  async init() {
    const r = await fetch(new URL('meta.json', this.bundle));
    if (!r.ok) throw new Error(`search index: ${r.status}`);
    this.meta = await r.json();
    return this;
  }

  url(name) {
    return new URL(`${name}?v=${this.meta.version}`, this.bundle);
  }

  /** The number of the shard holding `term`: the last whose first term is ≤ it. */
  shardOf(term) {
    const s = this.meta.shards;
    let lo = 0;
    let hi = s.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (s[mid] <= term) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  shard(n) {
    if (!this.shards.has(n)) {
      this.shards.set(n, (async () => {
        const r = await fetch(this.url(`t/${n}.bin`));
        if (!r.ok) throw new Error(`search index: ${r.status}`);
        const bytes = new Uint8Array(await r.arrayBuffer());
        const terms = new Map();
        const dec = new TextDecoder();
        const v = varints(bytes);
        while (v.at < bytes.length) {
          const tl = v.next();
          const term = dec.decode(bytes.subarray(v.at, v.at + tl));
          v.skip(tl);
          const pl = v.next();
          terms.set(term, bytes.subarray(v.at, v.at + pl));
          v.skip(pl);
        }
        return terms;
      })());
    }
    return this.shards.get(n);
  }

  /** Postings of a term, or of every term starting with it (`prefix`). */
  async postings(term, prefix) {
    if (!this.meta.shards.length) return new Map();
    if (!prefix) {
      const bytes = (await this.shard(this.shardOf(term))).get(term);
      return bytes ? decodePostings(bytes) : new Map();
    }
    const upper = `${term}\uffff`;
    const first = this.shardOf(term);
    const last = this.shardOf(upper);
    const shards = await Promise.all(Array.from({ length: last - first + 1 }, (_, i) => this.shard(first + i)));
    const all = [];
    for (const s of shards) for (const [t, bytes] of s) if (t.startsWith(term)) all.push(decodePostings(bytes));
    return all.length ? mergePostings(all) : new Map();
  }

  /** What a result shows of a document: title, address, facts. */
  async card(id) {
    return (await this.cardFile(Math.floor(id / this.meta.cards)))[id % this.meta.cards] || {};
  }

  cardFile(n) {
    if (!this.docs.has(n)) {
      this.docs.set(n, fetch(this.url(`c/${n}.json`)).then((r) => (r.ok ? r.json() : [])).catch(() => []));
    }
    return this.docs.get(n);
  }

  /**
   * Where all cards are one file (a small site), fetches it now, so that a
   * query waits for its postings only, not for cards after them.
   */
  preloadCards() {
    if (this.meta.docs && this.meta.cards >= this.meta.docs) this.cardFile(0);
  }

  /** The text of a document (for its snippet). */
  async text(id, chunk = 0) {
    try {
      const r = await fetch(this.url(chunk ? `d/${id}-${chunk}.json` : `d/${id}.json`));
      return r.ok ? await r.json() : '';
    } catch {
      return ''; // no snippet; the result itself stands
    }
  }

  /** The documents having `value` for filter `name`. */
  async filter(name, value) {
    if (!this.filterSets.has(name)) {
      this.filterSets.set(name, fetch(this.url(`f/${name}.json`)).then((r) => (r.ok ? r.json() : {})));
    }
    return new Set((await this.filterSets.get(name))[value] || []);
  }
}

/** Where in positions `ps` (sorted) a phrase starts: every start. */
function phraseStarts(parts, lists) {
  // Anchor on the rarest term.
  let a = 0;
  for (let i = 1; i < parts.length; i++) if (lists[i].length < lists[a].length) a = i;
  const sets = lists.map((l) => (l.length > 8 ? new Set(l) : l));
  const has = (i, p) => (sets[i] instanceof Set ? sets[i].has(p) : sets[i].includes(p));
  const starts = [];
  for (const p of lists[a]) {
    const s = p - parts[a].off;
    if (s < 0) continue;
    if (parts.every((q, i) => i === a || has(i, s + q.off))) starts.push(s);
  }
  return starts;
}

/**
 * How a phrase matches each document that has it:
 * doc → { title: starts in the title, tl, body: number of places in the
 * body, at: the first of them }.
 */
function phraseMatches(phrase, postings) {
  const lists = phrase.parts.map((p) => postings.get(`${p.prefix ? '*' : ''}${p.term}`));
  const out = new Map();
  // Candidates: the documents of the rarest term that all terms share.
  let rarest = lists[0];
  for (const l of lists) if (l.size < rarest.size) rarest = l;
  for (const doc of rarest.keys()) {
    const es = lists.map((l) => l.get(doc));
    if (es.some((e) => !e)) continue;
    const title = phraseStarts(phrase.parts, es.map((e) => e.t));
    const starts = phraseStarts(phrase.parts, es.map((e) => e.b));
    const body = starts.length;
    // Starts come in order (positions are sorted): the first is the first place.
    if (title.length || body) out.set(doc, { title, tl: es[0].tl, body, at: starts[0] });
  }
  return out;
}

/**
 * Searches: the matching documents in order — title is the query, title
 * contains it, text contains it, then every word but not the whole — each
 * `{ doc, tier, at }` (at: the first place in the body). `filters`: name →
 * value; an empty query lists what the filters select.
 */
export async function search(index, query, filters = {}) {
  const plan = queryPlan(query);
  const keys = new Map();
  for (const p of [...plan.forms, ...plan.words]) {
    for (const t of p.parts) keys.set(`${t.prefix ? '*' : ''}${t.term}`, t);
  }
  const postings = new Map();
  await Promise.all([...keys].map(async ([k, t]) => postings.set(k, await index.postings(t.term, t.prefix))));
  let allowed = null;
  for (const [name, value] of Object.entries(filters)) {
    const set = await index.filter(name, value);
    allowed = allowed ? new Set([...allowed].filter((d) => set.has(d))) : set;
  }
  const ok = (d) => !allowed || allowed.has(d);
  if (!plan.forms.length) {
    // Nothing to look for: what the filters select (no filter: nothing).
    if (query.trim() || !allowed) return [];
    return [...allowed].sort((a, b) => a - b).map((doc) => ({ doc, tier: 2 }));
  }
  const best = new Map();
  // doc → [tier, -score, the first place in the body (for the snippet)]
  const note = (doc, tier, score, at) => {
    const b = best.get(doc);
    if (!b || tier < b[0] || (tier === b[0] && -score < b[1])) best.set(doc, [tier, -score, at]);
  };
  for (const f of plan.forms) {
    for (const [doc, m] of phraseMatches(f, postings)) {
      if (!ok(doc)) continue;
      if (m.title.includes(0) && m.tl === f.span) note(doc, 0, m.body + m.title.length, m.at);
      else if (m.title.length) note(doc, 1, m.body + m.title.length, m.at);
      else note(doc, 2, m.body, m.at);
    }
  }
  if (plan.words.length) {
    const each = plan.words.map((w) => phraseMatches(w, postings));
    const fewest = each.reduce((a, b) => (b.size < a.size ? b : a));
    for (const doc of fewest.keys()) {
      if (best.has(doc) || !ok(doc) || !each.every((m) => m.has(doc))) continue;
      // Words in the title count most.
      const ms = each.map((m) => m.get(doc));
      const ats = ms.map((m) => m.at).filter((a) => a !== undefined);
      const at = ats.length ? Math.min(...ats) : undefined;
      note(doc, 3, ms.filter((m) => m.title.length).length * 1000 + ms.reduce((a, m) => a + m.body, 0), at);
    }
  }
  // Within a tier: the more specific page (an initiative before a listing
  // that names it), then the more places, then the page order.
  const [c1, c2] = index.meta.classes || [Infinity, Infinity];
  const cls = (d) => (d >= c2 ? 2 : d >= c1 ? 1 : 0);
  return [...best]
    .sort((a, b) => a[1][0] - b[1][0] || cls(a[0]) - cls(b[0]) || a[1][1] - b[1][1] || a[0] - b[0])
    .map(([doc, [tier, , at]]) => ({ doc, tier, at }));
}

/**
 * The chunk of a document's text that holds body position `at`: a card's
 * `chunks` are the positions its further chunks start at.
 */
export function chunkOf(card, at) {
  const starts = (card && card.chunks) || [];
  let k = 0;
  while (at !== undefined && k < starts.length && starts[k] <= at) k++;
  return k;
}

// ------------------------------------------------------------ results

const plans = new Map();
/** The plan of a query, computed once. */
function planOf(query) {
  if (!plans.has(query)) {
    if (plans.size > 50) plans.clear();
    plans.set(query, queryPlan(query));
  }
  return plans.get(query);
}

/**
 * Where a query's phrases and words stand in one block of text (no line
 * breaks): ranges [from, to) of original characters.
 */
function blockMarks(text, plan) {
  const tokens = analyse(text, true);
  const at = new Map(); // pos → tokens
  for (const t of tokens) {
    if (!at.has(t.pos)) at.set(t.pos, []);
    at.get(t.pos).push(t);
  }
  const out = [];
  for (const p of [...plan.forms, ...plan.words]) {
    for (const t of tokens) {
      const hits = p.parts.map((q) => (at.get(t.pos + q.off) || []).find((x) => (q.prefix ? x.term.startsWith(q.term) : x.term === q.term)));
      if (hits.some((h) => !h) || hits[0] !== t) continue;
      const last = hits[hits.length - 1];
      // A prefix character marks only itself, not the bigram it starts.
      out.push([hits[0].from, p.parts[p.parts.length - 1].prefix ? last.mid : last.to]);
    }
  }
  return out;
}

/**
 * Where a query stands in a text — the whole query, or where the text does
 * not have it whole, its words: ranges [from, to) of original characters
 * (code points), merged, in order. With `upTo`, reading
 * stops at the first block that has one and ends after character `upTo`
 * (a snippet shows only the text around the first place).
 */
export function marks(text, query, upTo = Infinity) {
  const all = planOf(query);
  // The whole query where the text has it; its words only where it has not.
  const whole = { forms: all.forms, words: [] };
  const found = marksOf(text, whole, upTo);
  return found.length || !all.words.length ? found : marksOf(text, { forms: [], words: all.words }, upTo);
}

function marksOf(text, plan, upTo) {
  const out = [];
  let offset = 0;
  // Phrases never span blocks: each line is read on its own.
  for (const line of text.split('\n')) {
    if (out.length && offset > upTo) break;
    for (const [a, b] of blockMarks(line, plan)) out.push([a + offset, b + offset]);
    offset += [...line].length + 1;
  }
  out.sort((a, b) => a[0] - b[0]);
  const merged = [];
  for (const m of out) {
    const l = merged[merged.length - 1];
    if (l && m[0] <= l[1]) l[1] = Math.max(l[1], m[1]);
    else merged.push([...m]);
  }
  return merged;
}

/**
 * Marks the query in `text`: a window around the first place, as parts
 * `{ text, mark }` of plain text (never markup; see `snippetNodes`).
 * `width` 0: the whole text (a title).
 */
export function snippet(text, query, width = 70) {
  const chars = [...text.replace(/\n/g, ' ')];
  const whole = width === 0;
  // Enough to find the first place and every other one in its window.
  const merged = marks(text, query, whole ? Infinity : 0);
  const start = whole || !merged.length ? 0 : Math.max(0, merged[0][0] - width);
  const end = whole ? chars.length : Math.min(chars.length, (merged.length ? merged[0][1] : 0) + width * 2);
  if (!whole && merged.length) merged.splice(0, merged.length, ...marks(text, query, end));
  const parts = [];
  const push = (t, mark) => {
    if (!t) return;
    const last = parts[parts.length - 1];
    if (last && !last.mark && !mark) last.text += t;
    else parts.push({ text: t, mark });
  };
  if (start > 0) push('…', false);
  let pos = start;
  for (const [a, b] of merged) {
    if (b <= start || a >= end) continue;
    push(chars.slice(pos, Math.max(pos, a)).join(''), false);
    push(chars.slice(Math.max(a, pos), Math.min(b, end)).join(''), true);
    pos = Math.min(b, end);
  }
  push(chars.slice(pos, end).join('') + (end < chars.length ? '…' : ''), false);
  return parts;
}

/** The parts of a snippet as DOM nodes: text nodes and <mark> elements. */
function snippetNodes(parts) {
  return parts.map((p) => (p.mark ? el('mark', '', p.text) : document.createTextNode(p.text)));
}

/**
 * A record's address: the site root followed by the record's path, or null
 * when the path is not site-relative (a scheme such as `javascript:`, `//`,
 * `/`, a backslash, spaces or control characters).
 */
export function resultHref(root, href) {
  if (typeof href !== 'string' || href === '') return null;
  if (/^[a-z][a-z0-9+.-]*:/i.test(href) || /^[\/\\]/.test(href) || /[\u0000-\u0020\u007f\\]/.test(href)) return null;
  return root + href;
}

/**
 * The sentence announcing results: the singular form where the page's
 * language has one for this count ("1 result", never "1 results").
 */
export function countText(t, count, label, lang) {
  const form = new Intl.PluralRules(lang || 'ja').select(count);
  const text = count === 0 ? t.none : form === 'one' && t.count_one ? t.count_one : t.count;
  return text.replace('{count}', count).replace('{query}', label);
}

/** A tone class name from the index: letters, digits and `-` only. */
export function toneClass(tone) {
  return `tone-${/^[a-z0-9-]+$/.test(tone || '') ? tone : 'neutral'}`;
}

/** An element with a class and text (never markup). */
function el(tag, className, text) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

/**
 * One result: title link, facts with the status badge, and the snippet,
 * filled in by `fillSnippet` when the text has come — built node by node.
 */
function resultItem(m, root, query) {
  const li = el('li', 'search-result');
  const h2 = el('h2', 'result-title');
  const href = resultHref(root, m.href);
  const title = snippetNodes(snippet(m.title || '', query, 0));
  if (href !== null) {
    const a = el('a', '');
    a.append(...title);
    a.setAttribute('href', href);
    h2.append(a);
  } else {
    h2.append(...title);
  }
  const facts = el('p', 'result-facts', `${[m.kind, m.plan, m.department].filter(Boolean).join(' ・ ')} `);
  if (m.status) {
    const badge = el('span', `badge ${toneClass(m.status_tone)}`);
    if (m.status_symbol) {
      const symbol = el('span', 'badge-symbol', m.status_symbol);
      symbol.setAttribute('aria-hidden', 'true');
      badge.append(symbol, ' ');
    }
    badge.append(el('span', 'badge-label', m.status));
    facts.append(badge);
  }
  li.append(h2, facts, el('p', 'result-snippet'));
  return li;
}

function fillSnippet(li, text, query) {
  li.querySelector('.result-snippet').replaceChildren(...snippetNodes(snippet(text || '', query)));
}

// ---------------------------------------------------------------- the page

const FILTERS = ['plan', 'department', 'status', 'year', 'kind'];
const PAGE = 10;

async function main() {
  const app = document.getElementById('search-app');
  if (!app) return;
  const t = JSON.parse(document.getElementById('search-strings').textContent);
  const root = app.dataset.root;
  const form = document.getElementById('search-form');
  const input = document.getElementById('search-q');
  const status = document.getElementById('search-status');
  const list = document.getElementById('search-results');
  const more = document.getElementById('search-more');
  document.getElementById('search-nojs').hidden = true;
  // The lists the no-JavaScript notice links to, offered when nothing is found.
  const browse = document.createElement('div');
  browse.id = 'search-browse';
  browse.className = 'notice';
  browse.hidden = true;
  const intro = document.createElement('p');
  intro.textContent = t.browse;
  const links = document.getElementById('search-browse-links');
  browse.append(intro, ...(links ? [links.cloneNode(true)] : []));
  browse.querySelector('ul')?.removeAttribute('id');
  status.after(browse);

  let index;
  try {
    index = await new Index(new URL(app.dataset.bundle, document.baseURI)).init();
  } catch (e) {
    app.hidden = false;
    form.hidden = true;
    status.textContent = t.unavailable;
    return;
  }

  // The word segmenter takes a moment to start: start it now, not on the
  // first query.
  setTimeout(() => queryWords('検索語'), 0);
  setTimeout(() => index.preloadCards(), 0);

  // Filter menus, from the index.
  const available = index.meta.filters || {};
  const params = new URLSearchParams(location.search);
  for (const f of FILTERS) {
    const select = document.getElementById(`search-filter-${f}`);
    if (!select) continue;
    const values = Object.keys(available[f] || {}).sort((a, b) => a.localeCompare(b, document.documentElement.lang, { numeric: true }));
    if (!values.length) {
      select.closest('.search-filter').hidden = true;
      continue;
    }
    for (const v of values) {
      const o = document.createElement('option');
      o.value = v;
      o.textContent = `${v} (${available[f][v]})`;
      select.append(o);
    }
    select.value = params.get(f) || '';
    select.addEventListener('change', () => run(true));
  }
  input.value = params.get('q') || '';
  // Shown once it works, so that a query is never typed into a dead form.
  app.hidden = false;

  let results = [];
  let shown = 0;
  let filled = 0;
  let runId = 0;

  /** The next results: cards at once, snippets as their texts come. */
  async function showMore() {
    const id = runId;
    const next = results.slice(shown, shown + PAGE);
    const cards = await Promise.all(next.map((r) => index.card(r.doc)));
    if (id !== runId) return;
    const query = input.value.trim();
    const items = cards.map((c) => resultItem(c, root, query));
    list.append(...items);
    shown += items.length;
    delete list.dataset.snippets;
    more.hidden = shown >= results.length;
    // The texts are fetched at once, but read only once the list has been
    // painted (or after 50 ms where nothing is painted: a hidden tab).
    const painted = new Promise((done) => {
      requestAnimationFrame(() => setTimeout(done, 0));
      setTimeout(done, 50);
    });
    // Each result's snippet comes from the chunk of text its first match is in.
    // data-snippets is set once every listed result's snippet is filled
    // in, counted one by one (a batch finishing after the next one was
    // listed must not stand for the next one's).
    for (const [i, r] of next.entries()) {
      index.text(r.doc, chunkOf(cards[i], r.at)).then(async (text) => {
        await painted;
        if (id !== runId) return;
        fillSnippet(items[i], text, query);
        filled += 1;
        if (filled === shown) list.dataset.snippets = filled;
      });
    }
  }

  async function run(updateUrl) {
    const id = ++runId;
    const query = input.value.trim();
    const filters = {};
    const url = new URLSearchParams();
    if (query) url.set('q', query);
    for (const f of FILTERS) {
      const v = document.getElementById(`search-filter-${f}`)?.value;
      if (v) {
        filters[f] = v;
        url.set(f, v);
      }
    }
    if (updateUrl) history.replaceState(null, '', `${location.pathname}${url.toString() ? '?' + url : ''}`);
    list.replaceChildren();
    delete list.dataset.snippets;
    filled = 0;
    more.hidden = true;
    browse.hidden = true;
    if (!query && !Object.keys(filters).length) {
      status.textContent = '';
      return;
    }
    status.textContent = t.loading;
    performance.mark('search:start');
    let found;
    try {
      found = await search(index, query, filters);
      performance.mark('search:matched');
    } catch (e) {
      if (id === runId) status.textContent = t.unavailable;
      return;
    }
    if (id !== runId) return;
    results = found;
    shown = 0;
    await showMore();
    if (id !== runId) return;
    performance.mark('search:shown');
    app.dataset.count = results.length;
    const label = query ? `「${query}」` : t.filters;
    status.textContent = countText(t, results.length, label, document.documentElement.lang);
    // Nothing found: the lists by department and status are the way on.
    browse.hidden = results.length > 0;
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    run(true);
  });
  more.addEventListener('click', () => showMore());
  if (input.value || FILTERS.some((f) => params.get(f))) run(false);
}

if (typeof document !== 'undefined') main();
