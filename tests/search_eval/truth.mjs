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

// English plural stem (Harman's S-stemmer): policies → policy, boxes → box,
// plans → plan; words of three letters or fewer stay. Written again here
// (not imported from search.js) so that the truth does not share a bug.
function stem(w) {
  if (w.length <= 3 || !/^[a-z]+$/.test(w)) return w;
  if (/ies$/.test(w) && !/[ea]ies$/.test(w)) return w.slice(0, -3) + 'y';
  if (/(sses|shes|ches|xes|zes)$/.test(w)) return w.slice(0, -2);
  if (/s$/.test(w) && !/(ss|us|is)$/.test(w)) return w.slice(0, -1);
  return w;
}

const CJK_CLASS = '\\u3041-\\u309F\\u30A1-\\u30FA\\u30FC-\\u30FF\\u3400-\\u4DBF\\u4E00-\\u9FFF\\uF900-\\uFAFF々〆';

/**
 * NFKC (full-width Latin and digits → ASCII, half-width katakana →
 * full-width, ideographic space → space), lower case, years → fyNNNN,
 * katakana long-vowel stem; a hyphen between two Latin words is a space
 * (e-mail = e mail); spaces collapsed, and none kept between Japanese
 * script and Latin letters or digits (DX 推進 = DX推進: Japanese typesetting
 * puts them in or leaves them out); English words plural-stemmed. Block
 * boundaries ("\n") are kept so that a phrase never spans two blocks.
 */
export function norm(s) {
  let t = s.normalize('NFKC').toLowerCase();
  t = katakanaStem(years(t));
  const cjkLatin = new RegExp(`([${CJK_CLASS}]) +(?=[0-9a-z])|([0-9a-z]) +(?=[${CJK_CLASS}])`, 'g');
  return t
    .split('\n')
    .map((l) =>
      l
        .replace(/([0-9a-z])-(?=[0-9a-z])/g, '$1 ')
        .replace(/\s+/g, ' ')
        .trim()
        .replace(cjkLatin, '$1$2')
        .replace(/[a-z]+/g, stem),
    )
    .filter(Boolean)
    .join('\n');
}

/** The words of a query, normalised. */
export const queryWords = (q) => norm(q.replace(/\n/g, ' ')).split(' ').filter(Boolean);

/** Where `needle` occurs in `text` as a match: ASCII words only at word boundaries. */
function contains(text, needle) {
  const ascStart = isWord(needle[0]);
  const ascEnd = isWord(needle[needle.length - 1]);
  for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
    if (ascStart && isWord(text[at - 1])) continue;
    if (ascEnd && isWord(text[at + needle.length])) continue;
    return true;
  }
  return false;
}

/**
 * The spellings of a phrase (normalised words joined by spaces) that count
 * as it: as written; two adjacent English words written as one (child care
 * = childcare); one English word written as two (childcare = child care).
 */
function spellings(phrase) {
  const ws = phrase.split(' ');
  const out = [phrase];
  const latin = (w) => /^[a-z]+$/.test(w);
  for (let i = 0; i + 1 < ws.length; i++) {
    if (latin(ws[i]) && latin(ws[i + 1])) out.push([...ws.slice(0, i), stem(ws[i] + ws[i + 1]), ...ws.slice(i + 2)].join(' '));
  }
  ws.forEach((w, i) => {
    if (!latin(w)) return;
    for (let k = 1; k < w.length; k++) out.push([...ws.slice(0, i), w.slice(0, k), w.slice(k), ...ws.slice(i + 1)].join(' '));
  });
  return out;
}

const containsAny = (text, phrase) => spellings(phrase).some((p) => contains(text, p));

/**
 * 'exact', 'partial' or null for a page's normalised text. `words`: the
 * query's words, normalised; `typed` (optional): the query as typed,
 * normalised, when it is not simply the words joined by spaces (a Japanese
 * compound split into its dictionary words).
 */
export function matchOf(text, words, typed = words.join(' ')) {
  if (words.length === 0) return null;
  if (containsAny(text, typed)) return 'exact';
  return words.length > 1 && words.every((w) => containsAny(text, w)) ? 'partial' : null;
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
  let past = 0;
  for (const file of walk(dir)) {
    const rel = relative(dir, file).split(sep).join('/');
    const lang = rel.startsWith('en/') ? 'en' : 'ja';
    const inLang = lang === 'en' ? rel.slice(3) : rel;
    if (inLang === '404.html' || inLang.startsWith('search/') || inLang.startsWith('pagefind/')) {
      skipped++;
      continue;
    }
    const html = readFileSync(file, 'utf8');
    // A past report (the archive): the search covers the current reports;
    // past ones are reached from their plan's page.
    if (html.includes('class="notice notice-edition"')) {
      past++;
      continue;
    }
    const text = mainText(html);
    if (text === null) {
      skipped++;
      continue;
    }
    pages[lang].set(rel, norm(text));
  }
  return { pages, skipped, past };
}
