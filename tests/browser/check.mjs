// Quality gates for a built mieruka site, run by tests/quality.rs.
//
//   node check.mjs --dir <public dir> --base <URL where that dir is served>
//
// Checks, each failure printed as `FAIL <check> <page>: <message>`:
//   html      the Nu HTML Checker (vnu.jar) on every HTML page: no errors
//   links     every internal href/src on every page resolves over HTTP,
//             and every same-page #fragment names an id on that page
//   axe       axe-core, WCAG 2.0/2.1/2.2 A and AA rules, on one page of every
//             kind in both languages: no violations
//   keyboard  skip link first and visible, visible focus, language switcher
//             (and search box, where the site has one) reachable by Tab
//   layout    no horizontal scrolling at 360 px and 1280 px
// Exit status 0 when everything passed, 1 otherwise.

import { chromium } from 'playwright-core';
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
);
const dir = args.dir;
const base = args.base.endsWith('/') ? args.base : args.base + '/';
const only = args.only ? args.only.split(',') : ['html', 'links', 'axe', 'keyboard', 'layout'];
const failures = [];
const fail = (check, page, msg) => {
  failures.push(`${check} ${page}`);
  console.log(`FAIL ${check} ${page}: ${msg}`);
};

function htmlFiles(d) {
  const out = [];
  for (const name of readdirSync(d).sort()) {
    const p = join(d, name);
    if (statSync(p).isDirectory()) out.push(...htmlFiles(p));
    else if (name.endsWith('.html')) out.push(p);
  }
  return out;
}

/** Attribute text as the browser reads it. */
function decodeEntities(s) {
  return s
    .replace(/&#x([0-9a-f]+);/gi, (_, h) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#([0-9]+);/g, (_, d) => String.fromCodePoint(parseInt(d, 10)))
    .replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** The URL path (relative to base) a file is served at. */
function pageOf(file) {
  const rel = relative(dir, file).split('\\').join('/');
  return rel.endsWith('index.html') ? rel.slice(0, -'index.html'.length) : rel;
}

const files = htmlFiles(dir);

// ---------------------------------------------------------------- html
function checkHtml() {
  const jar = join(here, 'node_modules/vnu-jar/build/dist/vnu.jar');
  const r = spawnSync('java', ['-jar', jar, '--format', 'gnu', '--errors-only', ...files], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.error) return fail('html', '-', `cannot run java: ${r.error.message}`);
  const lines = (r.stderr + r.stdout).split('\n').filter((l) => l.trim());
  for (const l of lines) {
    const m = l.match(/^"?(?:file:)?(.*?\.html)"?:(.*)$/);
    if (m) fail('html', pageOf(m[1].replace(/^\/\//, '/')), m[2].trim());
    else fail('html', '-', l);
  }
  console.log(`html: ${files.length} pages checked by the Nu HTML Checker`);
}

// ---------------------------------------------------------------- links
async function checkLinks() {
  const seen = new Map();
  let count = 0;
  const exists = async (url) => {
    if (!seen.has(url)) {
      seen.set(url, fetch(url, { method: 'GET' }).then((r) => r.status).catch((e) => `error ${e.message}`));
    }
    return seen.get(url);
  };
  const baseUrl = new URL(base);
  for (const file of files) {
    const page = pageOf(file);
    const pageUrl = new URL(page, base);
    const html = readFileSync(file, 'utf8');
    const ids = new Set([...html.matchAll(/\sid="([^"]+)"/g)].map((m) => decodeEntities(m[1])));
    for (const m of html.matchAll(/\s(?:href|src)="([^"]*)"/g)) {
      const raw = decodeEntities(m[1]);
      if (/^(mailto:|tel:|data:)/.test(raw)) continue;
      if (raw.startsWith('#')) {
        if (raw.length > 1 && !ids.has(decodeURIComponent(raw.slice(1)))) fail('links', page, `fragment ${raw} names no id on the page`);
        continue;
      }
      const url = new URL(raw, pageUrl);
      if (url.origin !== baseUrl.origin) continue; // external
      url.hash = '';
      if (!url.pathname.startsWith(baseUrl.pathname)) {
        fail('links', page, `${raw} leaves the site's path ${baseUrl.pathname}`);
        continue;
      }
      count++;
      const status = await exists(url.href);
      if (status !== 200) fail('links', page, `${raw} → ${url.pathname} answers ${status}`);
    }
  }
  console.log(`links: ${count} internal links and resources on ${files.length} pages, ${seen.size} distinct URLs`);
}

// ---------------------------------------------------------------- browser checks

/** One page of every kind in both languages (those the site has). */
function samplePages() {
  const want = [];
  const pick = (re) => files.map(pageOf).find((p) => re.test(p));
  for (const lang of ['', 'en/']) {
    const l = lang.replace('/', '\\/');
    const kinds = {
      home: new RegExp(`^${l}$`),
      plan: new RegExp(`^${l}[a-z0-9-]+/$`),
      section: new RegExp(`^${l}[a-z0-9-]+/[0-9][a-z0-9-]*/$`),
      subsection: new RegExp(`^${l}[a-z0-9-]+/[0-9][a-z0-9-]*/[0-9][a-z0-9-]*/$`),
      departments: new RegExp(`^${l}departments/$`),
      department: new RegExp(`^${l}departments/[a-z0-9-]+/[a-z0-9-]+/$`),
      statuses: new RegExp(`^${l}[a-z0-9-]+/status/$`),
      status: new RegExp(`^${l}[a-z0-9-]+/status/[^/]+/[^/]+/[0-9]+/$`),
      indicator: new RegExp(`^${l}[a-z0-9-]+/indicators/[^/]+/$`),
      search: new RegExp(`^${l}search/$`),
      notfound: new RegExp(`^${l}404\\.html$`),
    };
    for (const [kind, re] of Object.entries(kinds)) {
      const p = pick(re);
      if (p !== undefined) want.push([kind, p]);
    }
  }
  // Initiatives with and without a complete translation, from the page markup.
  for (const lang of ['', 'en/']) {
    const inits = files.map((f) => [f, pageOf(f)]).filter(([, p]) => p.startsWith(lang) && /^(en\/)?[a-z0-9-]+\/[a-z]+[0-9]*-[0-9-]+\/$/.test(p));
    const untranslated = inits.find(([f]) => readFileSync(f, 'utf8').includes('notice-untranslated'));
    const translated = inits.find(([f]) => !readFileSync(f, 'utf8').includes('notice-untranslated'));
    if (untranslated) want.push(['initiative-untranslated', untranslated[1]]);
    if (translated) want.push(['initiative', translated[1]]);
  }
  if (args.pages) for (const p of args.pages.split(',')) want.push(['extra', p]);
  return want;
}

async function checkBrowser(browser) {
  const axeSource = readFileSync(join(here, 'node_modules/axe-core/axe.min.js'), 'utf8');
  const pages = samplePages();
  console.log(`browser: ${pages.length} sample pages: ${pages.map(([k, p]) => `${k}=/${p}`).join(' ')}`);
  for (const [kind, path] of pages) {
    for (const width of [360, 1280]) {
      const context = await browser.newContext({ viewport: { width, height: 900 } });
      const page = await context.newPage();
      const url = new URL(path, base).href;
      const resp = await page.goto(url, { waitUntil: 'load' });
      const name = `/${path} (${kind}, ${width}px)`;
      if (path.includes('?q=')) {
        // A search with results: wait until they are shown, then check them too.
        await page.waitForSelector('.search-result', { timeout: 15000 }).catch(() => fail('links', name, 'no search results shown'));
      }
      if (!resp || (resp.status() !== 200 && kind !== 'notfound')) fail('links', name, `answers ${resp && resp.status()}`);
      if (only.includes('layout')) {
        const { scroll, client } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
        if (scroll > client) {
          const wide = await page.evaluate(() => {
            const w = document.documentElement.clientWidth;
            const el = [...document.querySelectorAll('body *')].find((e) => e.getBoundingClientRect().right > w + 1 && !e.closest('.table-scroll'));
            return el ? `${el.tagName.toLowerCase()}${el.className ? '.' + el.className : ''}` : '?';
          });
          fail('layout', name, `scrolls horizontally: content ${scroll}px wide in a ${client}px viewport (widest: ${wide})`);
        }
      }
      if (only.includes('axe') && width === 1280) {
        await page.addScriptTag({ content: axeSource });
        const result = await page.evaluate(async () =>
          // eslint-disable-next-line no-undef
          axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'] } }),
        );
        for (const v of result.violations) {
          const targets = v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ');
          fail('axe', name, `${v.id} (${v.impact}): ${v.help} — ${v.nodes.length} element(s): ${targets}`);
        }
      }
      if (only.includes('keyboard') && width === 1280 && ['home', 'initiative', 'plan', 'search'].includes(kind)) {
        await checkKeyboard(page, name);
      }
      await context.close();
    }
  }
}

async function checkKeyboard(page, name) {
  const focused = () =>
    page.evaluate(() => {
      const e = document.activeElement;
      if (!e || e === document.body) return null;
      const s = getComputedStyle(e);
      const r = e.getBoundingClientRect();
      return {
        cls: e.className || '',
        tag: e.tagName.toLowerCase(),
        type: e.getAttribute('type') || '',
        text: (e.textContent || e.value || '').trim().slice(0, 40),
        visible: r.width > 0 && r.height > 0 && r.bottom > 0 && r.top < innerHeight,
        outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0,
        shadow: s.boxShadow !== 'none',
      };
    });
  await page.keyboard.press('Tab');
  const first = await focused();
  if (!first || !String(first.cls).includes('skip-link')) fail('keyboard', name, `the first Tab stop is ${first ? first.tag + ' ' + first.text : 'nothing'}, not the skip link`);
  else if (!first.visible) fail('keyboard', name, 'the skip link is not visible when focused');
  const stops = [];
  for (let i = 0; i < 25; i++) {
    const f = await focused();
    if (f) {
      stops.push(f);
      if (!f.outline && !f.shadow) fail('keyboard', name, `no visible focus indicator on ${f.tag} "${f.text}"`);
    }
    await page.keyboard.press('Tab');
  }
  if (!stops.some((s) => String(s.cls).includes('lang-switch'))) fail('keyboard', name, 'the language switcher is not reachable by Tab');
  const hasSearch = await page.evaluate(() => !!document.querySelector('input[type=search]'));
  if (hasSearch && !stops.some((s) => s.tag === 'input' && s.type === 'search')) fail('keyboard', name, 'the search box is not reachable by Tab');
  // The skip link moves focus to the main content.
  await page.reload({ waitUntil: 'load' });
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  const inMain = await page.evaluate(() => document.activeElement && document.activeElement.id === 'main');
  if (!inMain) fail('keyboard', name, 'activating the skip link does not move focus to the main content');
}

// ---------------------------------------------------------------- run
if (only.includes('html')) checkHtml();
if (only.includes('links')) await checkLinks();
if (only.some((c) => ['axe', 'keyboard', 'layout'].includes(c))) {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  try {
    await checkBrowser(browser);
  } finally {
    await browser.close();
  }
}
console.log(failures.length ? `${failures.length} failure(s)` : 'all checks passed');
process.exit(failures.length ? 1 : 0);
