// Search for mieruka sites, on Pagefind's search API (no Pagefind UI).
//
// The query is tokenized exactly like the index (src/search/tokenize.rs;
// both are tested against tests/search_tokens.json): NFKC and lower case,
// fiscal years in any spelling → fyNNNN, Japanese as character bigrams.
// Results show our own snippet, highlighted from the page text, so that the
// highlight is the words the resident typed.

const CJK = /[\u3041-\u309F\u30A1-\u30FA\u30FC-\u30FF\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF々〆]/;
const WORD = /[0-9a-z]/;

function yearAt(s, i) {
  const rest = s.slice(i);
  let m = rest.match(/^(令和|平成|昭和)(元|\d+)(年度|年)?/);
  if (m) {
    const n = m[2] === '元' ? 1 : parseInt(m[2], 10);
    if (n < 1 || n > 99) return null;
    const first = { 令和: 2019, 平成: 1989, 昭和: 1926 }[m[1]];
    return [m[0].length, first + n - 1];
  }
  m = rest.match(/^([rh])(\d{1,2})(?![0-9a-z])(年度|年)?/);
  if (m) {
    const v = parseInt(m[2], 10);
    const y = (m[1] === 'r' ? 2018 : 1988) + v;
    if (v === 0 || (m[1] === 'h' && y > 2019)) return null;
    return [m[0].length, y];
  }
  m = rest.match(/^fy(\d{4})(?![0-9a-z])/);
  if (m) return [6, parseInt(m[1], 10)];
  m = rest.match(/^(\d{4})(年度|年)/);
  if (m) {
    const y = parseInt(m[1], 10);
    return y >= 1900 && y <= 2200 ? [m[0].length, y] : null;
  }
  return null;
}

const KATAKANA = /[\u30A1-\u30FA\u30FC]/;

/**
 * NFKC and lower case, then the long-vowel mark ending a katakana word of
 * four or more characters dropped (コンピューター = コンピュータ), as the index.
 */
export function normalise(s) {
  const chars = [...s.normalize('NFKC').toLowerCase()];
  let out = '';
  let run = 0;
  chars.forEach((c, i) => {
    run = KATAKANA.test(c) ? run + 1 : 0;
    const endsRun = !(i + 1 < chars.length && KATAKANA.test(chars[i + 1]));
    if (!(c === 'ー' && endsRun && run >= 4)) out += c;
  });
  return out;
}

function years(s) {
  const chars = [...s];
  let out = '';
  for (let i = 0; i < chars.length; ) {
    const prevWord = i > 0 && WORD.test(chars[i - 1]);
    const y = prevWord ? null : yearAt(chars.slice(i).join(''), 0);
    if (y) {
      out += ` fy${y[1]} `;
      i += y[0]; // every character of a year is in the BMP: one code unit each
    } else {
      out += chars[i];
      i += 1;
    }
  }
  return out;
}

/** The tokens of a text, as the index has them. */
export function tokens(text) {
  const norm = years(normalise(text));
  const out = [];
  let run = [];
  let word = '';
  const flush = () => {
    if (run.length === 1) out.push(run[0]);
    else for (let i = 0; i + 1 < run.length; i++) out.push(run[i] + run[i + 1]);
    run = [];
  };
  for (const c of norm) {
    if (CJK.test(c)) {
      if (word) { out.push(word); word = ''; }
      run.push(c);
    } else if (WORD.test(c)) {
      flush();
      word += c;
    } else {
      flush();
      if (word) { out.push(word); word = ''; }
    }
  }
  flush();
  if (word) out.push(word);
  return out;
}

/**
 * Marks the typed words in `text`: a window around the first, as parts
 * `{ text, mark }` of plain text (never markup; see `snippetNodes`).
 */
export function snippet(text, query, width = 70) {
  // Normalise character by character, keeping where each came from.
  const chars = [...text];
  let norm = '';
  const from = [];
  chars.forEach((c, i) => {
    const n = normalise(c);
    norm += n;
    for (let k = 0; k < n.length; k++) from.push(i);
  });
  const needles = normalise(query).split(/\s+/).filter((w) => w.length > 0);
  const marks = [];
  for (const n of needles) {
    let at = norm.indexOf(n);
    while (at >= 0) {
      marks.push([from[at], from[at + n.length - 1] + 1]);
      at = norm.indexOf(n, at + n.length);
    }
  }
  marks.sort((a, b) => a[0] - b[0]);
  const merged = [];
  for (const m of marks) {
    const last = merged[merged.length - 1];
    if (last && m[0] <= last[1]) last[1] = Math.max(last[1], m[1]);
    else merged.push([...m]);
  }
  const start = merged.length ? Math.max(0, merged[0][0] - width) : 0;
  const end = Math.min(chars.length, (merged.length ? merged[0][1] : 0) + width * 2);
  const parts = [];
  const push = (t, mark) => {
    if (!t) return;
    const last = parts[parts.length - 1];
    if (last && !last.mark && !mark) last.text += t;
    else parts.push({ text: t, mark });
  };
  if (start > 0) push('…', false);
  let pos = start;
  for (const [a, b] of merged) {
    if (b <= start || a >= end) continue;
    push(chars.slice(pos, Math.max(pos, a)).join(''), false);
    push(chars.slice(Math.max(a, pos), Math.min(b, end)).join(''), true);
    pos = Math.min(b, end);
  }
  push(chars.slice(pos, end).join('') + (end < chars.length ? '…' : ''), false);
  return parts;
}

/** The parts of a snippet as DOM nodes: text nodes and <mark> elements. */
function snippetNodes(parts) {
  return parts.map((p) => (p.mark ? el('mark', '', p.text) : document.createTextNode(p.text)));
}

/**
 * A record's address: the site root followed by the record's path, or null
 * when the path is not site-relative (a scheme such as `javascript:`, `//`,
 * `/`, a backslash, spaces or control characters).
 */
export function resultHref(root, href) {
  if (typeof href !== 'string' || href === '') return null;
  if (/^[a-z][a-z0-9+.-]*:/i.test(href) || /^[\/\\]/.test(href) || /[\u0000-\u0020\u007f\\]/.test(href)) return null;
  return root + href;
}

/** A tone class name from the index: letters, digits and `-` only. */
/**
 * The sentence announcing results: the singular form where the page's
 * language has one for this count ("1 result", never "1 results").
 */
export function countText(t, count, label, lang) {
  const form = new Intl.PluralRules(lang || 'ja').select(count);
  const text = count === 0 ? t.none : form === 'one' && t.count_one ? t.count_one : t.count;
  return text.replace('{count}', count).replace('{query}', label);
}

export function toneClass(tone) {
  return `tone-${/^[a-z0-9-]+$/.test(tone || '') ? tone : 'neutral'}`;
}

/** An element with a class and text (never markup). */
function el(tag, className, text) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

/** One result: title link, facts with the status badge, snippet — built node by node. */
function resultItem(m, root, query) {
  const li = el('li', 'search-result');
  const h2 = el('h2', 'result-title');
  const href = resultHref(root, m.href);
  if (href !== null) {
    const a = el('a', '', m.title || '');
    a.setAttribute('href', href);
    h2.append(a);
  } else {
    h2.textContent = m.title || '';
  }
  const facts = el('p', 'result-facts', `${[m.kind, m.plan, m.department].filter(Boolean).join(' ・ ')} `);
  if (m.status) {
    const badge = el('span', `badge ${toneClass(m.status_tone)}`);
    if (m.status_symbol) {
      const symbol = el('span', 'badge-symbol', m.status_symbol);
      symbol.setAttribute('aria-hidden', 'true');
      badge.append(symbol, ' ');
    }
    badge.append(el('span', 'badge-label', m.status));
    facts.append(badge);
  }
  const text = el('p', 'result-snippet');
  text.append(...snippetNodes(snippet(m.text || '', query)));
  li.append(h2, facts, text);
  return li;
}

// ---------------------------------------------------------------- the page

const FILTERS = ['plan', 'department', 'status', 'year', 'kind'];
const PAGE = 20;

async function main() {
  const app = document.getElementById('search-app');
  if (!app) return;
  const t = JSON.parse(document.getElementById('search-strings').textContent);
  const root = app.dataset.root;
  const form = document.getElementById('search-form');
  const input = document.getElementById('search-q');
  const status = document.getElementById('search-status');
  const list = document.getElementById('search-results');
  const more = document.getElementById('search-more');
  document.getElementById('search-nojs').hidden = true;
  // The lists the no-JavaScript notice links to, offered when nothing is found.
  const browse = document.createElement('div');
  browse.id = 'search-browse';
  browse.className = 'notice';
  browse.hidden = true;
  const intro = document.createElement('p');
  intro.textContent = t.browse;
  const links = document.getElementById('search-browse-links');
  browse.append(intro, ...(links ? [links.cloneNode(true)] : []));
  browse.querySelector('ul')?.removeAttribute('id');
  status.after(browse);

  let pagefind;
  try {
    pagefind = await import(new URL(app.dataset.bundle + 'pagefind.js', document.baseURI).href);
    await pagefind.options({ excerptLength: 0 });
    await pagefind.init();
  } catch (e) {
    app.hidden = false;
    form.hidden = true;
    status.textContent = t.unavailable;
    return;
  }

  // Filter menus, from the index.
  const available = await pagefind.filters();
  const params = new URLSearchParams(location.search);
  for (const f of FILTERS) {
    const select = document.getElementById(`search-filter-${f}`);
    if (!select) continue;
    const values = Object.keys(available[f] || {}).sort((a, b) => a.localeCompare(b, document.documentElement.lang, { numeric: true }));
    if (!values.length) {
      select.closest('.search-filter').hidden = true;
      continue;
    }
    for (const v of values) {
      const o = document.createElement('option');
      o.value = v;
      o.textContent = `${v} (${available[f][v]})`;
      select.append(o);
    }
    select.value = params.get(f) || '';
    select.addEventListener('change', () => run(true));
  }
  input.value = params.get('q') || '';
  // Shown once it works, so that a query is never typed into a dead form.
  app.hidden = false;

  let results = [];
  let shown = 0;
  let runId = 0;

  async function showMore() {
    const batch = await Promise.all(results.slice(shown, shown + PAGE).map((r) => r.data()));
    const query = input.value.trim();
    for (const d of batch) list.append(resultItem(d.meta, root, query));
    shown += batch.length;
    more.hidden = shown >= results.length;
  }

  async function run(updateUrl) {
    const id = ++runId;
    const query = input.value.trim();
    const filters = {};
    const url = new URLSearchParams();
    if (query) url.set('q', query);
    for (const f of FILTERS) {
      const v = document.getElementById(`search-filter-${f}`)?.value;
      if (v) {
        filters[f] = v;
        url.set(f, v);
      }
    }
    if (updateUrl) history.replaceState(null, '', `${location.pathname}${url.toString() ? '?' + url : ''}`);
    list.replaceChildren();
    more.hidden = true;
    browse.hidden = true;
    if (!query && !Object.keys(filters).length) {
      status.textContent = '';
      return;
    }
    status.textContent = t.loading;
    const terms = tokens(query).join(' ');
    const search = await pagefind.search(terms || null, { filters });
    if (id !== runId) return;
    results = search.results;
    shown = 0;
    app.dataset.count = results.length;
    const label = query ? `「${query}」` : t.filters;
    status.textContent = countText(t, results.length, label, document.documentElement.lang);
    // Nothing found: the lists by department and status are the way on.
    browse.hidden = results.length > 0;
    await showMore();
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    run(true);
  });
  more.addEventListener('click', () => showMore());
  if (input.value || FILTERS.some((f) => params.get(f))) run(false);
}

if (typeof document !== 'undefined') main();
