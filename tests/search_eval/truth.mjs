// Ground truth for the search evaluation (eval.mjs): which built pages
// contain a query, from their visible text, normalised. Shared so that the
// browser test of issue 10 can assert with the same definitions.
//
// A page is an EXACT match when its normalised text contains the normalised
// query (several words: the whole phrase, words separated by one space), a
// PARTIAL match when it contains every word but not the phrase.

import { readFileSync, readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

// ------------------------------------------------------------ normalisation

// Years in any spelling → ` fyNNNN `: the same rules as src/search/tokenize.rs
// (`years`/`year_at`), written again here because search.js does not export
// them (it exports only `tokens`, whose bigrams are no use for phrase
// matching). Applied after NFKC and lower case.
const isWord = (c) => c !== undefined && /[0-9a-z]/.test(c);
function yearAt(s) {
  let m = s.match(/^(令和|平成|昭和)(元|[0-9]+)(年度|年)?/);
  if (m) {
    const n = m[2] === '元' ? 1 : parseInt(m[2], 10);
    if (n < 1 || n > 99) return null;
    return [m[0].length, { 令和: 2019, 平成: 1989, 昭和: 1926 }[m[1]] + n - 1];
  }
  m = s.match(/^([rh])([0-9]{1,2})(?![0-9a-z])(年度|年)?/);
  if (m) {
    const v = parseInt(m[2], 10);
    const y = (m[1] === 'r' ? 2018 : 1988) + v;
    if (v === 0 || (m[1] === 'h' && y > 2019)) return null;
    return [m[0].length, y];
  }
  m = s.match(/^fy([0-9]{4})(?![0-9a-z])/);
  if (m) return [6, parseInt(m[1], 10)];
  m = s.match(/^([0-9]{4})(年度|年)/);
  if (m && !/^[0-9]{5}/.test(s)) {
    const y = parseInt(m[1], 10);
    return y >= 1900 && y <= 2200 ? [m[0].length, y] : null;
  }
  return null;
}
function years(s) {
  let out = '';
  for (let i = 0; i < s.length; ) {
    const y = isWord(s[i - 1]) ? null : yearAt(s.slice(i, i + 12));
    if (y) {
      out += ` fy${y[1]} `;
      i += y[0];
    } else {
      out += s[i];
      i += 1;
    }
  }
  return out;
}

// Lucene's JapaneseKatakanaStemFilter: a word written wholly in katakana, of
// at least 4 characters (ー included), loses one final ー (コンピューター →
// コンピュータ, サーバー → サーバ, but カー stays). A "word" here is a maximal
// run of katakana and ー (・ separates words).
const katakanaStem = (s) => s.replace(/[\u30A1-\u30FA\u30FC-\u30FF]{4,}/g, (w) => (w.endsWith('ー') ? w.slice(0, -1) : w));

/**
 * NFKC (full-width Latin and digits → ASCII, half-width katakana →
 * full-width, ideographic space → space), lower case, years → fyNNNN,
 * katakana long-vowel stem; spaces collapsed. Block boundaries ("\n") are
 * kept so that a phrase never spans two blocks.
 */
export function norm(s) {
  let t = s.normalize('NFKC').toLowerCase();
  t = katakanaStem(years(t));
  return t
    .split('\n')
    .map((l) => l.replace(/\s+/g, ' ').trim())
    .filter(Boolean)
    .join('\n');
}

/** The words of a query, normalised. */
export const queryWords = (q) => norm(q.replace(/\n/g, ' ')).split(' ').filter(Boolean);

/** Where `needle` occurs in `text` as a match: ASCII words only at word boundaries (a plural s/es allowed). */
function contains(text, needle) {
  const ascStart = isWord(needle[0]);
  const ascEnd = isWord(needle[needle.length - 1]);
  for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
    if (ascStart && isWord(text[at - 1])) continue;
    if (ascEnd) {
      const after = text.slice(at + needle.length, at + needle.length + 3);
      if (isWord(after[0]) && !/^(s|es)(?![0-9a-z])/.test(after)) continue;
    }
    return true;
  }
  return false;
}

/** 'exact', 'partial' or null for a page's normalised text. */
export function matchOf(text, words) {
  if (words.length === 0) return null;
  if (contains(text, words.join(' '))) return 'exact';
  return words.every((w) => contains(text, w)) ? 'partial' : null;
}

// ------------------------------------------------------------ HTML to text

const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'param', 'source', 'track', 'wbr']);
const SKIP = new Set(['script', 'style', 'template', 'title', 'desc']); // svg <title>/<desc> are tooltips, not text on the page
// The status key repeated on every initiative page (凡例: 達成 概ね達成 …):
// boilerplate, not what the page says about its initiative; with it, every
// initiative page of a plan would "contain" every status word. (The plan and
// status pages explain the scale in a <dl class="legend">: those stay.)
const SKIP_CLASS = new Set(['legend-inline']);
const BLOCK = new Set(['address', 'article', 'aside', 'blockquote', 'br', 'button', 'caption', 'dd', 'details', 'div', 'dl', 'dt', 'figcaption', 'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hr', 'li', 'main', 'nav', 'ol', 'option', 'p', 'pre', 'section', 'select', 'summary', 'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'tr', 'ul', 'svg', 'text', 'g', 'figure', 'legend', 'fieldset']);
const ENT = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', hellip: '…', ndash: '–', mdash: '—', copy: '©', times: '×', rarr: '→', larr: '←', middot: '·', yen: '¥' };
const decode = (s) =>
  s.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (m, e) => {
    if (e[0] === '#') return String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    return ENT[e.toLowerCase()] ?? m;
  });

/** The visible text of the first <main> of a page, or null when it has none. */
export function mainText(html) {
  const start = html.search(/<main[\s>]/i);
  if (start < 0) return null;
  html = html.slice(start).replace(/<!--[\s\S]*?-->/g, '');
  let out = '';
  const stack = []; // open elements: [name, hidden]
  let skipDepth = 0; // >0 while inside a skipped or hidden element
  const re = /<(\/?)([a-zA-Z][a-zA-Z0-9-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>|([^<]+)|</g;
  for (let m; (m = re.exec(html)); ) {
    if (m[4] !== undefined || m[0] === '<') {
      if (!skipDepth) out += decode(m[0]).replace(/\s+/g, ' ');
      continue;
    }
    const close = m[1] === '/';
    const name = m[2].toLowerCase();
    const attrs = m[3] || '';
    if (close) {
      // Pop to the matching element.
      let i = stack.length - 1;
      while (i >= 0 && stack[i][0] !== name) i--;
      if (i < 0) continue;
      while (stack.length > i) {
        const [, skipped] = stack.pop();
        if (skipped) skipDepth--;
      }
      if (BLOCK.has(name) && !skipDepth) out += '\n';
      if (name === 'main' && stack.length === 0) break;
      continue;
    }
    if (BLOCK.has(name) && !skipDepth) out += '\n';
    if (VOID.has(name) || /\/\s*$/.test(attrs)) continue;
    const cls = (attrs.match(/\sclass\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/i) || []).slice(1).join(' ').split(/\s+/);
    const skipped = SKIP.has(name) || /(^|\s)hidden(\s|=|$)/i.test(attrs) || cls.some((c) => SKIP_CLASS.has(c));
    if (skipped) skipDepth++;
    stack.push([name, skipped]);
    if (name === 'script' || name === 'style') {
      // Raw text: jump to the end tag.
      const end = html.toLowerCase().indexOf(`</${name}`, re.lastIndex);
      re.lastIndex = end < 0 ? html.length : end;
    }
  }
  return out;
}

// ------------------------------------------------------------ ground truth

export function walk(d, out = []) {
  for (const e of readdirSync(d, { withFileTypes: true })) {
    const p = join(d, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (e.name.endsWith('.html')) out.push(p);
  }
  return out;
}

/** lang → Map(site-relative page path such as `plan/x/index.html` → normalised text). */
export function corpus(dir) {
  const pages = { ja: new Map(), en: new Map() };
  let skipped = 0;
  for (const file of walk(dir)) {
    const rel = relative(dir, file).split(sep).join('/');
    const lang = rel.startsWith('en/') ? 'en' : 'ja';
    const inLang = lang === 'en' ? rel.slice(3) : rel;
    if (inLang === '404.html' || inLang.startsWith('search/') || inLang.startsWith('pagefind/')) {
      skipped++;
      continue;
    }
    const text = mainText(readFileSync(file, 'utf8'));
    if (text === null) {
      skipped++;
      continue;
    }
    pages[lang].set(rel, norm(text));
  }
  return { pages, skipped };
}
