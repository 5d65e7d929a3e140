// Live reload in headless Chromium (run by tests/serve.rs):
//   node serve.mjs --url <page served by mieruka serve> --file <its content file>
// Edits the file and waits for the page to reload by itself with the new
// text; breaks it and waits for the error overlay; fixes it and waits for
// the overlay to go.
import { chromium } from 'playwright-core';
import { readFileSync, writeFileSync } from 'node:fs';

const arg = (k) => process.argv[process.argv.indexOf(`--${k}`) + 1];
const url = arg('url');
const file = arg('file');
let failed = 0;
const check = (name, ok, why) => {
  console.log(ok ? `ok ${name}` : `FAIL ${name}: ${why}`);
  if (!ok) failed++;
};
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const page = await browser.newPage();
await page.goto(url);
await page.waitForTimeout(500); // the event stream connects
const original = readFileSync(file, 'utf8');

const t0 = Date.now();
writeFileSync(file, original.replace('手続をオンライン化する。', '手続をブラウザで確かめる。'));
await page.waitForFunction(() => document.body.textContent.includes('手続をブラウザで確かめる。'), null, { timeout: 60000 });
check('the page reloaded by itself with the new text', true, '');
console.log(`  reload seen ${Date.now() - t0} ms after the save`);

writeFileSync(file, original.replace('code = "1"', 'code = "1'));
const overlay = await page.waitForSelector('#mieruka-errors', { timeout: 60000 }).catch(() => null);
const text = overlay ? await overlay.textContent() : '';
check('the error overlay names the file and line', /a1\.md:3:\d+/.test(text), text);
check('the overlay is an alert', overlay && (await overlay.getAttribute('role')) === 'alert', 'no role=alert');

writeFileSync(file, original);
await page.waitForFunction(() => !document.getElementById('mieruka-errors') && document.body.textContent.includes('手続をオンライン化する。'), null, { timeout: 60000 }).catch(() => {});
check('fixing the file clears the overlay', !(await page.$('#mieruka-errors')), 'overlay still shown');
await browser.close();
console.log(failed ? `${failed} failure(s)` : 'all serve checks passed');
process.exit(failed ? 1 : 0);
