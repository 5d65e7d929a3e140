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
//   phone     at 360 px: nothing inside <main> scrolls sideways or sticks out
//             of the main column (tables included); every link, button and
//             field in header, nav, main and footer is at least 24×24 px or
//             has the WCAG 2.2 SC 2.5.8 spacing exception (inline links in
//             running text are exempt); chart text renders at 14 px or more
//   print     with print media: header black on white, links in main not
//             coloured, navigation and search hidden, the page's address
//             printed
//   meta      every page has a <meta name="description"> of its own (not
//             the home page's), plain text of at most 200 characters
//   time      no count table has a column for a year after its plan's
//             reporting year, and an initiative's year table shows every such
//             year as planned (a 予定 badge), never as a result
//   codes     English pages: no heading, breadcrumb or link starts with a
//             Japanese code that has an English form (第6部, 第2, 基本方針1,
//             基本目標1, ①, ⑤ーア)
// Options: --only <checks,…>; --pages <paths,…> adds pages to the browser
// checks' sample; --sample no checks those pages alone.
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
const only = args.only ? args.only.split(',') : ['html', 'links', 'axe', 'keyboard', 'layout', 'time', 'codes', 'phone', 'print', 'meta'];
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
  // `--sample no`: only the pages given with --pages.
  if (args.sample === 'no') return args.pages.split(',').map((p) => ['extra', p]);
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
      if (only.includes('phone') && width === 360) await checkPhone(page, name);
      if (only.includes('time') && width === 1280) await checkTime(page, name);
      if (only.includes('codes') && width === 1280 && path.startsWith('en/')) await checkCodes(page, name);
      if (only.includes('print') && width === 1280 && kind !== 'search' && kind !== 'extra') await checkPrint(page, name);
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

async function checkTime(page, name) {
  const problems = await page.evaluate(() => {
    const out = [];
    const reporting = Number(document.querySelector('[data-reporting-fy]')?.dataset.reportingFy);
    if (!reporting) return out;
    for (const th of document.querySelectorAll('table.counts th[data-fy]')) {
      if (Number(th.dataset.fy) > reporting) out.push(`count table column ${th.textContent.trim()} after the reporting year FY${reporting}`);
    }
    for (const table of document.querySelectorAll('table.timeline[data-reporting-fy]')) {
      const fys = [...table.querySelectorAll('thead th[data-fy]')].map((th) => Number(th.dataset.fy));
      for (const tr of table.querySelectorAll('tbody tr')) {
        // A result recorded for several years spans their columns.
        let i = 0;
        for (const td of tr.querySelectorAll('td')) {
          const last = fys[i + td.colSpan - 1];
          if (last > Number(table.dataset.reportingFy) && !td.querySelector('.badge.tone-planned, .badge.tone-ended')) {
            out.push(`FY${last} (after the reporting year) shown as "${td.textContent.trim()}", not as planned or ended`);
          }
          i += td.colSpan;
        }
      }
    }
    return out;
  });
  if (problems.length) fail('time', name, problems.slice(0, 5).join('; '));
}

async function checkCodes(page, name) {
  const bad = await page.evaluate(() => {
    const code = /^(第[0-9０-９一二三四五六七八九十]|基本方針[0-9０-９]|基本目標[0-9０-９]|[\u2460-\u2473])/;
    return [...document.querySelectorAll('h1, h2, h3, h4, a')]
      .map((e) => e.textContent.trim())
      .filter((t) => code.test(t));
  });
  if (bad.length) fail('codes', name, `${bad.length} title(s) start with a Japanese code: ${bad.slice(0, 3).join(' | ')}`);
}

async function checkPhone(page, name) {
  const problems = await page.evaluate(() => {
    const out = [];
    const main = document.querySelector('main');
    const desc = (e) => `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}${typeof e.className === 'string' && e.className ? '.' + e.className.trim().split(/\s+/).join('.') : ''}`;
    const hidden = (e) => !!e.closest('.visually-hidden, [hidden], [aria-hidden="true"] svg');
    // (a) Nothing in the main column scrolls sideways or sticks out of it.
    if (main) {
      const ms = getComputedStyle(main);
      const mr = main.getBoundingClientRect();
      const left = mr.left + parseFloat(ms.paddingLeft) - 1;
      const right = mr.right - parseFloat(ms.paddingRight) + 1;
      const wide = [];
      for (const e of main.querySelectorAll('*')) {
        if (hidden(e)) continue;
        const s = getComputedStyle(e);
        const r = e.getBoundingClientRect();
        if (r.width === 0 && r.height === 0) continue;
        if (['auto', 'scroll'].includes(s.overflowX) && e.scrollWidth > e.clientWidth + 1) wide.push(`${desc(e)} scrolls sideways (${e.scrollWidth}px of content in ${e.clientWidth}px)`);
        else if (r.right > right || r.left < left) wide.push(`${desc(e)} spans ${Math.round(r.left)}–${Math.round(r.right)}px, outside the main column ${Math.round(left + 1)}–${Math.round(right - 1)}px`);
      }
      if (wide.length) out.push(['overflow', `${wide.length} element(s): ${wide.slice(0, 3).join('; ')}`]);
    }
    // (b) Tap targets: 24×24 px, or spaced so that a 24 px circle centred on
    // each does not intersect another target or its circle (WCAG 2.2 SC
    // 2.5.8). Links inline in running text are exempt.
    const regions = 'header, nav, main, footer';
    const targets = [...document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary')].filter((e) => {
      if (!e.closest(regions) || hidden(e) || e.classList.contains('skip-link')) return false;
      const r = e.getBoundingClientRect();
      return r.width > 0 && r.height > 0 && getComputedStyle(e).visibility === 'visible';
    });
    const inline = (e) => {
      if (e.tagName !== 'A' || getComputedStyle(e).display !== 'inline') return false;
      let block = e.parentElement;
      while (block && getComputedStyle(block).display.startsWith('inline')) block = block.parentElement;
      if (!block || !['P', 'LI', 'DD', 'TD'].includes(block.tagName)) return false;
      // Other text in the same block besides the targets' own text: a sentence.
      const clone = block.cloneNode(true);
      for (const t of clone.querySelectorAll('a, button, input, select, textarea, .visually-hidden')) t.remove();
      return (clone.textContent.match(/[\p{L}\p{N}]/gu) || []).length >= 2;
    };
    const boxes = targets.map((e) => {
      const r = e.getBoundingClientRect();
      return { e, r, cx: r.left + r.width / 2, cy: r.top + r.height / 2, small: r.width < 23.95 || r.height < 23.95 };
    });
    const hitsRect = (c, r) => {
      const x = Math.max(r.left, Math.min(c.cx, r.right));
      const y = Math.max(r.top, Math.min(c.cy, r.bottom));
      return Math.hypot(c.cx - x, c.cy - y) < 12;
    };
    const small = [];
    for (const b of boxes) {
      if (!b.small || inline(b.e)) continue;
      const crowded = boxes.some((o) => o !== b && !o.e.contains(b.e) && !b.e.contains(o.e) && (hitsRect(b, o.r) || (o.small && Math.hypot(b.cx - o.cx, b.cy - o.cy) < 24)));
      if (crowded) small.push(`${desc(b.e)} "${(b.e.textContent || b.e.value || '').trim().slice(0, 20)}" ${Math.round(b.r.width)}×${Math.round(b.r.height)}`);
    }
    if (small.length) out.push(['targets', `${small.length} of ${targets.length} targets under 24×24 px without spacing: ${small.slice(0, 4).join('; ')}`]);
    // (d) Chart text as rendered.
    const tiny = [];
    for (const t of document.querySelectorAll('svg.chart text')) {
      const svg = t.ownerSVGElement;
      const m = svg && svg.getScreenCTM();
      if (!m || !t.textContent.trim()) continue;
      const px = parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b);
      if (px < 13.95) tiny.push(`"${t.textContent.trim().slice(0, 15)}" ${px.toFixed(1)}px`);
    }
    if (tiny.length) out.push(['chart-text', `${tiny.length} chart label(s) under 14 px: ${tiny.slice(0, 4).join('; ')}`]);
    return out;
  });
  for (const [what, msg] of problems) fail('phone', name, `${what}: ${msg}`);
}

async function checkPrint(page, name) {
  await page.emulateMedia({ media: 'print' });
  await page.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
  const problems = await page.evaluate(() => {
    const out = [];
    const rgb = (c) => (c.match(/[\d.]+/g) || []).map(Number);
    const transparent = (c) => { const v = rgb(c); return v.length === 4 && v[3] === 0; };
    const white = (c) => { const v = rgb(c); return transparent(c) || (v[0] > 245 && v[1] > 245 && v[2] > 245); };
    const black = (c) => { const v = rgb(c); return Math.max(v[0], v[1], v[2]) < 70; };
    const header = document.querySelector('.site-header, body > header');
    if (header) {
      const s = getComputedStyle(header);
      if (!white(s.backgroundColor) || s.backgroundImage !== 'none') out.push(`header background ${s.backgroundColor} ${s.backgroundImage}`);
      for (const e of [header, ...header.querySelectorAll('*')]) {
        const r = e.getBoundingClientRect();
        if (r.width === 0 || !e.textContent.trim()) continue;
        const c = getComputedStyle(e).color;
        if (!black(c)) { out.push(`header text ${e.tagName.toLowerCase()}.${e.className} is ${c}`); break; }
      }
    }
    for (const sel of ['.site-nav', '.site-search', '.skip-link', '.lang-switch']) {
      const e = document.querySelector(sel);
      if (e && e.getBoundingClientRect().height > 0 && getComputedStyle(e).display !== 'none') out.push(`${sel} is printed`);
    }
    const coloured = [...document.querySelectorAll('main a')].filter((a) => a.getBoundingClientRect().width > 0 && !black(getComputedStyle(a).color));
    if (coloured.length) out.push(`${coloured.length} link(s) in main printed in colour, e.g. "${coloured[0].textContent.trim().slice(0, 20)}" ${getComputedStyle(coloured[0]).color}`);
    const canonical = document.querySelector('link[rel=canonical]');
    if (canonical) {
      const want = canonical.getAttribute('href');
      const shown = [...document.querySelectorAll('body *')].some((e) => {
        const r = e.getBoundingClientRect();
        return r.width > 20 && r.height > 5 && getComputedStyle(e).visibility === 'visible' && !e.closest('.visually-hidden') &&
          [...e.childNodes].some((n) => n.nodeType === 3 && n.textContent.includes(want));
      });
      if (!shown) out.push(`the page's address ${want} is not printed`);
    }
    return out;
  });
  for (const msg of problems) fail('print', name, msg);
  await page.emulateMedia({ media: 'screen' });
}

function checkMeta() {
  const descOf = (file) => {
    const m = readFileSync(file, 'utf8').match(/<meta name="description" content="([^"]*)">/);
    return m ? decodeEntities(m[1]) : null;
  };
  const homes = new Map();
  for (const f of files) {
    const p = pageOf(f);
    if (p === '' || /^[a-z]{2}\/$/.test(p)) homes.set(p, descOf(f));
  }
  let count = 0;
  for (const f of files) {
    const p = pageOf(f);
    const home = homes.get(p.match(/^(en\/)?/)[0]);
    if (homes.has(p)) continue;
    count++;
    const d = descOf(f);
    if (d === null) fail('meta', p, 'no <meta name="description">');
    else if (!d.trim()) fail('meta', p, 'empty description');
    else if (d === home) fail('meta', p, `the home page's description: "${d.slice(0, 40)}…"`);
    else if ([...d].length > 200 || /[<>]/.test(d)) fail('meta', p, `not short plain text: "${d}"`);
  }
  console.log(`meta: ${count} page descriptions compared with the home page's`);
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
if (only.includes('meta')) checkMeta();
if (only.some((c) => ['axe', 'keyboard', 'layout', 'phone', 'print', 'time', 'codes'].includes(c))) {
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
