// Measures, in headless Chromium, what a search costs a resident:
// bytes downloaded (first query including the index's start-up, and each
// further query) and the time from Enter to results shown.
//   node search_query.mjs --base URL --queries "q1,q2,..."
import { chromium } from '../browser/node_modules/playwright-core/index.mjs';

const arg = (k) => process.argv[process.argv.indexOf(`--${k}`) + 1];
const base = arg('base');
const queries = arg('queries').split(',');
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const page = await browser.newPage();
let bytes = 0;
page.on('response', async (r) => {
  if (r.url().includes('/search/idx/')) {
    try { bytes += (await r.body()).length; } catch { /* redirected or aborted */ }
  }
});
await page.goto(new URL('search/', base).href);
await page.waitForSelector('#search-app:not([hidden])');
const startup = bytes;
const rows = [];
for (const q of queries) {
  const before = bytes;
  await page.fill('#search-q', q);
  const t0 = await page.evaluate(() => performance.now());
  await page.press('#search-q', 'Enter');
  await page.waitForFunction((q) => {
    const app = document.getElementById('search-app');
    const s = document.getElementById('search-status').textContent;
    return app.dataset.count !== undefined && s.includes(q) && !s.endsWith('…') &&
      (document.querySelectorAll('.search-result').length > 0 || app.dataset.count === '0');
  }, q);
  const t1 = await page.evaluate(() => performance.now());
  await page.waitForTimeout(300); // let late fragment responses be counted
  const count = await page.evaluate(() => document.getElementById('search-app').dataset.count);
  rows.push({ q, ms: Math.round(t1 - t0), kb: (bytes - before) / 1024, count });
  await page.evaluate(() => { delete document.getElementById('search-app').dataset.count; });
}
await browser.close();
const med = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
console.log(`  start-up (search.js, index metadata and filter counts): ${(startup / 1024).toFixed(0)} KB`);
for (const r of rows) console.log(`  query ${r.q}: ${r.count} results, ${r.ms} ms, ${r.kb.toFixed(0)} KB downloaded`);
const later = rows.slice(1);
const worst = later.reduce((a, r) => (r.ms > a.ms ? r : a), later[0] || rows[0]);
console.log(`  queries after the first: median ${med(later.map((r) => r.ms))} ms, worst ${worst.ms} ms (${worst.q}); median ${med(later.map((r) => r.kb)).toFixed(0)} KB, most ${Math.max(...later.map((r) => r.kb)).toFixed(0)} KB`);
console.log(`  first query incl. start-up: ${rows[0].ms} ms, ${((startup / 1024) + rows[0].kb).toFixed(0)} KB`);
