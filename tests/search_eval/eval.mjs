// Search evaluation: for every query in queries.json, the pages that truly
// contain it (ground truth from the built pages' visible text) against what
// the search page returns in headless Chromium; precision, recall of exact
// matches, ranking violations, time and bytes per query.
//
//   node tests/search_eval/eval.mjs --base <URL of the site root> --dir <built site folder>
//        [--queries FILE] [--only q1,q2] [--verbose] [--json FILE] [--assert]
//
// Figures are printed; with --assert the run fails (exit 1) unless every
// query is free of violations (a result lacking a word of the query, an
// exact match ranked below a partial one, a result with nothing
// highlighted) and exact recall overall is at least 0.95.
//
// Ground truth (truth.mjs): the text of each page's <main>, HTML to text in
// node, normalised (NFKC, lower case, years → fyNNNN, katakana long-vowel
// stem); EXACT = contains the phrase, PARTIAL = every word but not the phrase.

import { chromium } from '../browser/node_modules/playwright-core/index.mjs';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { corpus, matchOf, queryWords } from './truth.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
const arg = (k, d) => (argv.includes(`--${k}`) ? argv[argv.indexOf(`--${k}`) + 1] : d);
const flag = (k) => argv.includes(`--${k}`);
const base = arg('base');
const dir = arg('dir');
if (!base || !dir) {
  console.error('usage: node eval.mjs --base <site root URL> --dir <built site folder> [--queries FILE] [--only q1,q2] [--verbose] [--json FILE] [--assert]');
  process.exit(2);
}
let queries = JSON.parse(readFileSync(arg('queries', join(here, 'queries.json')), 'utf8'));
if (arg('only')) {
  const only = new Set(arg('only').split(','));
  queries = queries.filter((q) => only.has(q.q));
}
const verbose = flag('verbose');

// ------------------------------------------------------------ the browser

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
});
const errors = [];

/**
 * One query through the search page's own form, in a fresh browser context
 * (empty cache, so bytes do not depend on the order of the queries): load
 * the page, wait until it is ready (index metadata and filters loaded), type
 * the query and press Enter. ms = Enter → the first page of results shown
 * (or "no results" announced); msSnippets = until their snippets are filled
 * in too (the texts come after the cards); kb = index responses after ready until then (plus
 * 300 ms for late ones); kbAll adds what "more" downloads until every result
 * is listed.
 */
async function runQuery(lang, q) {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  page.on('pageerror', (e) => errors.push(`${q}: ${e.message}`));
  let phase = 'startup';
  const sizes = { startup: [], query: [], more: [] };
  page.on('response', (r) => {
    if (!/\/(search\/idx|pagefind)\//.test(r.url())) return;
    sizes[phase].push(r.body().then((b) => b.length, () => 0));
  });
  await page.goto(new URL(lang === 'en' ? 'en/search/' : 'search/', base).href);
  await page.waitForSelector('#search-app:not([hidden])');
  await page.waitForLoadState('networkidle');
  // The words of the query as the search page splits it (spaces, and the
  // dictionary words of a Japanese compound, by the browser's segmenter).
  // (The Pagefind search page of a40d475 and before split at spaces only.)
  const words = await page.evaluate(async (q) => {
    const src = document.querySelector('script[src*="search.js"]').src;
    const m = await import(src);
    return m.queryWords ? m.queryWords(q) : q.split(/\s+/).filter(Boolean);
  }, q);
  phase = 'query';
  await page.fill('#search-q', q);
  const t0 = await page.evaluate(() => performance.now());
  await page.press('#search-q', 'Enter');
  const shown = await page.waitForFunction(() => {
    const app = document.getElementById('search-app');
    const c = app.dataset.count;
    if (c === undefined) return false;
    const n = document.querySelectorAll('.search-result').length;
    // The count is announced once the first page of results is in the list.
    return (c === '0' || n > 0) ? performance.now() : false;
  }, null, { polling: 'raf', timeout: 60000 });
  const t1 = await shown.jsonValue();
  // …and every shown result's snippet filled in.
  const filled = await page.waitForFunction(() => {
    const app = document.getElementById('search-app');
    const snippets = document.getElementById('search-results').dataset.snippets !== undefined;
    // (The Pagefind search page showed its snippets with the results.)
    const legacy = !!document.querySelector('script[src*="search.js"]') && !document.querySelector('#search-app[data-bundle$="idx/"]');
    return (app.dataset.count === '0' || snippets || legacy) ? performance.now() : false;
  }, null, { polling: 'raf', timeout: 60000 });
  const t2 = await filled.jsonValue();
  await page.waitForTimeout(300);
  phase = 'more';
  const count = parseInt(await page.evaluate(() => document.getElementById('search-app').dataset.count), 10);
  for (;;) {
    const listed = await page.$$eval('.search-result', (x) => x.length);
    if (listed >= count || (await page.$eval('#search-more', (b) => b.hidden))) break;
    // A DOM click: results below the fold are laid out as they are scrolled
    // to (content-visibility), so the button can move between Playwright's
    // scroll and its pointer click; what is measured here is the list.
    await page.$eval('#search-more', (b) => b.click());
    await page.waitForFunction((n) => document.querySelectorAll('.search-result').length > n, listed, { timeout: 60000 });
  }
  await page.waitForLoadState('networkidle');
  // Every listed result's snippet filled in (our page says how many are).
  await page.waitForFunction(() => {
    const list = document.getElementById('search-results');
    const legacy = !document.querySelector('#search-app[data-bundle$="idx/"]');
    return legacy || list.children.length === 0 || list.dataset.snippets === String(list.children.length);
  }, null, { timeout: 60000 });
  const res = await page.evaluate(() => ({
    status: document.getElementById('search-status').textContent,
    hrefs: [...document.querySelectorAll('.search-result')].map((li) => {
      const a = li.querySelector('.result-title a');
      // Highlighted: the query (or its words) marked in the title or snippet.
      return { href: a ? a.href : null, title: li.querySelector('.result-title').textContent.trim(), marked: !!li.querySelector('mark') };
    }),
  }));
  const sum = async (ps) => (await Promise.all(ps)).reduce((a, b) => a + b, 0);
  const kb = (await sum(sizes.query)) / 1024;
  const kbAll = kb + (await sum(sizes.more)) / 1024;
  await ctx.close();
  return { count, ms: t1 - t0, msSnippets: t2 - t0, kb, kbAll, words, ...res };
}

/** A result's address → the built page it shows (`plan/t-001/` → `plan/t-001/index.html`), without `#…` or `?…`. */
function pageOf(href) {
  if (!href) return null;
  const u = new URL(href);
  const root = new URL(base);
  if (u.origin !== root.origin || !u.pathname.startsWith(root.pathname)) return null;
  let p = decodeURIComponent(u.pathname.slice(root.pathname.length));
  if (p === '' || p.endsWith('/')) p += 'index.html';
  return p;
}

// ------------------------------------------------------------ the run

const { pages, skipped, past } = corpus(dir);
console.log(`ground truth: ${pages.ja.size} Japanese and ${pages.en.size} English pages (${skipped} skipped: 404, search, no <main>; ${past} pages of past reports, which the search does not cover)`);

// Warm-up (not counted): the browser, the server and the disk cache.
for (const lang of ['ja', 'en']) await runQuery(lang, lang === 'ja' ? '防災' : 'online');
errors.length = 0;

const rows = [];
for (const { q, lang, kind } of queries) {
  const r = await runQuery(lang, q);
  // The page's words must be pieces of what was typed, in order: nothing
  // more, nothing less (else "every word" would mean something else).
  if (r.words.join('') !== q.split(/\s+/).join('')) errors.push(`${q}: the search page split it into ${JSON.stringify(r.words)}`);
  const words = r.words.flatMap(queryWords);
  const typed = queryWords(q).join(' ');
  const truth = pages[lang];
  const exact = new Set();
  const partial = new Set();
  for (const [p, text] of truth) {
    const m = matchOf(text, words, typed);
    if (m === 'exact') exact.add(p);
    else if (m === 'partial') partial.add(p);
  }
  const marks = r.hrefs.map(({ href }) => {
    const p = pageOf(href);
    if (p === null || !truth.has(p)) return 'X'; // not a page of the site in this language
    return exact.has(p) ? 'E' : partial.has(p) ? 'P' : 'N';
  });
  const nE = marks.filter((m) => m === 'E').length;
  const nP = marks.filter((m) => m === 'P').length;
  const lacking = marks.filter((m) => m === 'N' || m === 'X').length;
  const firstP = marks.indexOf('P');
  const inversions = firstP < 0 ? 0 : marks.slice(firstP).filter((m) => m === 'E').length;
  const row = {
    q, lang, kind, words, results: r.count, listed: r.hrefs.length, truthExact: exact.size, truthPartial: partial.size,
    exactFound: nE, partialFound: nP, lacking, inversions, unmarked: r.hrefs.filter((h) => !h.marked).length,
    precision: r.count ? (nE + nP) / r.hrefs.length : null,
    recall: exact.size ? nE / exact.size : null,
    ms: r.ms, msSnippets: r.msSnippets, kb: r.kb, kbAll: r.kbAll, status: r.status, marks: marks.join(''),
    results_list: r.hrefs.map((h, i) => ({ page: pageOf(h.href), title: h.title, mark: marks[i] })),
    missed: [...exact].filter((p) => !r.hrefs.some((h) => pageOf(h.href) === p)),
  };
  rows.push(row);
  if (verbose) {
    console.log(`\n# ${lang} ${JSON.stringify(q)} → ${JSON.stringify(words)}: status ${JSON.stringify(r.status)}`);
    console.log(`  ranked: ${row.marks || '(none)'}`);
    for (const x of row.results_list.filter((x) => x.mark === 'N' || x.mark === 'X').slice(0, 10)) console.log(`  lacks a word: ${x.page} (${x.title})`);
    for (const p of row.missed.slice(0, 10)) console.log(`  exact, not found: ${p}`);
    for (const h of r.hrefs.filter((x) => !x.marked).slice(0, 10)) console.log(`  nothing highlighted: ${pageOf(h.href)} (${h.title})`);
    if (row.missed.length > 10) console.log(`  … ${row.missed.length - 10} more exact pages not found`);
  }
}
await browser.close();

// ------------------------------------------------------------ the report

const f2 = (x) => (x === null ? '-' : x.toFixed(2));
const cols = [
  ['lang', (r) => r.lang],
  ['kind', (r) => r.kind],
  ['query', (r) => r.q],
  ['results', (r) => String(r.results)],
  ['truthE', (r) => String(r.truthExact)],
  ['truthP', (r) => String(r.truthPartial)],
  ['E', (r) => String(r.exactFound)],
  ['P', (r) => String(r.partialFound)],
  ['lack', (r) => String(r.lacking)],
  ['E<P', (r) => String(r.inversions)],
  ['unmarked', (r) => String(r.unmarked)],
  ['prec', (r) => f2(r.precision)],
  ['recallE', (r) => f2(r.recall)],
  ['ms', (r) => String(Math.round(r.ms))],
  ['ms+snip', (r) => String(Math.round(r.msSnippets))],
  ['KB', (r) => r.kb.toFixed(0)],
  ['KBall', (r) => r.kbAll.toFixed(0)],
];
// Display width: East Asian characters take two columns.
const width = (s) => [...s].reduce((n, c) => n + (/[\u1100-\u115F\u2E80-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6]/.test(c) ? 2 : 1), 0);
const pad = (s, w, right) => (right ? ' '.repeat(Math.max(0, w - width(s))) + s : s + ' '.repeat(Math.max(0, w - width(s))));
const table = [cols.map((c) => c[0]), ...rows.map((r) => cols.map((c) => c[1](r)))];
const ws = cols.map((_, i) => Math.max(...table.map((t) => width(t[i]))));
console.log('');
for (const t of table) console.log(t.map((s, i) => pad(s, ws[i], i >= 3)).join('  '));

const sum = (f) => rows.reduce((a, r) => a + f(r), 0);
const med = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };
const listed = sum((r) => r.listed);
const precision = listed ? sum((r) => r.exactFound + r.partialFound) / listed : null;
const recall = sum((r) => r.truthExact) ? sum((r) => r.exactFound) / sum((r) => r.truthExact) : null;
const withRecall = rows.filter((r) => r.recall !== null);
const withPrec = rows.filter((r) => r.precision !== null);
const violating = rows.filter((r) => r.lacking > 0 || r.inversions > 0 || r.unmarked > 0);
const worst = rows.reduce((a, r) => (r.ms > a.ms ? r : a), rows[0]);
console.log('');
console.log(`queries: ${rows.length} (${rows.filter((r) => r.lang === 'ja').length} Japanese, ${rows.filter((r) => r.lang === 'en').length} English)`);
console.log(`precision overall (results that are exact or partial matches / results): ${f2(precision)} (${sum((r) => r.exactFound + r.partialFound)} of ${listed}); mean per query with results: ${f2(withPrec.length ? withPrec.reduce((a, r) => a + r.precision, 0) / withPrec.length : null)}`);
console.log(`exact recall overall (exact pages found / exact pages): ${f2(recall)} (${sum((r) => r.exactFound)} of ${sum((r) => r.truthExact)}); mean per query with exact pages: ${f2(withRecall.length ? withRecall.reduce((a, r) => a + r.recall, 0) / withRecall.length : null)}`);
console.log(`results lacking a word of the query: ${sum((r) => r.lacking)} in ${rows.filter((r) => r.lacking > 0).length} queries; exact matches ranked below a partial one: ${sum((r) => r.inversions)} in ${rows.filter((r) => r.inversions > 0).length} queries`);
console.log(`results with nothing highlighted (title or snippet): ${sum((r) => r.unmarked)} in ${rows.filter((r) => r.unmarked > 0).length} queries`);
console.log(`queries with violations: ${violating.length} of ${rows.length}`);
console.log(`time (Enter → results shown): median ${Math.round(med(rows.map((r) => r.ms)))} ms, worst ${Math.round(worst.ms)} ms (${worst.q})`);
const worstS = rows.reduce((a, r) => (r.msSnippets > a.msSnippets ? r : a), rows[0]);
console.log(`time (Enter → their snippets filled in): median ${Math.round(med(rows.map((r) => r.msSnippets)))} ms, worst ${Math.round(worstS.msSnippets)} ms (${worstS.q})`);
console.log(`bytes per query (after the page is ready): median ${med(rows.map((r) => r.kb)).toFixed(0)} KB to the first results, ${med(rows.map((r) => r.kbAll)).toFixed(0)} KB listing all results`);
const unlisted = rows.filter((r) => r.listed !== r.results);
if (unlisted.length) console.log(`WARNING: not every result could be listed for ${unlisted.map((r) => r.q).join(', ')}`);
if (errors.length) console.log(`script errors: ${errors.join('; ')}`);
if (arg('json')) writeFileSync(arg('json'), JSON.stringify(rows, null, 1));

if (flag('assert')) {
  const ok = violating.length === 0 && recall !== null && recall >= 0.95 && errors.length === 0;
  console.log(ok ? 'search evaluation: all assertions hold' : 'search evaluation: FAIL (violations: a result lacking a word, an exact match below a partial one or nothing highlighted; exact recall < 0.95; or script errors)');
  process.exit(ok ? 0 : 1);
}
