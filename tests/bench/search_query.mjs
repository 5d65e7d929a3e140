// Measures, in headless Chromium, what a search costs a resident:
// bytes downloaded (first query including the index's start-up, and each
// further query) and the time from Enter to results on screen.
//   node search_query.mjs --base URL --queries "q1,q2,..." [--rounds N]
//
// Times are taken inside the page, so that they measure the search and not
// the DevTools protocol that drives the browser: from the Enter key's
// `keydown` event to the first frame after the result list is in the
// document ("shown"), and to the moment every snippet of the first page of
// results is filled in ("snippets"). The round trip as the driver sees it
// (press, then poll until shown) is printed too, for comparison. Each round
// is a fresh browser context: nothing cached from the round before.
import { chromium } from '../browser/node_modules/playwright-core/index.mjs';

const arg = (k, d) => (process.argv.includes(`--${k}`) ? process.argv[process.argv.indexOf(`--${k}`) + 1] : d);
const base = arg('base');
const queries = arg('queries').split(',');
const rounds = Number(arg('rounds', '3'));
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});

// In the page: the time of Enter, of the first frame showing the results
// and of the last snippet.
function probe() {
  window.__search = {};
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && e.target.id === 'search-q') window.__search = { enter: e.timeStamp };
  }, true);
  new PerformanceObserver((list) => {
    for (const m of list.getEntries()) {
      if (m.name !== 'search:shown') continue;
      const s = window.__search;
      requestAnimationFrame(() => setTimeout(() => { s.shown = performance.now(); }, 0));
    }
  }).observe({ type: 'mark' });
  new MutationObserver(() => {
    const list = document.getElementById('search-results');
    if (list && list.dataset.snippets !== undefined && window.__search.enter !== undefined) window.__search.snippets ??= performance.now();
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-snippets'] });
}

async function round() {
  const context = await browser.newContext();
  await context.addInitScript(probe);
  const page = await context.newPage();
  let bytes = 0;
  page.on('response', async (r) => {
    if (r.url().includes('/search/idx/')) {
      try { bytes += (await r.body()).length; } catch { /* redirected or aborted */ }
    }
  });
  await page.goto(new URL('search/', base).href);
  await page.waitForSelector('#search-app:not([hidden])');
  // What the page loads before a query (on a small site: every card) has
  // come before a resident has typed one.
  await page.waitForLoadState('networkidle');
  const startup = bytes;
  const rows = [];
  for (const q of queries) {
    const before = bytes;
    await page.fill('#search-q', q);
    const t0 = await page.evaluate(() => performance.now());
    await page.press('#search-q', 'Enter');
    await page.waitForFunction(() => {
      const s = window.__search;
      return s.shown !== undefined && s.snippets !== undefined;
    });
    const t1 = await page.evaluate(() => performance.now());
    const s = await page.evaluate(() => window.__search);
    await page.waitForTimeout(300); // let late responses be counted
    const count = await page.evaluate(() => document.getElementById('search-app').dataset.count);
    rows.push({ q, shown: s.shown - s.enter, snippets: Math.max(s.snippets, s.shown) - s.enter, driver: t1 - t0, kb: (bytes - before) / 1024, count });
  }
  await context.close();
  return { startup, rows };
}

const all = [];
for (let r = 0; r < rounds; r++) all.push(await round());
await browser.close();

const med = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor((s.length - 1) / 2)]; };
const ms = (x) => `${Math.round(x)} ms`;
console.log(`  start-up (index metadata, filter counts; on a small site every card): ${(all[0].startup / 1024).toFixed(0)} KB`);
console.log(`  per query, median of ${rounds} cold rounds: results shown / snippets filled / driver round trip, KB downloaded`);
queries.forEach((q, i) => {
  const rs = all.map((a) => a.rows[i]);
  console.log(`  query ${q}: ${rs[0].count} results, ${ms(med(rs.map((r) => r.shown)))} / ${ms(med(rs.map((r) => r.snippets)))} / ${ms(med(rs.map((r) => r.driver)))}, ${med(rs.map((r) => r.kb)).toFixed(0)} KB`);
});
const later = all.flatMap((a) => a.rows.slice(1));
const worst = (k) => later.reduce((a, r) => (r[k] > a[k] ? r : a), later[0]);
console.log(`  queries after the first (${later.length}): results shown median ${ms(med(later.map((r) => r.shown)))}, worst ${ms(worst('shown').shown)} (${worst('shown').q})`);
console.log(`    snippets filled median ${ms(med(later.map((r) => r.snippets)))}, worst ${ms(worst('snippets').snippets)} (${worst('snippets').q}); driver round trip median ${ms(med(later.map((r) => r.driver)))}, worst ${ms(worst('driver').driver)}`);
console.log(`    bytes: median ${med(later.map((r) => r.kb)).toFixed(0)} KB, most ${Math.max(...later.map((r) => r.kb)).toFixed(0)} KB per query`);
const first = all.map((a) => a.rows[0]);
console.log(`  first query incl. start-up: ${ms(med(first.map((r) => r.shown)))} shown, ${((all[0].startup / 1024) + first[0].kb).toFixed(0)} KB`);
