// Folio's search page. Plain JavaScript, no build step, no third-party code:
// it talks only to Folio's own HTTP API (/api/facets, /api/search,
// /api/articles/{id}, /api/export, /api/entities/related) and keeps all of
// its state in the URL, so every search is a link and back/forward work.
// Which facets and filters there are, and their labels, come from GET
// /api/facets, read once at start. network.js draws the related network.
//
// The server sends a strict Content-Security-Policy, so nothing here uses
// inline scripts, inline styles or innerHTML on data: the DOM is built with
// createElement/textContent, and the only HTML taken from the API (snippets
// and title_html, which contain <mark> by contract) is re-parsed and reduced
// to text plus <mark> elements before it is inserted.
'use strict';

(() => {
  const SORTS = ['relevance', '-date', 'date'];
  const PAGE_SIZE = 10;
  const MAX_PAGE = 100; // the server's default search.max_page
  const FACET_TOP = 10; // values a facet group shows before "Show more"
  const FACET_MAX = 100; // largest facet_size the page asks for
  const DEBOUNCE_MS = 250;
  const MAX_SNIPPETS = 3;
  const MAX_BADGES = 8;

  const $ = (id) => document.getElementById(id);
  const els = {
    form: $('search-form'), q: $('q'), sort: $('sort'),
    searchView: $('search-view'), articleView: $('article-view'), article: $('article'),
    backLink: $('back-link'), main: $('main'),
    filters: $('filters'), filtersCount: $('filters-count'), facets: $('facets'),
    chips: $('chips'), related: $('related'), summary: $('summary'), notice: $('notice'), results: $('results'),
    pager: $('pager'), timeline: $('timeline'), chart: $('timeline-chart'),
    exportBox: $('export'), exportCSV: $('export-csv'), exportJSONL: $('export-jsonl'),
    welcome: $('welcome'), progress: $('progress'), skip: document.querySelector('.skip-link'),
  };

  const numberFmt = new Intl.NumberFormat('en-GB');
  const dateFmt = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' });
  const monthFmt = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', month: 'short', year: 'numeric' });
  const monthLongFmt = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', month: 'long', year: 'numeric' });
  const monthShortFmt = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', month: 'short' });
  const dayShortFmt = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'short' });

  // ---------------------------------------------------------------- helpers

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    if (attrs) {
      for (const [k, v] of Object.entries(attrs)) {
        if (v === null || v === undefined || v === false) continue;
        if (k === 'class') node.className = v;
        else if (k === 'text') node.textContent = v;
        else node.setAttribute(k, v === true ? '' : String(v));
      }
    }
    for (const c of children) {
      if (c === null || c === undefined || c === false) continue;
      node.append(c instanceof Node ? c : String(c));
    }
    return node;
  }

  const SVG_NS = 'http://www.w3.org/2000/svg';
  function svg(tag, attrs) {
    const node = document.createElementNS(SVG_NS, tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
    return node;
  }

  function plural(n, one, many) {
    return `${numberFmt.format(n)} ${n === 1 ? one : many}`;
  }

  // safeMarked turns API HTML (escaped text plus <mark>) into DOM nodes,
  // keeping only text and <mark>. DOMParser documents are inert: nothing in
  // them runs or loads, so even a hostile string cannot act while we read it.
  const parser = new DOMParser();
  function safeMarked(html) {
    const frag = document.createDocumentFragment();
    if (typeof html !== 'string' || html === '') return frag;
    const doc = parser.parseFromString(`<!doctype html><body>${html}`, 'text/html');
    const copy = (from, to) => {
      for (const node of from.childNodes) {
        if (node.nodeType === Node.TEXT_NODE) {
          to.append(node.data);
        } else if (node.nodeType === Node.ELEMENT_NODE) {
          const name = node.nodeName;
          if (name === 'SCRIPT' || name === 'STYLE' || name === 'TEMPLATE') continue;
          if (name === 'MARK') {
            const m = document.createElement('mark');
            copy(node, m);
            to.append(m);
          } else {
            copy(node, to); // unknown element: keep its text only
          }
        }
      }
    };
    copy(doc.body, frag);
    return frag;
  }

  function safeHTTPURL(u) {
    try {
      if (typeof u !== 'string' || u === '') return null;
      const url = new URL(u); // absolute only: a relative URL is not a source
      return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
    } catch {
      return null;
    }
  }

  function formatDate(iso) {
    if (!iso) return null;
    const d = new Date(iso);
    return Number.isNaN(d.getTime()) ? null : dateFmt.format(d);
  }

  function isEditable(node) {
    return node && (node.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(node.nodeName));
  }

  // ------------------------------------------------------------ facet table

  // FACETS are the keyword facets of GET /api/facets, in its order: name
  // (the answer's key, the filter parameter), label and singular (for the
  // page), hitKey (the hit's key), single (a hit holds one string) and
  // entity (PER, ORG, LOC, or '' for an article field). The date facet is
  // the timeline and is handled on its own.
  let FACETS = [];
  let facetsError = ''; // why the table could not be read, if it could not
  const SEARCH_PARAMS = ['q', 'from', 'to', 'sort', 'page', 'view', 'related'];
  const QUOTES_SIZE = 50; // quotes the Quotes view shows

  async function loadFacets() {
    let status = 0;
    try {
      const res = await fetch('/api/facets', { headers: { Accept: 'application/json' } });
      status = res.status;
      const body = res.ok ? await res.json() : null;
      if (!body || !Array.isArray(body.facets)) throw new Error('no facet list');
      FACETS = body.facets
        .filter((f) => f && f.kind === 'terms' && typeof f.name === 'string' && f.name !== '' && !SEARCH_PARAMS.includes(f.name))
        .map((f) => {
          const label = typeof f.label === 'string' && f.label ? f.label : f.name;
          return {
            name: f.name, label,
            singular: typeof f.singular === 'string' && f.singular ? f.singular : label,
            hitKey: typeof f.hit_key === 'string' && f.hit_key ? f.hit_key : f.name,
            single: f.single === true,
            entity: typeof f.entity === 'string' ? f.entity : '',
          };
        });
    } catch {
      FACETS = [];
      facetsError = status ? `HTTP ${status}` : 'no answer';
    }
  }

  function facetOf(name) {
    return FACETS.find((f) => f.name === name) || { name, label: name, singular: name, hitKey: name, single: false, entity: '' };
  }

  // hitValues are a hit's (or an article's) values of facet f, as a list.
  function hitValues(hit, f) {
    const v = hit[f.hitKey];
    const list = Array.isArray(v) ? v : typeof v === 'string' ? [v] : [];
    return list.filter((x) => typeof x === 'string' && x !== '');
  }

  // ----------------------------------------------------------- state & URLs

  // filters maps a facet's name to its chosen values. extra keeps a URL's
  // other parameters when the facet table is missing, so its search is
  // still the one asked for. related is the entity ({facet, name}) whose
  // related view is open, one of the chosen entity filters, or null.
  function emptyState() {
    return { q: '', filters: {}, extra: [], from: '', to: '', sort: 'relevance', page: 1, view: '', related: null };
  }

  function chosen(s, f) {
    return s.filters[f] || [];
  }

  function stateFromParams(p) {
    const s = emptyState();
    s.q = p.get('q') || '';
    for (const f of FACETS) {
      const values = p.getAll(f.name).filter((v) => v !== '');
      if (values.length) s.filters[f.name] = values;
    }
    if (facetsError) s.extra = [...p].filter(([k, v]) => !SEARCH_PARAMS.includes(k) && v !== '');
    s.from = p.get('from') || '';
    s.to = p.get('to') || '';
    const sort = p.get('sort');
    s.sort = SORTS.includes(sort) ? sort : 'relevance';
    const page = parseInt(p.get('page'), 10);
    s.page = page > 0 ? page : 1;
    s.view = p.get('view') === 'quotes' ? 'quotes' : '';
    // related=person:Ilham Aliyev; the facet's name holds no colon.
    const rel = p.get('related') || '';
    const colon = rel.indexOf(':');
    const facet = rel.slice(0, colon);
    if (colon > 0 && FACETS.some((f) => f.name === facet && f.entity)) s.related = { facet, name: rel.slice(colon + 1) };
    return s;
  }

  // baseParams are the parameters that define a search (and its export).
  function baseParams(s) {
    const p = new URLSearchParams();
    if (s.q) p.set('q', s.q);
    for (const f of FACETS) for (const v of chosen(s, f.name)) p.append(f.name, v);
    for (const [k, v] of s.extra) p.append(k, v);
    if (s.from) p.set('from', s.from);
    if (s.to) p.set('to', s.to);
    if (s.sort !== 'relevance') p.set('sort', s.sort);
    if (s.view) p.set('view', s.view);
    return p;
  }

  // pageURL is the page's URL for s: its search, its page and, while its
  // entity is still a filter, the related view.
  function pageURL(s) {
    const p = baseParams(s);
    if (s.page > 1) p.set('page', String(s.page));
    if (s.related && chosen(s, s.related.facet).includes(s.related.name)) p.set('related', `${s.related.facet}:${s.related.name}`);
    const qs = p.toString();
    return qs ? `/?${qs}` : '/';
  }

  function hasFilters(s) {
    return FACETS.some((f) => chosen(s, f.name).length > 0) || s.extra.length > 0 || !!s.from || !!s.to;
  }

  function isBlank(s) {
    return !s.q && !hasFilters(s);
  }

  function withChanges(s, changes) {
    const n = { ...s, ...changes };
    if (!('filters' in changes)) n.filters = copyFilters(s.filters);
    if (!('page' in changes)) n.page = 1; // a new filter or sort starts at page 1
    return n;
  }

  function copyFilters(filters) {
    return Object.fromEntries(Object.entries(filters).map(([f, values]) => [f, values.slice()]));
  }

  function toggleFilter(s, field, value) {
    const filters = copyFilters(s.filters);
    const had = chosen(s, field);
    filters[field] = had.includes(value) ? had.filter((v) => v !== value) : [...had, value];
    return withChanges(s, { filters });
  }

  // onlyFilter is a fresh search for one value of one facet.
  function onlyFilter(field, value) {
    return withChanges(emptyState(), { filters: { [field]: [value] } });
  }

  function articleURL(id, q) {
    const base = `/articles/${encodeURIComponent(id)}`;
    return q ? `${base}?${new URLSearchParams({ q })}` : base;
  }

  // ------------------------------------------------------------- navigation

  let view = null; // 'search' | 'article'
  let shown = null; // the search state on screen
  let typing = false; // a run of keystrokes replaces one history entry

  history.scrollRestoration = 'manual';

  function here() {
    return location.pathname + location.search;
  }

  function navigate(url, opts = {}) {
    if (url === here() && !opts.force) return;
    // Remember where the reader was, so Back returns to the same spot.
    history.replaceState({ ...(history.state || {}), scrollY: window.scrollY }, '');
    relatedFocus = !!opts.focusRelated;
    const state = { fromSearch: view === 'search' && url.startsWith('/articles/') };
    if (opts.replace) history.replaceState(state, '', url);
    else history.pushState(state, '', url);
    route({ fromInput: !!opts.fromInput, scrollY: opts.keepScroll ? window.scrollY : 0 });
  }

  function route(opts = {}) {
    const m = location.pathname.match(/^\/articles\/([^/]+)\/?$/);
    if (m) {
      let id;
      try {
        id = decodeURIComponent(m[1]);
      } catch {
        id = m[1];
      }
      showArticle(id, new URLSearchParams(location.search), opts);
    } else {
      showSearch(stateFromParams(new URLSearchParams(location.search)), opts);
    }
  }

  window.addEventListener('popstate', (e) => {
    typing = false;
    route({ scrollY: (e.state && e.state.scrollY) || 0, fromHistory: true });
  });

  // Links inside the page (facets, chips, tags, pager, results) are real
  // links, so they work with the keyboard, open in new tabs and can be
  // copied; a plain click is handled here without reloading the page.
  document.addEventListener('click', (e) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    const a = e.target.closest('a[href]');
    if (!a || a.target || a.hasAttribute('download')) return;
    const url = new URL(a.getAttribute('href'), location.href);
    if (url.origin !== location.origin) return;
    if (url.pathname !== '/' && !url.pathname.startsWith('/articles/')) return;
    if (a.id === 'back-link' && history.state && history.state.fromSearch) {
      e.preventDefault();
      history.back();
      return;
    }
    e.preventDefault();
    typing = false;
    navigate(url.pathname + url.search + url.hash, { keepScroll: a.dataset.keepScroll === '1' }); // a hash picks out a quote
  });

  document.addEventListener('keydown', (e) => {
    if (e.key === '/' && !e.ctrlKey && !e.metaKey && !e.altKey && !isEditable(document.activeElement)) {
      e.preventDefault();
      els.q.focus();
      els.q.select();
    }
  });

  // ------------------------------------------------------ typing and search

  let debounce = 0;

  // The URL is the truth: it already holds a filter whose results are
  // still on their way.
  function currentSearchState() {
    return view === 'search' ? stateFromParams(new URLSearchParams(location.search)) : emptyState();
  }

  function commitQuery(final) {
    clearTimeout(debounce);
    const next = withChanges(currentSearchState(), { q: els.q.value.trim() });
    const url = pageURL(next);
    const replace = typing && view === 'search';
    typing = !final;
    if (url === here()) {
      if (final) navigate(url, { replace: true, force: true, fromInput: true });
      return;
    }
    navigate(url, { replace, fromInput: true });
  }

  els.q.addEventListener('input', () => {
    clearTimeout(debounce);
    debounce = setTimeout(() => commitQuery(false), DEBOUNCE_MS);
  });
  els.q.addEventListener('blur', () => {
    typing = false;
  });
  els.form.addEventListener('submit', (e) => {
    e.preventDefault();
    commitQuery(true);
  });
  els.sort.addEventListener('change', () => {
    typing = false;
    navigate(pageURL(withChanges(currentSearchState(), { sort: els.sort.value })));
  });

  // ------------------------------------------------------------- fetching

  let seq = 0; // only the newest request may draw; older answers are dropped
  let inflight = null;
  let busyTimer = 0;
  let facetSize = FACET_TOP; // grows when a facet group asks for more
  const expanded = new Set(); // facet groups showing more than FACET_TOP
  const cache = new Map(); // API URL -> response, for instant back/forward
  let lastData = null; // the response on screen
  let shownAPI = ''; // the search URL it answered

  function remember(key, value) {
    cache.delete(key);
    cache.set(key, value);
    if (cache.size > 40) cache.delete(cache.keys().next().value);
  }

  function setBusy(on) {
    clearTimeout(busyTimer);
    document.body.classList.toggle('busy', on);
    if (on) busyTimer = setTimeout(() => { els.progress.hidden = false; }, 120);
    else els.progress.hidden = true;
    els.results.setAttribute('aria-busy', on ? 'true' : 'false');
  }

  async function getJSON(url) {
    const my = ++seq;
    if (inflight) inflight.abort();
    const ctrl = new AbortController();
    inflight = ctrl;
    setBusy(true);
    try {
      const res = await fetch(url, { signal: ctrl.signal, headers: { Accept: 'application/json' } });
      let body = null;
      try {
        body = await res.json();
      } catch {
        body = null;
      }
      if (my !== seq) return { stale: true };
      return { status: res.status, ok: res.ok, body, retryAfter: res.headers.get('Retry-After') };
    } catch (err) {
      if (my !== seq || err.name === 'AbortError') return { stale: true };
      return { status: 0, ok: false, body: null };
    } finally {
      if (my === seq) {
        setBusy(false);
        inflight = null;
      }
    }
  }

  function apiSearchURL(s) {
    const p = baseParams(s);
    if (s.page > 1) p.set('page', String(s.page));
    p.set('size', String(PAGE_SIZE));
    if (facetSize !== FACET_TOP) p.set('facet_size', String(facetSize));
    return `/api/search?${p}`;
  }

  // ------------------------------------------------------------ search view

  function setView(v) {
    view = v;
    els.searchView.hidden = v !== 'search';
    els.articleView.hidden = v !== 'article';
    els.skip.setAttribute('href', v === 'search' ? '#main' : '#article-view');
    els.skip.textContent = v === 'search' ? 'Skip to results' : 'Skip to article';
  }

  async function showSearch(s, opts) {
    const same = view === 'search' && apiSearchURL(s) === shownAPI; // only the related view changed
    setView('search');
    if (!opts.fromInput) els.q.value = s.q;
    els.sort.value = s.sort;
    document.title = s.q ? `${s.q} — Folio` : 'Folio — search the archive';
    const focus = focusKey(); // a removed chip must hand focus on
    renderChips(s);
    restoreFocus(focus);
    renderExport(s);
    renderViewTabs(s);
    if (s.view === 'quotes') {
      showQuotes(s);
      return;
    }

    const url = apiSearchURL(s);
    if ((opts.fromHistory || same) && cache.has(url)) {
      seq++; // drop anything still on its way
      if (inflight) inflight.abort();
      setBusy(false);
      shownAPI = url;
      render(s, cache.get(url));
      window.scrollTo(0, opts.scrollY || 0);
      return;
    }
    const res = await getJSON(url);
    if (res.stale) return;
    if (res.ok && res.body && typeof res.body === 'object') {
      remember(url, res.body);
      shownAPI = url;
      render(s, res.body);
    } else {
      shownAPI = '';
      renderFailure(s, res);
    }
    window.scrollTo(0, opts.scrollY || 0);
  }

  function render(s, data) {
    shown = s;
    lastData = data; // kept for facet "more/fewer" redraws
    const focus = focusKey();
    els.welcome.hidden = !isBlank(s);
    renderSummary(s, data);
    renderNotice(s, data);
    renderResults(s, data);
    renderFacets(s, data);
    timelineUnit = ['article', 'articles', 'Articles'];
    renderTimeline(s, data);
    renderPager(s, data);
    els.exportBox.hidden = !(data.total > 0);
    restoreFocus(focus);
    markShown();
  }

  // markShown records which URL the screen now answers, so tests (and
  // anyone curious) can tell a finished render from one still on its way.
  function markShown() {
    document.documentElement.dataset.shown = here();
  }

  function clearResults() {
    els.results.replaceChildren();
    els.facets.replaceChildren();
    els.pager.hidden = true;
    els.pager.replaceChildren();
    els.timeline.hidden = true;
    els.exportBox.hidden = true;
  }

  function renderFailure(s, res) {
    shown = s;
    clearResults();
    markShown();
    els.summary.textContent = '';
    if (isBlank(s)) {
      // The landing page shows the archive when the API allows an empty
      // search; when it does not, the help text alone is fine.
      els.welcome.hidden = false;
      els.notice.hidden = true;
      els.facets.replaceChildren();
      return;
    }
    els.welcome.hidden = true;
    const err = res.body && res.body.error;
    if (res.status === 400 && err && (err.code === 'bad_query' || Number.isInteger(err.position))) {
      showQueryError(s, err);
      return;
    }
    let msg;
    if (res.status === 0) msg = 'Folio could not be reached. Check the connection and try again.';
    else if (res.status === 503 || res.status === 429) msg = `Folio is busy right now${res.retryAfter ? ` — try again in ${res.retryAfter} s` : ' — try again in a moment'}.`;
    else if (err && err.message && res.status < 500) msg = `This search cannot be run: ${err.message}.`;
    else msg = `Something went wrong on the server (HTTP ${res.status}). Try again in a moment.`;
    setNotice('error', el('p', null, msg));
  }

  function showQueryError(s, err) {
    const box = [el('p', { class: 'notice-title' }, 'This search could not be understood.'),
      el('p', null, String(err.message || 'The query has a syntax error.'))];
    const pos = Number.isInteger(err.position) && err.position >= 0 ? err.position : -1;
    if (pos >= 0 && s.q) {
      // The position is a UTF-8 byte offset into q (Folio counts as Go
      // does); find the character it falls in.
      const chars = Array.from(s.q);
      let at = 0;
      for (let bytes = 0; at < chars.length; at++) {
        const n = new TextEncoder().encode(chars[at]).length;
        if (bytes + n > pos) break;
        bytes += n;
      }
      const before = chars.slice(0, at).join('');
      const bad = chars[at] === undefined ? ' ' : chars[at];
      const after = chars.slice(at + 1).join('');
      box.push(el('p', { class: 'query-echo' },
        el('span', { class: 'visually-hidden' }, `Problem at character ${at + 1}: `),
        el('code', null, before, el('span', { class: 'query-problem' }, bad), after)));
      const fix = el('button', { type: 'button', class: 'link-button' }, 'Show me in the search box');
      fix.addEventListener('click', () => {
        els.q.focus();
        const offset = before.length; // UTF-16 index for the input's selection
        els.q.setSelectionRange(offset, offset + (chars[at] ? chars[at].length : 0));
      });
      box.push(el('p', null, fix));
    }
    box.push(el('p', { class: 'notice-help' }, 'Tip: quote marks come in pairs; OR must sit between two words.'));
    setNotice('error', ...box);
  }

  function setNotice(kind, ...children) {
    els.notice.className = `notice notice-${kind}`;
    els.notice.setAttribute('role', kind === 'error' ? 'alert' : 'status');
    els.notice.replaceChildren(...children);
    els.notice.hidden = children.length === 0;
  }

  function renderSummary(s, data) {
    const total = Number(data.total) || 0;
    const took = typeof data.took_ms === 'number' ? data.took_ms : null;
    const parts = [];
    const first = (s.page - 1) * PAGE_SIZE + 1;
    const hits = Array.isArray(data.hits) ? data.hits.length : 0;
    if (total > PAGE_SIZE && hits > 0) {
      parts.push(`${numberFmt.format(first)}–${numberFmt.format(first + hits - 1)} of `);
    }
    parts.push(el('strong', { class: 'total' }, numberFmt.format(total)));
    parts.push(total === 1 ? ' article' : ' articles');
    if (isBlank(s)) parts.push(' in the archive');
    // Quote the query unless it brings its own quote marks.
    if (s.q) parts.push(' for ', /["“”]/.test(s.q) ? el('span', { class: 'query-text' }, s.q) : el('q', null, s.q));
    if (took !== null) parts.push(el('span', { class: 'took' }, ` · ${took < 10 ? took.toFixed(1) : Math.round(took)} ms`));
    els.summary.replaceChildren(...parts);
  }

  function renderNotice(s, data) {
    const total = Number(data.total) || 0;
    const children = [];
    if (facetsError) children.push(facetsProblem());
    if (typeof data.did_you_mean === 'string' && (data.did_you_mean || data.did_you_mean_filters)) {
      // A name variant's suggestion may change the filters too, and
      // says how many articles it finds.
      const changes = { q: data.did_you_mean };
      const sugg = data.did_you_mean_filters && typeof data.did_you_mean_filters === 'object' ? data.did_you_mean_filters : null;
      if (sugg) {
        const filters = copyFilters(s.filters);
        for (const [f, values] of Object.entries(sugg)) if (Array.isArray(values)) filters[f] = values.map(String);
        changes.filters = filters;
      }
      const words = [data.did_you_mean, ...(sugg ? Object.entries(sugg).map(([f, v]) => `${facetOf(f).singular}: ${[].concat(v).join(', ')}`) : [])]
        .filter(Boolean).join(' · ');
      const count = typeof data.did_you_mean_total === 'number' ? ` (${plural(data.did_you_mean_total, 'article', 'articles')})` : '';
      children.push(el('p', null, 'Did you mean ',
        el('a', { href: pageURL(withChanges(s, changes)), class: 'did-you-mean' }, el('q', null, words)), `${count}?`));
    }
    const matched = data.matched && typeof data.matched === 'object' ? data.matched : {};
    for (const f of FACETS) {
      const names = Array.isArray(matched[f.name]) ? matched[f.name].filter((n) => typeof n === 'string') : [];
      const typed = chosen(s, f.name);
      const other = names.filter((n) => !typed.includes(n));
      if (other.length) children.push(el('p', { class: 'matched' }, `${f.singular} filter matched ${other.join(', ')}.`));
    }
    // Feedback's words, so that a reader sees why an article without the
    // query's every word ranks where it does.
    const expansion = Array.isArray(data.expansion) ? data.expansion.filter((w) => typeof w === 'string') : [];
    if (expansion.length && total > 0) {
      children.push(el('p', { class: 'expansion' }, 'Also ranked by words of the best matches: ', el('span', { class: 'expansion-words' }, expansion.join(', ')), '.'));
    }
    if (data.fuzzy && total > 0) {
      children.push(el('p', null, `No exact matches for “${s.q}”; showing articles with similar spellings.`));
    }
    if (total === 0 && !isBlank(s)) {
      children.push(el('p', { class: 'notice-title' }, s.q ? `No articles match “${s.q}”.` : 'No articles match these filters.'));
      const tips = el('ul', { class: 'tips' });
      if (hasFilters(s)) {
        const clear = emptyState();
        clear.q = s.q;
        clear.sort = s.sort;
        tips.append(el('li', null, el('a', { href: pageURL(clear) }, 'Remove all filters'), ' to search the whole archive.'));
      }
      tips.append(el('li', null, 'Check the spelling, or use fewer words.'));
      if (/["“”]/.test(s.q)) tips.append(el('li', null, 'Exact phrases must match word for word; try without the quotes.'));
      children.push(tips);
    }
    setNotice(total === 0 && !isBlank(s) ? 'empty' : 'info', ...children);
  }

  function renderResults(s, data) {
    const hits = Array.isArray(data.hits) ? data.hits : [];
    els.results.start = (s.page - 1) * PAGE_SIZE + 1;
    els.results.setAttribute('aria-label', isBlank(s) ? 'Latest articles' : 'Results');
    // Hits past the total hold only some of a query's words: feedback
    // follows a query that matched few articles with them.
    const total = Number(data.total) || 0;
    const first = (s.page - 1) * PAGE_SIZE;
    const items = hits.map((hit, i) => resultItem(s, hit, i, first + i >= total));
    els.results.replaceChildren(...items);
  }

  function resultItem(s, hit, i, partial) {
    const id = String(hit.id ?? '');
    const titleId = `result-${i}`;
    const link = el('a', { href: articleURL(id, s.q), id: titleId });
    if (typeof hit.title_html === 'string' && hit.title_html !== '') link.append(safeMarked(hit.title_html));
    else link.textContent = hit.title || '(untitled)';

    const meta = el('p', { class: 'result-meta' });
    const when = formatDate(hit.date);
    if (when) meta.append(el('time', { datetime: hit.date }, when));
    // Facets of the article's own fields sit in the meta line: one value
    // (an author, a source) as a plain link, several (tags) as tags.
    for (const f of FACETS) {
      if (f.entity) continue;
      const values = hitValues(hit, f);
      if (!values.length) continue;
      const list = el('span', { class: f.single ? `result-facet result-${f.name}` : 'result-tags', 'data-facet': f.name },
        el('span', { class: 'visually-hidden' }, `${f.single ? f.singular : f.label}: `));
      for (const v of values) {
        const active = chosen(s, f.name).includes(v);
        list.append(el('a', {
          class: `${f.single ? 'facet-link' : 'tag'}${active ? ' active' : ''}`,
          href: pageURL(active ? s : toggleFilter(s, f.name, v)),
          title: `${f.singular}: ${v}${active ? '' : ' — filter by this'}`,
        }, v));
      }
      meta.append(list);
    }
    const src = safeHTTPURL(hit.url);
    if (src) meta.append(el('a', { class: 'source', href: src, rel: 'noopener noreferrer nofollow', target: '_blank' }, hostOf(src), el('span', { class: 'visually-hidden' }, ' (original, opens in a new tab)')));

    if (partial) meta.prepend(el('span', { class: 'partial-note' }, 'Some of your words'));
    const li = el('li', { class: partial ? 'result partial' : 'result' });
    const art = el('article', { 'aria-labelledby': titleId });
    art.append(el('h2', { class: 'result-title' }, link));
    if (meta.childNodes.length) art.append(meta);

    const snippets = (Array.isArray(hit.snippets) ? hit.snippets : []).filter((x) => typeof x === 'string' && x.trim() !== '');
    if (snippets.length) {
      const box = el('div', { class: 'snippets' });
      for (const sn of snippets.slice(0, MAX_SNIPPETS)) box.append(el('p', { class: 'snippet' }, safeMarked(sn)));
      art.append(box);
    }

    // Entity facets (people, organisations, places) are badges.
    const badges = [];
    for (const f of FACETS) {
      if (f.entity) for (const name of hitValues(hit, f)) badges.push([f, name]);
    }
    if (badges.length) {
      const row = el('p', { class: 'badges' }, el('span', { class: 'visually-hidden' }, 'Mentions: '));
      for (const [f, name] of badges.slice(0, MAX_BADGES)) {
        const active = chosen(s, f.name).includes(name);
        row.append(el('a', {
          class: `badge badge-${f.name}${active ? ' active' : ''}`,
          href: pageURL(active ? s : toggleFilter(s, f.name, name)),
          title: `${f.singular}: ${name}${active ? '' : ' — filter by this'}`,
        }, el('span', { class: 'badge-kind', 'aria-hidden': 'true' }, badgeGlyph(f)), el('span', { class: 'visually-hidden' }, `${f.singular}: `), name));
      }
      if (badges.length > MAX_BADGES) row.append(el('span', { class: 'badge-more' }, `+${badges.length - MAX_BADGES} more`));
      art.append(row);
    }
    li.append(art);
    return li;
  }

  function badgeGlyph(f) {
    return { PER: 'P', ORG: 'O', LOC: 'L' }[f.entity] || f.singular.charAt(0).toUpperCase();
  }

  function hostOf(u) {
    try {
      return new URL(u).hostname.replace(/^www\./, '');
    } catch {
      return 'source';
    }
  }

  // ------------------------------------------------------ chips and facets

  function renderChips(s) {
    const chips = [];
    for (const f of FACETS) {
      for (const v of chosen(s, f.name)) {
        chips.push(chip(f.singular, v, toggleFilter(s, f.name, v), `chip:${f.name}:${v}`, f.name));
        if (f.entity) {
          chips.push(el('button', { type: 'button', class: 'chip-related', 'data-facet': f.name, 'data-name': v,
            'aria-label': `Who appears with ${v}`, title: `Who appears with ${v}` }, 'Related'));
        }
      }
    }
    if (s.from || s.to) {
      const label = s.from && s.to ? (s.from === s.to ? periodLabel(s.from) : `${periodLabel(s.from)} – ${periodLabel(s.to)}`)
        : s.from ? `from ${periodLabel(s.from)}` : `until ${periodLabel(s.to)}`;
      chips.push(chip('Dates', label, withChanges(s, { from: '', to: '' }), 'chip:date', 'date'));
    }
    if (chips.length > 1) {
      const clear = emptyState();
      clear.q = s.q;
      clear.sort = s.sort;
      chips.push(el('a', { class: 'chip-clear', href: pageURL(clear), 'data-focus-key': 'chip:clear' }, 'Clear all'));
    }
    els.chips.replaceChildren(...chips);
    els.chips.hidden = chips.length === 0;
    for (const b of els.chips.querySelectorAll('.chip-related')) {
      b.addEventListener('click', () => {
        relatedPeriod = '';
        relatedFor = ''; // asked again even if open
        navigate(pageURL(withChanges(s, { related: { facet: b.dataset.facet, name: b.dataset.name }, page: s.page })), { keepScroll: true });
        syncRelated(currentSearchState());
      });
    }
    syncRelated(s);
    const n = FACETS.reduce((acc, f) => acc + chosen(s, f.name).length, 0) + (s.from || s.to ? 1 : 0);
    els.filtersCount.textContent = n ? `(${n})` : '';
  }

  // ------------------------------------------------------ related entities

  const RELATED_LIST = 10; // entities of each type the list shows
  const RELATED_NET = 15; // entities the network draws, of all types

  // relatedFor is the API URL the view answers (or is fetching); the
  // view's entity is the search's related.
  let relatedFor = '';
  let relatedSeq = 0;
  let relatedFocus = false; // a keyboard user moved the centre: focus follows
  let relatedPeriod = ''; // the year the network shows ('' for all); kept as the centre moves

  function hideRelated() {
    relatedFor = '';
    relatedPeriod = '';
    relatedSeq++;
    els.related.hidden = true;
    els.related.replaceChildren();
  }

  // relatedURL asks who appears with an entity in the articles of the
  // search without that entity's own filter: the background its
  // association is measured against.
  function relatedURL(s, facet, name) {
    const bg = withChanges(s, {});
    bg.filters[facet] = chosen(s, facet).filter((v) => v !== name);
    const p = baseParams(bg);
    p.delete('sort');
    p.delete('view');
    p.set('type', facet);
    p.set('name', name);
    p.set('size', String(RELATED_NET)); // the network's top 15 may all be of one type
    p.set('slice', 'year');
    return `/api/entities/related?${p}`;
  }

  // syncRelated keeps the view in step with the search on screen: open
  // on its related entity while that is a filter, asked again when the
  // rest of the search changes.
  function syncRelated(s) {
    const r = s.related && chosen(s, s.related.facet).includes(s.related.name) ? s.related : null;
    if (!r) {
      if (!els.related.hidden) hideRelated();
    } else if (relatedURL(s, r.facet, r.name) !== relatedFor) {
      showRelated(s, r.facet, r.name, { focus: relatedFocus });
    }
    relatedFocus = false;
  }

  async function showRelated(s, facet, name, opts = {}) {
    const url = relatedURL(s, facet, name);
    relatedFor = url;
    const my = ++relatedSeq;
    els.related.hidden = false;
    els.related.setAttribute('aria-busy', 'true');
    if (!els.related.querySelector('.related-body')) {
      els.related.replaceChildren(el('p', { class: 'related-busy' }, `Finding who appears with ${name}…`));
    }
    let body = null;
    let status = 0;
    try {
      const res = await fetch(url, { headers: { Accept: 'application/json' } });
      status = res.status;
      body = await res.json();
    } catch {
      body = null;
    }
    if (my !== relatedSeq) return; // another was asked for since
    els.related.setAttribute('aria-busy', 'false');
    if (!body || status !== 200 || !body.related) {
      const msg = body && body.error && body.error.message ? body.error.message : `HTTP ${status || 'error'}`;
      els.related.replaceChildren(el('p', { class: 'related-error' }, `Related entities could not be listed: ${msg}`));
      return;
    }
    const f = facetOf(facet);
    const matched = Array.isArray(body.entity && body.entity.matched) && body.entity.matched.length ? body.entity.matched.join(', ') : name;
    const head = el('div', { class: 'related-head' },
      el('h2', { id: 'related-heading', tabindex: '-1' }, `Who appears with ${matched}`),
      el('span', { class: 'related-note' }, `${plural(Number(body.articles) || 0, 'article', 'articles')} of ${numberFmt.format(Number(body.total) || 0)}; ranked by log-likelihood, at least 2 together`),
      el('span', { class: 'export' }, 'Export: ',
        el('a', { href: `${url}&format=csv`, download: 'related.csv' }, 'CSV'), ' ',
        el('a', { href: `${url}&format=graphml`, download: 'related.graphml' }, 'GraphML')),
      el('button', { type: 'button', class: 'related-close', 'aria-label': 'Close related entities' }, '×'));
    const groups = [];
    for (const g of FACETS) {
      const list = Array.isArray(body.related[g.name]) ? body.related[g.name] : null;
      if (!list) continue;
      const items = list.filter((e) => e && typeof e.name === 'string').slice(0, RELATED_LIST).map((e) =>
        el('li', { class: 'related-item' },
          el('a', { href: pageURL(toggleFilter(s, g.name, e.name)), class: `related-name chip-${g.name}` }, e.name),
          el('span', { class: 'related-count' }, ` ${plural(Number(e.count) || 0, 'article', 'articles')} together`),
          el('span', { class: 'related-score', title: 'log-likelihood ratio' }, ` · ${Number(e.score).toFixed(1)}`)));
      groups.push(el('section', { class: 'related-group' }, el('h3', null, g.label),
        items.length ? el('ol', { class: 'related-list', 'data-facet': g.name }, ...items) : el('p', { class: 'related-none' }, 'None often enough.')));
    }
    const net = relatedNetwork(s, { facet, name, label: matched }, body);
    els.related.replaceChildren(head, el('div', { class: 'related-body' }, net, el('div', { class: 'related-groups' }, ...groups)));
    redrawNetwork(); // now that its box has a width
    els.related.querySelector('.related-close').addEventListener('click', () => {
      navigate(pageURL(withChanges(s, { related: null, page: s.page })), { keepScroll: true });
      const chip = [...els.chips.querySelectorAll('.chip-related')].find((b) => b.dataset.facet === facet && b.dataset.name === name);
      if (chip) chip.focus();
    });
    els.related.setAttribute('aria-label', `Who appears with ${matched} (${f.singular})`);
    if (opts.focus) {
      const first = els.related.querySelector('.net-node');
      (first || els.related.querySelector('#related-heading')).focus();
    }
  }

  // relatedNetwork draws the related entities as a network around the
  // entity, over all the matches or, when the answer has several years,
  // over the year chosen. A node adds its entity's filter and moves the
  // centre to it, so a reader can walk from one entity to the next.
  function relatedNetwork(s, centre, body) {
    const net = window.folioNetwork;
    const slices = Array.isArray(body.slices) ? body.slices.filter((x) => x && typeof x.period === 'string' && x.related) : [];
    const box = el('figure', { class: 'net' });
    const canvas = el('div', { class: 'net-canvas' });
    const caption = el('figcaption', { class: 'net-caption' });
    const labels = Object.fromEntries(net.TYPES.map((t) => [t, facetOf(t).singular]));

    let drawnWidth = 0;
    const drawFor = (period) => {
      relatedPeriod = period;
      drawnWidth = canvas.clientWidth;
      const slice = slices.find((x) => x.period === period);
      const entities = net.pick(slice ? slice.related : body.related, RELATED_NET);
      const when = slice ? ` in ${period}` : '';
      const title = `Network of who appears with ${centre.label}${when}: ${plural(entities.length, 'entity', 'entities')}. Arrow keys move between them; each is a link that filters by it and centres the network on it.`;
      net.draw({
        into: canvas, centre, entities, title, width: drawnWidth,
        href: (facet, name) => pageURL(withChanges(chosen(s, facet).includes(name) ? s : toggleFilter(s, facet, name), { related: { facet, name } })),
        describe: (e) => `${e.name} (${facetOf(e.facet).singular}): ${plural(e.count, 'article', 'articles')} together${when}, score ${e.score.toFixed(1)}`,
      });
      caption.replaceChildren(entities.length
        ? `The ${entities.length === 1 ? 'entity' : `${entities.length} entities`} most associated with ${centre.label}${when}${slice ? ', at least 1 article together' : ''}.`
        : `No one appears with ${centre.label}${when} often enough.`);
    };

    canvas.addEventListener('click', (e) => {
      const a = e.target.closest('a.net-node');
      if (!a || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
      e.preventDefault(); // an SVG link: the page's link handler leaves it alone
      typing = false;
      navigate(a.getAttribute('href'), { focusRelated: e.detail === 0 }); // 0: Enter, not a pointer
    });

    if (slices.length > 0) {
      const pickPeriod = el('select', { class: 'net-period' },
        el('option', { value: '' }, 'all years'),
        ...slices.map((x) => el('option', { value: x.period }, `${x.period} (${plural(Number(x.articles) || 0, 'article', 'articles')})`)));
      pickPeriod.value = slices.some((x) => x.period === relatedPeriod) ? relatedPeriod : '';
      pickPeriod.addEventListener('change', () => drawFor(pickPeriod.value));
      box.append(el('label', { class: 'net-control' }, 'Network for ', pickPeriod));
    }
    box.append(canvas, net.legend(labels), caption);
    const first = slices.some((x) => x.period === relatedPeriod) ? relatedPeriod : '';
    redrawNetwork = () => {
      if (!drawnWidth || canvas.clientWidth !== drawnWidth) drawFor(drawnWidth ? relatedPeriod : first);
    };
    return box;
  }

  // redrawNetwork draws the network shown again if its box changed width.
  let redrawNetwork = () => {};
  window.addEventListener('resize', () => {
    if (!els.related.hidden) redrawNetwork();
  });

  function chip(kind, value, without, key, f) {
    return el('a', { class: `chip chip-${f}`, href: pageURL(without), 'data-focus-key': key, 'aria-label': `Remove filter ${kind}: ${value}` },
      el('span', { class: 'chip-kind' }, `${kind}:`), ' ', el('span', { class: 'chip-value' }, value),
      el('span', { class: 'chip-x', 'aria-hidden': 'true' }, '×'));
  }

  function renderFacets(s, data) {
    if (facetsError) {
      els.facets.replaceChildren(facetsProblem());
      return;
    }
    const facets = data.facets && typeof data.facets === 'object' ? data.facets : {};
    const groups = [];
    for (const f of FACETS) {
      let values = Array.isArray(facets[f.name]) ? facets[f.name].filter((v) => v && typeof v.value === 'string' && v.value !== '') : [];
      // A chosen filter stays visible (and removable) even if the API's
      // top N leaves it out.
      for (const v of chosen(s, f.name)) if (!values.some((x) => x.value === v)) values = [{ value: v, count: null }, ...values];
      if (!values.length) continue;
      groups.push(facetGroup(s, f, values));
    }
    const kinds = FACETS.map((f) => f.label.toLowerCase());
    const list = kinds.length > 1 ? `${kinds.slice(0, -1).join(', ')} and ${kinds[kinds.length - 1]}` : kinds.join('');
    if (!groups.length) groups.push(el('p', { class: 'facets-empty' }, isBlank(s) ? `Search to see ${list}.` : 'No filters to offer for these results.'));
    els.facets.replaceChildren(...groups);
  }

  // facetsProblem says that the filters are missing and why; searching
  // still works without them.
  function facetsProblem() {
    return el('p', { class: 'facets-error' },
      `The filters could not be loaded (${facetsError}). Searching still works; reload the page to try again.`);
  }

  function facetGroup(s, facet, values) {
    const f = facet.name;
    const open = expanded.has(f);
    const shownValues = open ? values : values.slice(0, FACET_TOP);
    const headId = `facet-${f}`;
    const list = el('ul', { class: 'facet-list', 'aria-labelledby': headId });
    for (const { value, count } of shownValues) {
      const active = chosen(s, f).includes(value);
      const a = el('a', {
        class: `facet-item${active ? ' active' : ''}`,
        href: pageURL(toggleFilter(s, f, value)),
        'aria-current': active ? 'true' : null,
        'data-focus-key': `facet:${f}:${value}`,
        'data-keep-scroll': '1',
        title: active ? `Remove filter ${facet.singular}: ${value}` : `${facet.singular}: ${value}`,
      },
      el('span', { class: 'facet-check', 'aria-hidden': 'true' }),
      el('span', { class: 'facet-value' }, value),
      count === null ? null : el('span', { class: 'facet-count' }, el('span', { class: 'visually-hidden' }, ', '), numberFmt.format(count), el('span', { class: 'visually-hidden' }, count === 1 ? ' article' : ' articles')),
      active ? el('span', { class: 'visually-hidden' }, ' (selected; activate to remove)') : null);
      list.append(el('li', null, a));
    }
    const group = el('section', { class: 'facet-group', 'aria-labelledby': headId },
      el('h2', { id: headId, class: 'facet-title' }, facet.label), list);

    // "Show more" appears when values are hidden locally or when the API
    // returned a full page of them (so there may be more on the server).
    const canGrowServer = values.length >= facetSize && facetSize < FACET_MAX;
    const hiddenLocally = !open && values.length > FACET_TOP;
    const controls = el('div', { class: 'facet-controls' });
    if (hiddenLocally || (open && canGrowServer) || (!open && canGrowServer && values.length >= FACET_TOP)) {
      const more = el('button', { type: 'button', class: 'link-button', 'data-focus-key': `more:${f}`, 'aria-controls': headId }, `Show more ${facet.label.toLowerCase()}`);
      more.addEventListener('click', () => showMoreFacets(f, values.length));
      controls.append(more);
    }
    if (open) {
      const less = el('button', { type: 'button', class: 'link-button', 'data-focus-key': `less:${f}` }, 'Show fewer');
      less.addEventListener('click', () => {
        expanded.delete(f);
        if (shown && lastData) renderFacets(shown, lastData);
        const b = els.facets.querySelector(`[data-focus-key="more:${f}"]`);
        if (b) b.focus();
      });
      controls.append(less);
    }
    if (controls.childNodes.length) group.append(controls);
    return group;
  }

  function showMoreFacets(f, have) {
    const wasOpen = expanded.has(f);
    expanded.add(f);
    if (!wasOpen && have > FACET_TOP && have < facetSize) {
      // Everything is already here; just show it.
      renderFacets(shown, lastData);
      focusByKey(`more:${f}`) || focusByKey(`less:${f}`);
      return;
    }
    const want = Math.min(FACET_MAX, Math.max(facetSize * 3, 30));
    if (want === facetSize) {
      renderFacets(shown, lastData);
      focusByKey(`less:${f}`);
      return;
    }
    facetSize = want;
    showSearch(shown, { fromInput: true, scrollY: window.scrollY });
  }

  function focusKey() {
    const a = document.activeElement;
    return a && a.dataset ? a.dataset.focusKey || null : null;
  }

  function focusByKey(key) {
    if (!key) return false;
    for (const node of document.querySelectorAll('[data-focus-key]')) {
      if (node.dataset.focusKey === key) {
        node.focus();
        return true;
      }
    }
    return false;
  }

  // Re-rendering replaces elements; keep keyboard focus on the same control
  // (or a sensible neighbour when it went away, e.g. a removed chip).
  function restoreFocus(key) {
    if (!key || document.activeElement && document.activeElement !== document.body && document.body.contains(document.activeElement)) return;
    if (key === 'results') {
      // A new page starts at the top; so does keyboard focus.
      els.main.focus({ preventScroll: true });
      return;
    }
    if (focusByKey(key)) return;
    if (key.startsWith('more:')) {
      focusByKey(`less:${key.slice(5)}`);
      return;
    }
    if (key.startsWith('chip:')) {
      // Not the search box: on a phone that would pop up the keyboard.
      const first = els.chips.querySelector('.chip');
      if (first) first.focus();
      else els.main.focus({ preventScroll: true });
    }
  }

  // --------------------------------------------------------------- timeline

  // Periods come as "YYYY", "YYYY-MM" or "YYYY-MM-DD"; one precision per
  // histogram. They are handled as UTC dates so no time zone shifts them.
  function parsePeriod(v) {
    const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(v);
    if (!m) return null;
    const kind = m[3] ? 'day' : m[2] ? 'month' : 'year';
    return { kind, date: new Date(Date.UTC(+m[1], m[2] ? +m[2] - 1 : 0, m[3] ? +m[3] : 1)) };
  }

  function formatPeriod(kind, d) {
    const y = String(d.getUTCFullYear()).padStart(4, '0');
    if (kind === 'year') return y;
    const mo = String(d.getUTCMonth() + 1).padStart(2, '0');
    if (kind === 'month') return `${y}-${mo}`;
    return `${y}-${mo}-${String(d.getUTCDate()).padStart(2, '0')}`;
  }

  function nextPeriod(kind, d) {
    const n = new Date(d.getTime());
    if (kind === 'year') n.setUTCFullYear(n.getUTCFullYear() + 1);
    else if (kind === 'month') n.setUTCMonth(n.getUTCMonth() + 1);
    else n.setUTCDate(n.getUTCDate() + 1);
    return n;
  }

  function periodLabel(v, short) {
    const p = parsePeriod(v);
    if (!p) return v;
    if (p.kind === 'year') return v;
    if (p.kind === 'month') return short ? monthFmt.format(p.date) : monthLongFmt.format(p.date);
    return short ? dayShortFmt.format(p.date) : dateFmt.format(p.date);
  }

  // fillGaps inserts empty buckets between the API's buckets so the bars sit
  // on a true time axis; very long spans are drawn as given.
  function fillGaps(buckets) {
    const parsed = buckets.map((b) => ({ ...b, p: parsePeriod(b.value) }));
    if (parsed.some((b) => !b.p) || new Set(parsed.map((b) => b.p.kind)).size !== 1) return buckets;
    const kind = parsed[0].p.kind;
    const byValue = new Map(buckets.map((b) => [b.value, b.count]));
    const out = [];
    let d = parsed[0].p.date;
    const last = parsed[parsed.length - 1].p.date.getTime();
    while (d.getTime() <= last) {
      const v = formatPeriod(kind, d);
      out.push({ value: v, count: byValue.get(v) || 0 });
      if (out.length > 1000) return buckets;
      d = nextPeriod(kind, d);
    }
    return out;
  }

  let timelineData = null; // {buckets, s} of the drawn chart, for redraws
  let selection = null; // {anchor, focus} indexes while dragging or with the keyboard

  // timelineUnit names what the timeline counts: articles, or quotes in
  // the Quotes view.
  let timelineUnit = ['article', 'articles', 'Articles'];

  function renderTimeline(s, data) {
    const raw = (data.facets && Array.isArray(data.facets.date) ? data.facets.date : [])
      .filter((b) => b && typeof b.value === 'string' && Number(b.count) > 0)
      .map((b) => ({ value: b.value, count: Number(b.count) }))
      .sort((a, b) => (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
    if (!raw.length) {
      els.timeline.hidden = true;
      timelineData = null;
      return;
    }
    const dated = raw.reduce((a, b) => a + b.count, 0);
    const undated = Math.max(0, (Number(data.total) || 0) - dated);
    timelineData = { s, buckets: fillGaps(raw), undated };
    selection = null;
    els.timeline.hidden = false;
    drawTimeline();
  }

  function drawTimeline() {
    if (!timelineData) return;
    const { buckets, undated } = timelineData;
    const n = buckets.length;
    const width = Math.max(240, Math.floor(els.chart.clientWidth || 600));
    const height = 88;
    const axis = 18;
    const top = 4;
    const slot = width / n;
    const gap = slot > 6 ? Math.min(4, slot * 0.18) : 0;
    const max = Math.max(...buckets.map((b) => b.count));
    const chartH = height - axis - top;

    const root = svg('svg', {
      viewBox: `0 0 ${width} ${height}`, width, height, class: 'timeline-svg', role: 'group',
      'aria-label': `${timelineUnit[2]} over time, ${periodLabel(buckets[0].value)} to ${periodLabel(buckets[n - 1].value)}. Use arrow keys to move, Shift with arrows to extend, Enter to filter.`,
    });
    root.append(svg('line', { x1: 0, x2: width, y1: height - axis + 0.5, y2: height - axis + 0.5, class: 'timeline-axis' }));

    // A redraw (new results, a resize) replaces the bars; a keyboard user
    // keeps their place on the same bar.
    const active = document.activeElement;
    const focusedBar = active && els.chart.contains(active) && active.closest('.bar') ? Number(active.closest('.bar').dataset.i) : -1;
    const focusAt = Math.min(n - 1, focusedBar >= 0 ? focusedBar : selection ? selection.focus : n - 1);
    buckets.forEach((b, i) => {
      const g = svg('g', {
        class: 'bar', 'data-i': i, role: 'button', tabindex: i === focusAt ? 0 : -1,
        'aria-label': `${periodLabel(b.value)}: ${plural(b.count, timelineUnit[0], timelineUnit[1])}`,
      });
      // A full-height transparent hit area makes thin or short bars easy to hit.
      g.append(svg('rect', { x: i * slot, y: 0, width: slot, height: height - axis, class: 'bar-hit' }));
      const h = b.count > 0 ? Math.max(2, (b.count / max) * chartH) : 0;
      const bw = Math.min(48, Math.max(1, slot - gap)); // few buckets: slim bars, not slabs
      g.append(svg('rect', { x: i * slot + (slot - bw) / 2, y: height - axis - h, width: bw, height: h, rx: Math.min(2, bw / 4), class: 'bar-fill' }));
      const title = svg('title', {});
      title.textContent = `${periodLabel(b.value)}: ${plural(b.count, timelineUnit[0], timelineUnit[1])}`;
      g.append(title);
      root.append(g);
    });

    // Axis labels: as many as fit without overlapping.
    const labelW = parsePeriod(buckets[0].value)?.kind === 'year' ? 36 : 64;
    const step = Math.max(1, Math.ceil(labelW / slot));
    for (let i = 0; i < n; i += step) {
      const x = Math.min(width - labelW / 2, Math.max(labelW / 2, i * slot + slot / 2));
      const t = svg('text', { x, y: height - 4, 'text-anchor': 'middle', class: 'timeline-label', 'aria-hidden': 'true' });
      t.textContent = periodLabel(buckets[i].value, true);
      root.append(t);
    }
    els.chart.replaceChildren(root);
    if (focusedBar >= 0) root.querySelector(`.bar[data-i="${focusAt}"]`).focus();
    const help = $('timeline-help');
    help.textContent = `Click a bar or drag across bars to limit the dates.${undated ? ` ${plural(undated, 'article has', 'articles have')} no date.` : ''}`;
    paintSelection();
  }

  function paintSelection() {
    const bars = els.chart.querySelectorAll('.bar');
    const lo = selection ? Math.min(selection.anchor, selection.focus) : -1;
    const hi = selection ? Math.max(selection.anchor, selection.focus) : -1;
    bars.forEach((g, i) => {
      g.classList.toggle('selected', i >= lo && i <= hi);
      g.setAttribute('aria-pressed', i >= lo && i <= hi ? 'true' : 'false');
    });
    els.chart.classList.toggle('selecting', !!selection);
  }

  function applySelection() {
    if (!selection || !timelineData) return;
    const { buckets, s } = timelineData;
    const lo = Math.min(selection.anchor, selection.focus);
    const hi = Math.max(selection.anchor, selection.focus);
    selection = null;
    if (!buckets.slice(lo, hi + 1).some((b) => b.count > 0)) {
      paintSelection();
      return;
    }
    typing = false;
    navigate(pageURL(withChanges(s, { from: buckets[lo].value, to: buckets[hi].value })));
  }

  function barIndexAt(clientX) {
    const svgEl = els.chart.querySelector('svg');
    if (!svgEl || !timelineData) return -1;
    const r = svgEl.getBoundingClientRect();
    const i = Math.floor(((clientX - r.left) / r.width) * timelineData.buckets.length);
    return Math.max(0, Math.min(timelineData.buckets.length - 1, i));
  }

  let dragging = false;
  els.chart.addEventListener('pointerdown', (e) => {
    if (e.button !== 0 || !timelineData) return;
    const i = barIndexAt(e.clientX);
    if (i < 0) return;
    e.preventDefault();
    dragging = true;
    els.chart.setPointerCapture(e.pointerId);
    selection = { anchor: i, focus: i };
    paintSelection();
  });
  els.chart.addEventListener('pointermove', (e) => {
    if (!dragging) return;
    const i = barIndexAt(e.clientX);
    if (i >= 0 && selection && i !== selection.focus) {
      selection.focus = i;
      paintSelection();
    }
  });
  const endDrag = (e) => {
    if (!dragging) return;
    dragging = false;
    if (els.chart.hasPointerCapture(e.pointerId)) els.chart.releasePointerCapture(e.pointerId);
    if (e.type === 'pointercancel') {
      selection = null;
      paintSelection();
      return;
    }
    applySelection();
  };
  els.chart.addEventListener('pointerup', endDrag);
  els.chart.addEventListener('pointercancel', endDrag);

  els.chart.addEventListener('keydown', (e) => {
    const bar = e.target.closest && e.target.closest('.bar');
    if (!bar || !timelineData) return;
    const n = timelineData.buckets.length;
    const i = Number(bar.dataset.i);
    let j = i;
    if (e.key === 'ArrowRight' || e.key === 'ArrowUp') j = Math.min(n - 1, i + 1);
    else if (e.key === 'ArrowLeft' || e.key === 'ArrowDown') j = Math.max(0, i - 1);
    else if (e.key === 'Home') j = 0;
    else if (e.key === 'End') j = n - 1;
    else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      if (!selection) selection = { anchor: i, focus: i };
      applySelection();
      return;
    } else if (e.key === 'Escape') {
      selection = null;
      paintSelection();
      return;
    } else return;
    e.preventDefault();
    if (e.shiftKey) selection = { anchor: selection ? selection.anchor : i, focus: j };
    else selection = null;
    const bars = els.chart.querySelectorAll('.bar');
    bars[i].setAttribute('tabindex', '-1');
    bars[j].setAttribute('tabindex', '0');
    bars[j].focus();
    paintSelection();
  });

  let resizeTimer = 0;
  window.addEventListener('resize', () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => {
      if (view === 'search' && !els.timeline.hidden) drawTimeline();
    }, 100);
  });

  // ------------------------------------------------------------ pager, export

  function renderPager(s, data) {
    const total = Number(data.total) || 0;
    const pages = Math.min(MAX_PAGE, Math.ceil(total / PAGE_SIZE));
    if (pages <= 1) {
      els.pager.hidden = true;
      els.pager.replaceChildren();
      return;
    }
    const cur = Math.min(s.page, pages);
    const link = (p, label, cls, aria) => el('a', {
      href: pageURL({ ...s, page: p }), class: cls, 'aria-label': aria, 'data-focus-key': 'results',
      'aria-current': p === cur && !cls.includes('step') ? 'page' : null,
    }, label);
    const items = [];
    items.push(cur > 1 ? link(cur - 1, '‹ Previous', 'pg step', 'Previous page') : el('span', { class: 'pg step disabled', 'aria-hidden': 'true' }, '‹ Previous'));
    const nums = new Set([1, pages, cur - 1, cur, cur + 1]);
    if (cur <= 3) [2, 3, 4].forEach((p) => nums.add(p));
    if (cur >= pages - 2) [pages - 1, pages - 2, pages - 3].forEach((p) => nums.add(p));
    let prev = 0;
    for (const p of [...nums].filter((p) => p >= 1 && p <= pages).sort((a, b) => a - b)) {
      if (p - prev > 1) items.push(el('span', { class: 'pg gap', 'aria-hidden': 'true' }, '…'));
      items.push(link(p, String(p), p === cur ? 'pg num current' : 'pg num', `Page ${p}`));
      prev = p;
    }
    items.push(cur < pages ? link(cur + 1, 'Next ›', 'pg step', 'Next page') : el('span', { class: 'pg step disabled', 'aria-hidden': 'true' }, 'Next ›'));
    els.pager.replaceChildren(...items);
    els.pager.hidden = false;
  }

  function renderExport(s) {
    const p = baseParams(s);
    p.set('format', 'csv');
    els.exportCSV.href = `/api/export?${p}`;
    p.set('format', 'jsonl');
    els.exportJSONL.href = `/api/export?${p}`;
  }

  // ------------------------------------------------------------ quotes view

  // The Quotes view is the same search over GET /api/quotes: who said
  // what, grouped by speaker, with the timeline of first appearances.
  function renderViewTabs(s) {
    const articles = $('view-articles');
    const quotes = $('view-quotes');
    if (!articles || !quotes) return;
    articles.setAttribute('href', pageURL(withChanges(s, { view: '' })));
    quotes.setAttribute('href', pageURL(withChanges(s, { view: 'quotes' })));
    const on = s.view === 'quotes' ? quotes : articles;
    const off = on === quotes ? articles : quotes;
    on.setAttribute('aria-current', 'page');
    off.removeAttribute('aria-current');
  }

  function apiQuotesURL(s) {
    const p = new URLSearchParams();
    if (s.q) p.set('q', s.q);
    for (const v of chosen(s, 'tag')) p.append('tag', v);
    if (s.from) p.set('from', s.from);
    if (s.to) p.set('to', s.to);
    if (s.sort !== 'relevance') p.set('sort', s.sort);
    p.set('size', String(QUOTES_SIZE));
    p.set('facets', 'speaker,date');
    return `/api/quotes?${p}`;
  }

  async function showQuotes(s) {
    const res = await getJSON(apiQuotesURL(s));
    if (res.stale) return;
    if (!res.ok || !res.body || typeof res.body !== 'object') {
      renderFailure(s, res);
      return;
    }
    const data = res.body;
    shown = s;
    lastData = null;
    els.welcome.hidden = true;
    els.notice.hidden = true;
    els.pager.hidden = true;
    els.exportBox.hidden = true;
    els.facets.replaceChildren();
    const total = Number(data.total) || 0;
    els.summary.replaceChildren(el('strong', { class: 'total' }, numberFmt.format(total)), total === 1 ? ' quote' : ' quotes',
      s.q ? ' for ' : '', s.q ? el('q', null, s.q) : '');
    timelineUnit = ['quote', 'quotes', 'Quotes'];
    renderTimeline(s, data);
    // Speakers in the order of their best quote; unknown speakers last.
    const groups = new Map();
    for (const h of Array.isArray(data.hits) ? data.hits : []) {
      const who = typeof h.speaker === 'string' ? h.speaker : '';
      if (!groups.has(who)) groups.set(who, []);
      groups.get(who).push(h);
    }
    const order = [...groups.keys()].sort((a, b) => (a === '') - (b === ''));
    els.results.setAttribute('aria-label', 'Quotes by speaker');
    els.results.replaceChildren(...order.map((who) => el('li', { class: 'quote-group', 'data-speaker': who },
      el('h2', { class: 'quote-speaker' }, who || 'Speaker not named', el('span', { class: 'quote-count' }, ` · ${groups.get(who).length}`)),
      el('ol', { class: 'quote-list' }, ...groups.get(who).map(quoteItem)))));
    markShown();
  }

  function quoteItem(h) {
    const text = el('blockquote', { class: 'quote-text' });
    if (typeof h.text_html === 'string') text.append(safeMarked(h.text_html));
    const id = String(h.article_id ?? '');
    const when = formatDate(h.date);
    const count = Number(h.count) || 1;
    return el('li', { class: 'quote' }, text,
      el('p', { class: 'quote-meta' },
        h.cue ? `${h.cue} · ` : '',
        when ? el('time', { datetime: h.date }, when) : '',
        when ? ' · ' : '',
        el('a', { class: 'quote-link', href: `${articleURL(id)}#${quoteAnchor(h)}` }, String(h.title || id)),
        count > 1 ? el('span', { class: 'quote-carried' }, ` · in ${numberFmt.format(count)} articles`) : ''));
  }

  // quoteAnchor names a quote's place in the article view: its offset in
  // the body, or in the headline.
  function quoteAnchor(q) {
    return `quote-${q.in_title === true ? 'title-' : ''}${Number(q.start) || 0}`;
  }

  // articleQuotes lists an article's quotes with their speakers; each
  // learns its first appearance from /api/quotes once the article is shown.
  function articleQuotes(a) {
    const quotes = (Array.isArray(a.quotes) ? a.quotes : []).filter((q) => q && typeof q.text === 'string' && q.text !== '');
    if (!quotes.length) return null;
    const list = el('ol', { class: 'article-quotes' }, ...quotes.map((q) => {
      const first = el('a', { class: 'quote-first', hidden: true }, 'First appearance');
      const who = typeof q.speaker === 'string' && q.speaker ? q.speaker : '';
      const item = el('li', { class: 'article-quote', id: quoteAnchor(q) },
        el('blockquote', { class: 'quote-text' }, q.text),
        el('p', { class: 'quote-meta' },
          who ? el('a', { class: 'quote-speaker', href: pageURL(withChanges(emptyState(), { q: `speaker:"${who.replace(/"/g, '')}"`, view: 'quotes' })) }, who) : el('span', { class: 'quote-speaker' }, 'Speaker not named'),
          q.cue ? ` ${q.cue}` : '', ' · ', first));
      findFirst(q.text, a.id, first);
      return item;
    }));
    return el('section', { class: 'article-quotes-box', 'aria-labelledby': 'quotes-heading' }, el('h2', { id: 'quotes-heading' }, 'Quotes'), list);
  }

  async function findFirst(text, here, link) {
    const words = text.replace(/["“”«»„‹›]/g, ' ').split(/\s+/).filter(Boolean).slice(0, 30).join(' ');
    if (!words) return;
    try {
      const res = await fetch(`/api/quotes?${new URLSearchParams({ q: `quote:"${words}"`, size: '1', facets: 'none', sort: 'date' })}`, { headers: { Accept: 'application/json' } });
      const body = await res.json();
      const hit = res.ok && body && Array.isArray(body.hits) ? body.hits[0] : null;
      if (!hit || !hit.first || typeof hit.first.article_id !== 'string') return;
      const id = hit.first.article_id;
      link.setAttribute('href', `${articleURL(id)}#quote-${Number(hit.start) || 0}`);
      link.textContent = id === here ? 'First appearance: this article' : `First appearance: ${formatDate(hit.first.date) || id}`;
      link.dataset.first = id;
      link.hidden = false;
    } catch {
      // The quote stays without its lineage.
    }
  }

  // ----------------------------------------------------------- article view

  const articleCache = new Map();

  async function showArticle(id, params, opts) {
    setView('article');
    const q = params.get('q') || '';
    els.q.value = q;
    els.backLink.setAttribute('href', q ? pageURL(withChanges(emptyState(), { q })) : '/');
    els.backLink.textContent = history.state && history.state.fromSearch ? '← Back to results' : (q ? '← Search results' : '← Search');
    const url = `/api/articles/${encodeURIComponent(id)}`;
    let body = articleCache.get(url);
    if (!body) {
      els.article.replaceChildren(el('p', { class: 'loading' }, 'Loading the article…'));
      const res = await getJSON(url);
      if (res.stale) return;
      if (!res.ok || !res.body || typeof res.body !== 'object') {
        document.title = 'Article not found — Folio';
        els.article.replaceChildren(
          el('h1', { class: 'article-title', tabindex: '-1' }, res.status === 404 ? 'Article not found' : 'The article could not be loaded'),
          el('p', null, res.status === 404 ? 'It may have been removed from the archive.' : `HTTP ${res.status || 'error'} — try again in a moment.`));
        markShown();
        return;
      }
      body = res.body;
      articleCache.set(url, body);
      if (articleCache.size > 20) articleCache.delete(articleCache.keys().next().value);
    }
    renderArticle(body, q);
    markShown();
    window.scrollTo(0, opts.scrollY || 0);
    const target = location.hash.startsWith('#quote-') ? document.getElementById(location.hash.slice(1)) : null;
    if (target) {
      target.classList.add('quote-target');
      target.scrollIntoView({ block: 'center' });
    }
    if (!opts.fromHistory) {
      const h1 = els.article.querySelector('h1');
      if (h1) h1.focus({ preventScroll: true });
    }
  }

  // entityKind is the facet an entity of this type (PER, ORG, LOC) is
  // filtered by, or null (MISC).
  function entityKind(type) {
    const t = String(type || '').toUpperCase();
    const f = FACETS.find((x) => x.entity && x.entity.toUpperCase() === t);
    return f ? f.name : null;
  }

  function renderArticle(a, q) {
    const title = String(a.title || '(untitled)');
    document.title = `${title} — Folio`;
    const bodyText = typeof a.body === 'string' ? a.body : '';
    const nodes = [];
    nodes.push(el('h1', { class: 'article-title', tabindex: '-1' }, title));

    const meta = el('p', { class: 'article-meta' });
    const when = formatDate(a.date);
    if (when) meta.append(el('time', { datetime: a.date }, when));
    for (const k of ['author', 'dateline']) if (typeof a[k] === 'string' && a[k]) meta.append(el('span', { class: `article-${k}` }, a[k]));
    const src = safeHTTPURL(a.url);
    if (src) meta.append(el('a', { href: src, rel: 'noopener noreferrer nofollow', target: '_blank' }, 'Original article', el('span', { class: 'visually-hidden' }, ' (opens in a new tab)')));
    if (meta.childNodes.length) nodes.push(meta);

    const entities = (Array.isArray(a.entities) ? a.entities : [])
      .map((e) => ({ kind: entityKind(e && e.type), name: String((e && e.name) || ''), mentions: Array.isArray(e && e.mentions) ? e.mentions : [] }))
      .filter((e) => e.kind && e.name);

    // Every facet the article has values of, in the table's order, each
    // value a search for it: the article's fields (tags, author, source)
    // as they are, entity facets from its entities, most mentioned first.
    const side = el('aside', { class: 'article-aside', 'aria-label': 'Tags and names in this article' });
    for (const f of FACETS) {
      if (!f.entity) {
        const values = hitValues(a, f);
        if (!values.length) continue;
        side.append(el('h2', null, f.single ? f.singular : f.label), el('ul', { class: 'link-list', 'data-facet': f.name },
          ...values.map((v) => el('li', null, el('a', { class: f.single ? 'facet-link' : 'tag', href: pageURL(onlyFilter(f.name, v)) }, v)))));
        continue;
      }
      const ofKind = entities.filter((e) => e.kind === f.name);
      if (!ofKind.length) continue;
      ofKind.sort((x, y) => y.mentions.length - x.mentions.length || x.name.localeCompare(y.name));
      side.append(el('h2', null, el('span', { class: `legend legend-${f.name}`, 'aria-hidden': 'true' }), f.label),
        el('ul', { class: 'link-list', 'data-facet': f.name }, ...ofKind.map((e) => el('li', null,
          el('a', { class: `badge badge-${f.name}`, href: pageURL(onlyFilter(f.name, e.name)), title: `Search for articles that mention ${e.name}` }, e.name),
          e.mentions.length > 1 ? el('span', { class: 'mention-count' }, ` ×${e.mentions.length}`) : null))));
    }

    const text = el('div', { class: 'article-body' });
    renderBody(text, bodyText, entities, queryPattern(q));
    const layout = el('div', { class: 'article-layout' }, el('article', { class: 'article-text', 'aria-labelledby': 'article-title' }, text, articleQuotes(a)));
    if (side.childNodes.length) layout.append(side);
    nodes[0].id = 'article-title';
    nodes.push(layout);
    els.article.replaceChildren(...nodes);
  }

  // Entity mentions are UTF-8 byte offsets into the body (as Go counts them);
  // JavaScript strings are UTF-16, so map each offset by walking the body
  // once. An offset inside a multi-byte character moves to its end.
  function byteOffsetsToIndexes(str, offsets) {
    const want = [...new Set(offsets)].sort((x, y) => x - y);
    const map = new Map();
    let byte = 0;
    let k = 0;
    let u = 0;
    while (k < want.length) {
      while (k < want.length && want[k] <= byte) map.set(want[k++], u);
      if (u >= str.length) break;
      const c = str.codePointAt(u);
      byte += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
      u += c > 0xffff ? 2 : 1;
    }
    while (k < want.length) map.set(want[k++], str.length);
    return map;
  }

  function mentionSpans(body, entities) {
    const raw = [];
    for (const e of entities) {
      for (const m of e.mentions) {
        const start = Number(m && m.start);
        const end = Number(m && m.end);
        if (Number.isInteger(start) && Number.isInteger(end) && start >= 0 && end > start) raw.push({ start, end, kind: e.kind, name: e.name });
      }
    }
    const idx = byteOffsetsToIndexes(body, raw.flatMap((r) => [r.start, r.end]));
    const spans = raw.map((r) => ({ ...r, start: idx.get(r.start), end: idx.get(r.end) }))
      .filter((r) => r.end > r.start)
      .sort((x, y) => x.start - y.start || y.end - x.end);
    // Overlapping mentions cannot nest sensibly; keep the first (longest).
    const out = [];
    let last = 0;
    for (const sp of spans) {
      if (sp.start >= last) {
        out.push(sp);
        last = sp.end;
      }
    }
    return out;
  }

  // Paragraphs are separated by blank lines, or (wire copy) by a line break
  // followed by an indent. Single line breaks inside one are soft wraps.
  function paragraphs(body) {
    const out = [];
    const re = /\n[ \t\u00a0]*\n\s*|\n(?=[ \t]{2,}\S)/g;
    let start = 0;
    let m;
    while ((m = re.exec(body)) !== null) {
      if (m.index > start) out.push([start, m.index]);
      start = m.index + m[0].length;
    }
    if (start < body.length) out.push([start, body.length]);
    return out
      .map(([s, e]) => {
        while (s < e && /\s/.test(body[s])) s++;
        while (e > s && /\s/.test(body[e - 1])) e--;
        return [s, e];
      })
      .filter(([s, e]) => e > s);
  }

  function renderBody(container, body, entities, pattern) {
    const spans = mentionSpans(body, entities);
    let k = 0;
    for (const [ps, pe] of paragraphs(body)) {
      const p = el('p');
      let pos = ps;
      while (k < spans.length && spans[k].end <= ps) k++;
      for (let j = k; j < spans.length && spans[j].start < pe; j++) {
        const sp = spans[j];
        const s = Math.max(sp.start, ps);
        const e = Math.min(sp.end, pe);
        if (s > pos) appendHighlighted(p, body.slice(pos, s), pattern);
        const mark = el('mark', { class: `ent ent-${sp.kind}`, title: `${facetOf(sp.kind).singular}: ${sp.name}`, 'data-entity': sp.name });
        appendHighlighted(mark, body.slice(s, e), pattern);
        p.append(mark);
        pos = e;
      }
      if (pos < pe) appendHighlighted(p, body.slice(pos, pe), pattern);
      container.append(p);
    }
    if (!container.childNodes.length) container.append(el('p', { class: 'muted' }, 'This article has no text beyond its title.'));
  }

  function appendHighlighted(parent, text, pattern) {
    if (!pattern) {
      parent.append(text);
      return;
    }
    pattern.lastIndex = 0;
    let pos = 0;
    let m;
    while ((m = pattern.exec(text)) !== null) {
      if (m[0] === '') {
        pattern.lastIndex++;
        continue;
      }
      if (m.index > pos) parent.append(text.slice(pos, m.index));
      parent.append(el('mark', { class: 'hit' }, m[0]));
      pos = m.index + m[0].length;
    }
    if (pos < text.length) parent.append(text.slice(pos));
  }

  // queryPattern builds one regular expression that marks the query's words
  // and phrases in an article. It approximates the index: case-insensitive,
  // any quote mark or dash matches any other, phrases allow any punctuation
  // or spacing between words, and plain terms match common English endings
  // (the index stems them). Excluded terms and field filters are not marked.
  function queryPattern(q) {
    if (!q) return null;
    const alts = [];
    const tokenRe = /(-)?(?:([A-Za-z_]+):)?(?:["“”„]([^"“”„]*)["“”„]?|(\S+))/gu;
    let m;
    while ((m = tokenRe.exec(q)) !== null) {
      const [, neg, field, phrase, word] = m;
      if (neg) continue;
      if (field && !['title', 'body'].includes(field.toLowerCase())) continue;
      if (phrase !== undefined) {
        const words = phrase.split(/[^\p{L}\p{N}'’‘-]+/u).filter(Boolean).map(wordPattern);
        if (words.length) alts.push(words.join('[^\\p{L}\\p{N}]+'));
        continue;
      }
      let w = word.replace(/^[(]+|[)]+$/g, '');
      if (/^(OR|AND|NOT)$/.test(w) || w === '') continue;
      const fuzzy = /~\d*$/.test(w);
      w = w.replace(/~\d*$/, '');
      const prefix = w.endsWith('*');
      w = w.replace(/[*?]+$/, '').replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
      if (!w) continue;
      if (prefix) alts.push(`${wordPattern(w)}[\\p{L}\\p{N}]*`);
      else if (fuzzy) alts.push(wordPattern(w));
      else alts.push(stemPattern(w));
    }
    if (!alts.length) return null;
    alts.sort((x, y) => y.length - x.length);
    try {
      return new RegExp(`(?<![\\p{L}\\p{N}])(?:${alts.join('|')})(?![\\p{L}\\p{N}])`, 'giu');
    } catch {
      return null;
    }
  }

  function escapeRe(s) {
    return s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
  }

  function wordPattern(w) {
    return Array.from(w).map((ch) => (/['’‘]/.test(ch) ? '[\'’‘]' : /[-–—]/.test(ch) ? '[-–—]' : escapeRe(ch))).join('');
  }

  function stemPattern(w) {
    const lower = w.toLowerCase();
    let stem = lower;
    for (const suf of ['ing', 'ies', 'ied', 'es', 'ed', 's', 'e', 'y']) {
      if (stem.endsWith(suf) && stem.length - suf.length >= 3) {
        stem = stem.slice(0, -suf.length);
        break;
      }
    }
    return `${wordPattern(stem)}(?:e|es|s|ed|d|ing|er|ers|ies|ied|y|ly|ion|ions|['’]s)?`;
  }

  // --------------------------------------------------------- layout, start

  // Phones get the filter panel folded so results come first.
  const narrow = window.matchMedia('(max-width: 799px)');
  const syncFilters = () => {
    els.filters.open = !narrow.matches;
  };
  narrow.addEventListener('change', syncFilters);
  syncFilters();

  // The facet table comes first: the URL's filters are read by it.
  loadFacets().then(() => route({}));
})();
