// Hostile content in headless Chromium (run by tests/hostile.rs):
//
//   node hostile.mjs --dir <public dir> --base <URL of that dir> --symbol <s> [--symbol <s> …]
//
// Opens every HTML page of the hostile fixture site, then the search page of
// each language with queries that list the hostile records (so that the
// result list renders their titles, departments, status symbols and
// snippets), and fails when
//   - a dialog opens (the vectors call alert(1)),
//   - window.__xss is set (the vectors set it),
//   - any element of the live DOM has an on… attribute,
//   - any a[href], [src], form[action], [formaction], [xlink:href] or
//     object[data] resolves to a javascript: (or data:) address,
//   - a script runs that is not the theme's own, or a page throws,
// or when the hostile text is not shown as text where it belongs (site
// title, result titles, status symbols given with --symbol, filter options).
// Prints `ok …`/`FAIL …` lines and a summary; exit 1 on any failure.

import { chromium } from 'playwright-core';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const argv = process.argv.slice(2);
const arg = (k) => argv[argv.indexOf(`--${k}`) + 1];
const all = (k) => argv.flatMap((a, i) => (a === `--${k}` ? [argv[i + 1]] : []));
const dir = arg('dir');
const base = arg('base').endsWith('/') ? arg('base') : arg('base') + '/';
const symbols = all('symbol');

let failed = 0;
const check = (name, ok, why) => {
  if (ok) console.log(`ok ${name}`);
  else {
    failed++;
    console.log(`FAIL ${name}: ${why}`);
  }
};

function htmlFiles(d) {
  const out = [];
  for (const name of readdirSync(d).sort()) {
    const p = join(d, name);
    if (statSync(p).isDirectory()) {
      if (name !== 'pagefind') out.push(...htmlFiles(p));
    } else if (name.endsWith('.html')) out.push(relative(dir, p).split('\\').join('/'));
  }
  return out;
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
});
const context = await browser.newContext();
const page = await context.newPage();
let dialogs = [];
let errors = [];
page.on('dialog', (d) => {
  dialogs.push(`${d.type()} ${d.message()}`);
  d.dismiss().catch(() => {});
});
page.on('pageerror', (e) => errors.push(e.message));

/** What the live DOM of the page does that content could have made it do. */
const inspect = () => {
  const bad = [];
  const urlAttrs = ['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'poster', 'background', 'srcdoc'];
  for (const el of document.querySelectorAll('*')) {
    for (const a of el.attributes) {
      const name = a.name.toLowerCase();
      if (/^on./.test(name)) bad.push(`<${el.localName} ${a.name}="${a.value}">`);
      if (urlAttrs.includes(name)) {
        let protocol = '';
        try {
          protocol = new URL(a.value, document.baseURI).protocol;
        } catch {
          continue;
        }
        const favicon = el.localName === 'link' && el.rel === 'icon' && a.value === 'data:,';
        if (protocol === 'javascript:' || protocol === 'vbscript:' || (protocol === 'data:' && !favicon) || name === 'srcdoc') {
          bad.push(`<${el.localName} ${a.name}="${a.value}">`);
        }
      }
    }
  }
  for (const el of document.querySelectorAll('iframe, frame, object, embed, base, meta[http-equiv], style')) {
    bad.push(`<${el.localName}>: ${el.outerHTML.slice(0, 120)}`);
  }
  for (const s of document.querySelectorAll('script')) {
    const theirs = s.type === 'module' ? !/\/assets\/(search|print)\.js$/.test(new URL(s.getAttribute('src') || '', document.baseURI).pathname) || s.text !== ''
      : !((s.type === 'application/json' && s.id === 'search-strings')
        // The open data page's schema.org Dataset: data, with no `<` in it.
        || (s.type === 'application/ld+json' && !s.hasAttribute('src') && !s.text.includes('<') && /\/data\/(index\.html)?$/.test(location.pathname)));
    if (theirs) bad.push(`<script>: ${s.outerHTML.slice(0, 120)}`);
  }
  return {
    bad,
    xss: window.__xss,
    siteTitle: document.querySelector('.site-title')?.textContent || '',
  };
};

/** Waits briefly for a late payload (an image error after results render). */
async function settle(ms) {
  await page.waitForFunction(() => window.__xss !== undefined, null, { timeout: ms }).catch(() => {});
}

function verdict(name, r) {
  const why = [];
  if (dialogs.length) why.push(`dialog: ${dialogs.join(' | ')}`);
  if (r.xss !== undefined) why.push(`window.__xss = ${r.xss}`);
  if (r.bad.length) why.push(r.bad.join(' ; '));
  if (errors.length) why.push(`script errors: ${errors.join(' | ')}`);
  check(name, why.length === 0, why.join(' ; '));
  dialogs = [];
  errors = [];
}

// 1. Every page, as built.
const pages = htmlFiles(dir);
let shownAsText = 0;
for (const rel of pages) {
  await page.goto(new URL(rel, base).href, { waitUntil: 'load' });
  await settle(50);
  const r = await page.evaluate(inspect);
  verdict(`page ${rel}`, r);
  // The hostile site title is in every page's header, as text.
  if (/window\.__xss|alert\(1\)/.test(r.siteTitle)) shownAsText++;
}
check('the hostile site title is text on every page', shownAsText === pages.length, `${shownAsText} of ${pages.length}`);

// 2. The search page, with queries that list the hostile records.
const queries = { '': ['攻撃', 'onerror', '悪意', 'script'], 'en/': ['attack', 'onerror', 'script', '攻撃'] };
let rendered = 0;
const seenSymbols = new Set();
let titlesAsText = 0;
let marks = 0;

async function results() {
  await page.waitForFunction(() => {
    const s = document.getElementById('search-status').textContent;
    return s && !s.endsWith('…') && (document.querySelectorAll('.search-result').length > 0 || /0|ありません|No pages/.test(s));
  });
  // Every page of results, so that every hostile record is rendered.
  while (await page.isVisible('#search-more')) {
    const n = await page.$$eval('.search-result', (l) => l.length);
    await page.click('#search-more');
    await page.waitForFunction((n) => document.querySelectorAll('.search-result').length > n, n);
  }
  await settle(500);
  return page.evaluate(() => [...document.querySelectorAll('.search-result')].map((li) => ({
    title: li.querySelector('.result-title')?.textContent || '',
    symbol: li.querySelector('.badge-symbol')?.textContent || null,
    marks: li.querySelectorAll('.result-snippet mark').length,
  })));
}

for (const [lang, qs] of Object.entries(queries)) {
  const site = lang || 'ja/';
  for (const q of qs) {
    await page.goto(new URL(`${lang}search/?q=${encodeURIComponent(q)}`, base).href);
    await page.waitForSelector('#search-app:not([hidden])');
    const list = await results();
    check(`search ${site} ${q}: results`, list.length > 0, 'no results');
    rendered += list.length;
    for (const x of list) {
      if (x.symbol !== null) seenSymbols.add(`${lang}${x.symbol}`);
      if (/[<>]/.test(x.title)) titlesAsText++;
      marks += x.marks;
    }
    verdict(`search ${site} ${q}`, await page.evaluate(inspect));
  }
  // A filter whose options are hostile department names, chosen in the form.
  await page.goto(new URL(`${lang}search/?q=${encodeURIComponent(qs[0])}`, base).href);
  await page.waitForSelector('#search-app:not([hidden])');
  await page.waitForFunction(() => document.querySelectorAll('#search-filter-department option').length > 1);
  const options = await page.$$eval('#search-filter-department option', (o) => o.map((x) => x.textContent));
  check(`search ${site}: department options are text`, options.some((o) => /<[a-z]/i.test(o)), JSON.stringify(options));
  await page.selectOption('#search-filter-department', { index: 1 });
  const list = await results();
  check(`search ${site} filtered by department: results`, list.length > 0, 'no results');
  rendered += list.length;
  verdict(`search ${site} filtered by department`, await page.evaluate(inspect));
}
for (const lang of Object.keys(queries)) {
  for (const s of symbols) {
    check(`search ${lang || 'ja/'}: the status symbol ${s} is shown as text`, seenSymbols.has(`${lang}${s}`), JSON.stringify([...seenSymbols]));
  }
}
check('result titles show hostile text as text', titlesAsText > 0, `${titlesAsText}`);
check('snippets are highlighted', marks > 0, `${marks}`);

await browser.close();
console.log(`checked ${pages.length} pages and ${Object.values(queries).flat().length + 2} searches; ${rendered} results rendered`);
console.log(failed ? `${failed} failure(s)` : 'all hostile checks passed');
process.exit(failed ? 1 : 0);
