// Search, tested in headless Chromium against the built example site
// (run by tests/search.rs):  node search.mjs --base <URL of the site root>
//
// Each check prints `ok <name>` or `FAIL <name>: <why>`; exit 1 on any FAIL.

import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyse, snippet, resultHref, toneClass, countText, queryPlan, chunkOf } from '../../themes/default/static/assets/search.js';

const here = dirname(fileURLToPath(import.meta.url));
const base = process.argv[process.argv.indexOf('--base') + 1];
let failed = 0;
const check = (name, ok, why) => {
  if (ok) console.log(`ok ${name}`);
  else {
    failed++;
    console.log(`FAIL ${name}: ${why}`);
  }
};

// 1. The browser's tokenizer agrees with the index's (src/search/tokenize.rs).
const cases = JSON.parse(readFileSync(join(here, '../search_tokens.json'), 'utf8'));
for (const c of cases) {
  const got = analyse(c.input, true).map((t) => `${t.term}@${t.pos}`);
  check(`tokenizer ${c.input}`, JSON.stringify(got) === JSON.stringify(c.tokens), `${JSON.stringify(got)} != ${JSON.stringify(c.tokens)}`);
}

// 1b. Results are built from text, never markup: the snippet is parts of
// plain text, addresses are site-relative, tone classes are names.
const parts = snippet('<img src=x onerror=alert(1)> 子育て支援', '子育て');
check('snippet: parts of text with the typed word marked', JSON.stringify(parts) === JSON.stringify([
  { text: '<img src=x onerror=alert(1)> ', mark: false }, { text: '子育て', mark: true }, { text: '支援', mark: false },
]), JSON.stringify(parts));
const long = snippet(`${'あ'.repeat(100)}子育て${'い'.repeat(200)}`, '子育て');
check('snippet: a window with ellipses', long.length === 3 && long[0].text === `…${'あ'.repeat(70)}` && long[1].mark && long[2].text === `${'い'.repeat(140)}…`, JSON.stringify(long));
check('href: a site-relative path follows the root', resultHref('../', 'plan/t-001/') === '../plan/t-001/', resultHref('../', 'plan/t-001/'));
for (const bad of ['javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'data:text/html,x', '//evil.example/', '/plan/', '\\\\evil.example\\', ' javascript:alert(1)', 'java\tscript:alert(1)', '', undefined]) {
  check(`href: ${JSON.stringify(bad)} is refused`, resultHref('../', bad) === null, resultHref('../', bad));
}
// A result's snippet comes from the chunk of text its first match is in.
for (const [card, at, want] of [
  [{}, 5000, 0], [{ chunks: [400, 900] }, undefined, 0], [{ chunks: [400, 900] }, 399, 0],
  [{ chunks: [400, 900] }, 400, 1], [{ chunks: [400, 900] }, 899, 1], [{ chunks: [400, 900] }, 5000, 2],
]) {
  check(`chunk of ${at} in ${JSON.stringify(card)}`, chunkOf(card, at) === want, chunkOf(card, at));
}
check('tone: a name is kept', toneClass('done') === 'tone-done', toneClass('done'));
for (const bad of ['x" onmouseover="alert(1)', 'done bad', 'DONE', undefined]) {
  check(`tone: ${JSON.stringify(bad)} becomes neutral`, toneClass(bad) === 'tone-neutral', toneClass(bad));
}

// 1c. The count sentence: singular for one result in English, Japanese unchanged.
const en = { count: '{count} results for {query}', count_one: '{count} result for {query}', none: 'No pages match {query}.' };
const ja = { count: '{query}の検索結果：{count}件', count_one: '{query}の検索結果：{count}件', none: '{query}に一致するページはありませんでした。' };
for (const [t, n, lang, want] of [
  [en, 1, 'en', '1 result for “x”'],
  [en, 2, 'en', '2 results for “x”'],
  [en, 0, 'en', 'No pages match “x”.'],
  [ja, 1, 'ja', '“x”の検索結果：1件'],
]) {
  const got = countText(t, n, '“x”', lang);
  check(`count sentence: ${n} in ${lang}`, got === want, got);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
});
const page = await browser.newPage();
const errors = [];
page.on('pageerror', (e) => errors.push(e.message));

/** Runs a search through the page's own form and returns what it shows. */
async function search(path, query, filters = {}) {
  await page.goto(new URL(path, base).href);
  await page.waitForSelector('#search-app:not([hidden])');
  for (const [f, v] of Object.entries(filters)) {
    await page.waitForFunction((f) => document.querySelectorAll(`#search-filter-${f} option`).length > 1, f);
    await page.selectOption(`#search-filter-${f}`, v);
  }
  await page.fill('#search-q', query);
  const t0 = Date.now();
  await page.press('#search-q', 'Enter');
  await page.waitForFunction(() => {
    const s = document.getElementById('search-status').textContent;
    return s && !s.endsWith('…') && (document.querySelectorAll('.search-result').length > 0 || /0|ありません|No pages/.test(s));
  });
  const ms = Date.now() - t0;
  // The snippets come after the cards.
  await page.waitForFunction(() => document.getElementById('search-app').dataset.count === '0' || document.getElementById('search-results').dataset.snippets !== undefined);
  return page.evaluate((ms) => ({
    ms,
    status: document.getElementById('search-status').textContent,
    url: location.search,
    results: [...document.querySelectorAll('.search-result')].map((li) => ({
      title: li.querySelector('.result-title').textContent.trim(),
      facts: li.querySelector('.result-facts').textContent.trim(),
      marks: [...li.querySelectorAll('mark')].map((m) => m.textContent),
    })),
    count: parseInt(document.getElementById('search-app').dataset.count || '0', 10),
  }), ms);
}

// 1d. What a query looks for: the phrase as typed; English compounds both ways.
const pl = queryPlan('child care');
check('plan: child care is also childcare', pl.forms.length === 2 && pl.forms[1].parts.map((p) => p.term).join() === 'childcare', JSON.stringify(pl));
const compound = queryPlan('電子申請').words.map((w) => w.parts.map((p) => p.term).join(' '));
check('plan: a compound\'s words are its dictionary words', JSON.stringify(compound) === '["電子","申請"]', JSON.stringify(compound));
check('plan: one plain word has no word-by-word tier', queryPlan('xyzzy').words.length === 0, JSON.stringify(queryPlan('xyzzy')));
const yearMarks = snippet('令和4年度の実績（2022年度）', 'R4').filter((p) => p.mark).map((p) => p.text);
check('snippet: an era year is marked in every spelling', JSON.stringify(yearMarks) === JSON.stringify(['令和4年度', '2022年度']), JSON.stringify(yearMarks));

const times = [];
// 2. A word inside a compound: 子育て finds 子育て支援.
let r = await search('search/', '子育て');
times.push(r.ms);
check('compound: 子育て finds 子育て支援', r.results.some((x) => x.title.includes('子育て支援')), JSON.stringify(r.results.slice(0, 5)));
check('highlight: the typed word is marked', r.results.some((x) => x.marks.includes('子育て')), JSON.stringify(r.results.slice(0, 3)));
check('query in the URL', decodeURIComponent(r.url).includes('q=子育て'), r.url);
check('results announced', /子育て/.test(r.status) && r.count > 0, r.status);

// 3. 待機児童 ranks the indicator named so first.
r = await search('search/', '待機児童');
times.push(r.ms);
check('ranking: 待機児童 first result names it', r.results[0] && r.results[0].title.includes('待機児童'), JSON.stringify(r.results.slice(0, 3)));

// 4. Half-width katakana and full-width letters find the same pages.
const full = await search('search/', 'オンライン');
const half = await search('search/', 'ｵﾝﾗｲﾝ');
times.push(half.ms);
check('half-width katakana: ｵﾝﾗｲﾝ = オンライン', half.count === full.count && half.count > 0, `${half.count} vs ${full.count}`);
const dxFull = await search('search/', 'ＤＸ');
const dx = await search('search/', 'DX');
check('full-width letters: ＤＸ = DX', dxFull.count === dx.count && dx.count > 0, `${dxFull.count} vs ${dx.count}`);

// 5. Era years: 令和5年度, R5, 2023年度, FY2023 and 令和５年度 find the same pages.
const counts = {};
for (const q of ['令和5年度', 'R5', '2023年度', 'FY2023', '令和５年度']) {
  r = await search('search/', q);
  times.push(r.ms);
  counts[q] = r.count;
}
check('era years find the same pages', new Set(Object.values(counts)).size === 1 && counts.R5 > 0, JSON.stringify(counts));
r = await search('search/', '令和元年度');
const r2 = await search('search/', '平成31年度');
check('令和元年度 = 平成31年度', r.count === r2.count, `${r.count} vs ${r2.count}`);

// 6. English on the English site, and Japanese words finding untranslated pages there.
r = await search('en/search/', 'online procedures');
times.push(r.ms);
check('English query on the English site', r.results.some((x) => /online/i.test(x.title) && /procedure/i.test(x.title)), JSON.stringify(r.results.slice(0, 5)));
r = await search('en/search/', '防災');
check('English site finds untranslated pages by Japanese', r.count > 0 && r.results.some((x) => /[\u3040-\u30ff\u4e00-\u9fff]/.test(x.title) || x.marks.includes('防災')), JSON.stringify(r.results.slice(0, 3)));

// 7. A filter: 防災 within one plan only.
const all = await search('search/', '防災');
const plan = '第六次行財政改革アクションプラン';
r = await search('search/', '防災', { plan });
check('filter by plan', r.count > 0 && r.count < all.count && r.results.every((x) => x.facts.includes(plan)), `${r.count} of ${all.count}: ${JSON.stringify(r.results.map((x) => x.facts))}`);
check('filter in the URL', decodeURIComponent(r.url).includes(`plan=${plan}`), r.url);
r = await search('search/', '', { kind: '指標' });
check('filter alone lists indicators', r.count >= 68 && r.results.every((x) => x.facts.startsWith('指標')), `${r.count}`);

// 8. Keyboard: Tab reaches the header search box; typing and Enter searches.
await page.goto(new URL('', base).href);
let reached = false;
for (let i = 0; i < 10 && !reached; i++) {
  await page.keyboard.press('Tab');
  reached = await page.evaluate(() => document.activeElement && document.activeElement.id === 'site-q');
}
check('keyboard: header search box reachable by Tab', reached, 'not reached in 10 Tabs');
await page.keyboard.type('待機児童');
await page.keyboard.press('Enter');
await page.waitForSelector('.search-result');
check('keyboard: Enter in the header box opens results', (await page.$$('.search-result')).length > 0, page.url());

// 9. Without JavaScript the page says so and links to the department and status lists.
const nojs = await browser.newContext({ javaScriptEnabled: false });
const p2 = await nojs.newPage();
await p2.goto(new URL('search/', base).href);
const noscript = await p2.evaluate(() => {
  const n = document.getElementById('search-nojs');
  return { visible: !n.hidden && n.offsetHeight > 0, links: [...n.querySelectorAll('a')].map((a) => a.getAttribute('href')) };
});
check('no JavaScript: explained, with links', noscript.visible && noscript.links.some((h) => h.includes('departments/')) && noscript.links.some((h) => h.includes('/status/')), JSON.stringify(noscript));
await nojs.close();

// 9b. The examples of issue 10 on the built site.
r = await search('search/', 'xyzzy');
check('a made-up word finds nothing', r.count === 0, `${r.count}`);
r = await search('search/', '情報政策課');
check('a department name finds the department first', r.results[0] && r.results[0].title === '情報政策課' && r.results[0].facts.startsWith('担当課'), JSON.stringify(r.results.slice(0, 2)));
check('…and its name is marked', r.results.slice(0, 5).every((x) => x.marks.length > 0), JSON.stringify(r.results.slice(0, 5)));
const kata = await search('search/', 'コンピューター');
const kata2 = await search('search/', 'コンピュータ');
check('コンピューター = コンピュータ', kata.count > 0 && kata.count === kata2.count, `${kata.count} vs ${kata2.count}`);
const cc = await search('en/search/', 'child care');
const cc2 = await search('en/search/', 'childcare');
check('English: child care and childcare find the same pages first', cc.count > 0 && cc2.count > 0 && cc.count >= cc2.count, `${cc.count} vs ${cc2.count}`);
r = await search('en/search/', 'xyzzy');
check('English: 0 results said so', r.count === 0 && /No pages/.test(r.status), r.status);
r = await search('search/', '令和4年度');
check('an era year is marked in the results', r.count > 0 && r.results.slice(0, 5).every((x) => x.marks.some((m) => /令和4年度|2022年度|R4|FY2022/i.test(m))), JSON.stringify(r.results.slice(0, 3)));

// 10. Nothing found: said so, with the department and status lists offered.
r = await search('search/', 'ぬぬぬぬ');
const browse = await page.evaluate(() => {
  const b = document.getElementById('search-browse');
  return { visible: !!b && !b.hidden && b.offsetHeight > 0, links: b ? [...b.querySelectorAll('a')].map((a) => a.getAttribute('href')) : [] };
});
check('no results: said, with the lists offered', r.count === 0 && /ありません/.test(r.status) && browse.visible && browse.links.some((h) => h.includes('departments/')) && browse.links.some((h) => h.includes('/status/')), JSON.stringify({ status: r.status, browse }));
r = await search('search/', '子育て');
const hiddenAgain = await page.evaluate(() => document.getElementById('search-browse').hidden);
check('results again: the lists are hidden', r.count > 0 && hiddenAgain, `${r.count} ${hiddenAgain}`);

// 11. Snippets that come late and out of order: the page says its snippets
// are filled in (data-snippets) only once every listed one is. The texts of
// the earlier pages of results are held 800 ms, those asked for after the
// last "more" 2,500 ms, so an earlier page finishes while the last is
// still waiting.
{
  let slow = false;
  await page.route(/\/search\/idx\/d\//, async (route) => {
    const wait = slow ? 2500 : 800;
    await new Promise((done) => setTimeout(done, wait));
    await route.continue();
  });
  await page.goto(new URL('search/', base).href);
  await page.waitForSelector('#search-app:not([hidden])');
  await page.fill('#search-q', '完了');
  await page.press('#search-q', 'Enter');
  await page.waitForFunction(() => document.querySelectorAll('.search-result').length > 0);
  const total = parseInt(await page.evaluate(() => document.getElementById('search-app').dataset.count), 10);
  for (;;) {
    const listed = await page.$$eval('.search-result', (x) => x.length);
    if (listed >= total) break;
    if (listed + 10 >= total) slow = true;
    await page.$eval('#search-more', (b) => b.click());
    await page.waitForFunction((n) => document.querySelectorAll('.search-result').length > n, listed);
  }
  await page.waitForFunction(() => document.getElementById('search-results').dataset.snippets !== undefined, null, { timeout: 20000 });
  const late = await page.evaluate(() => {
    const list = document.getElementById('search-results');
    return { said: list.dataset.snippets, listed: list.children.length, empty: [...list.querySelectorAll('.result-snippet')].filter((p) => !p.textContent.trim()).length };
  });
  check('late snippets: "filled in" is said only when every one is', total > 20 && late.said === String(late.listed) && late.empty === 0, JSON.stringify({ total, ...late }));
  await page.unroute(/\/search\/idx\/d\//);
}

check('no script errors', errors.length === 0, errors.join('; '));
times.sort((a, b) => a - b);
console.log(`query time in the browser (type → results shown): median ${times[Math.floor(times.length / 2)]} ms over ${times.length} queries`);
await browser.close();
console.log(failed ? `${failed} failure(s)` : 'all search checks passed');
process.exit(failed ? 1 : 0);
