// <folio-search>: Folio's search box for any site, as one script tag.
//
//   <script src="https://folio.example.org/widget.js" defer></script>
//   <folio-search facets="tag person" size="5"></folio-search>
//
// It lives in a shadow root, loads nothing but Folio's API (the origin the
// script came from, or the api attribute), runs no inline code and sets
// no style attributes, so it works under a strict Content-Security-Policy
// (script-src and connect-src naming Folio). Its styles are a constructed
// stylesheet, which style-src does not govern. Text from the API is only
// ever put into text nodes: matches arrive as HTML with <mark>, and are
// split into text and <mark> elements here, never parsed as HTML.
//
// Attributes: api (Folio's origin), facets (facet names to offer, e.g.
// "tag person place"), size (results, default 5), placeholder, label.
// Theming: the custom properties --folio-font, --folio-fg, --folio-bg,
// --folio-muted, --folio-accent, --folio-border, --folio-mark,
// --folio-radius, and the parts input, listbox, option, results.
(() => {
  'use strict';
  if (customElements.get('folio-search')) return;
  const scriptOrigin = document.currentScript ? new URL(document.currentScript.src, location.href).origin : location.origin;

  const css = `
:host { display: block; font: var(--folio-font, 16px/1.4 system-ui, sans-serif); color: var(--folio-fg, #1b1b1b); }
.box { position: relative; }
label { display: block; font-size: .85em; color: var(--folio-muted, #555); margin-bottom: .25em; }
input { box-sizing: border-box; width: 100%; font: inherit; padding: .5em .7em; color: inherit;
  background: var(--folio-bg, #fff); border: 1px solid var(--folio-border, #999); border-radius: var(--folio-radius, 6px); }
input:focus { outline: 2px solid var(--folio-accent, #0b5cad); outline-offset: 1px; }
[role=listbox] { position: absolute; z-index: 10; left: 0; right: 0; margin: 2px 0 0; padding: 0; list-style: none;
  background: var(--folio-bg, #fff); border: 1px solid var(--folio-border, #999); border-radius: var(--folio-radius, 6px); }
[role=listbox][hidden], .results[hidden] { display: none; }
[role=option] { padding: .35em .7em; cursor: pointer; display: flex; gap: .5em; justify-content: space-between; }
[role=option][aria-selected=true] { background: var(--folio-accent, #0b5cad); color: var(--folio-bg, #fff); }
.kind { font-size: .8em; opacity: .75; white-space: nowrap; }
.results { margin-top: .75em; }
.results ol { list-style: none; padding: 0; margin: 0; }
.results li { margin: 0 0 .8em; }
.results a { color: var(--folio-accent, #0b5cad); }
.meta, .status { font-size: .85em; color: var(--folio-muted, #555); }
.facets { display: flex; flex-wrap: wrap; gap: .35em; margin: .5em 0; }
.facets button { font: inherit; font-size: .85em; padding: .15em .5em; cursor: pointer; color: inherit;
  background: var(--folio-bg, #fff); border: 1px solid var(--folio-border, #999); border-radius: var(--folio-radius, 6px); }
.facet-name { font-size: .85em; color: var(--folio-muted, #555); align-self: center; }
.facets button[aria-pressed=true] { border-color: var(--folio-accent, #0b5cad); font-weight: 600; }
mark { background: var(--folio-mark, #ffe58a); color: inherit; }
`;
  let sheet = null; // one constructed stylesheet, shared by every instance

  let instances = 0;

  // el makes an element with attributes and children (strings become
  // text nodes).
  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    for (const c of children) e.append(c);
    return e;
  }

  const entities = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&#34;': '"', '&#39;': "'", '&quot;': '"' };

  // marked turns the API's escaped text with <mark> into nodes, without
  // an HTML parser: anything but <mark> and the five escapes stays text.
  function marked(html) {
    const frag = document.createDocumentFragment();
    const decode = (s) => s.replace(/&(amp|lt|gt|quot|#34|#39);/g, (m) => entities[m]);
    html.split(/(<mark>.*?<\/mark>)/s).forEach((part) => {
      if (!part) return;
      const m = /^<mark>(.*)<\/mark>$/s.exec(part);
      frag.append(m ? el('mark', {}, decode(m[1])) : decode(part));
    });
    return frag;
  }

  const kindLabel = { term: 'search', entity: '', title: 'article' };
  const typeLabel = { PER: 'person', ORG: 'organisation', LOC: 'place' };

  class FolioSearch extends HTMLElement {
    constructor() {
      super();
      const n = ++instances;
      const root = this.attachShadow({ mode: 'open' });
      if (!sheet) {
        sheet = new CSSStyleSheet();
        sheet.replaceSync(css);
      }
      root.adoptedStyleSheets = [sheet];
      const listID = `folio-list-${n}`;
      this.input = el('input', {
        type: 'search', id: `folio-input-${n}`, part: 'input', role: 'combobox', autocomplete: 'off', spellcheck: 'false',
        'aria-autocomplete': 'list', 'aria-expanded': 'false', 'aria-controls': listID,
      });
      this.labelEl = el('label', { for: `folio-input-${n}` });
      this.list = el('ul', { id: listID, role: 'listbox', part: 'listbox', hidden: '' });
      this.results = el('div', { class: 'results', part: 'results', hidden: '', 'aria-live': 'polite' });
      const form = el('form', { role: 'search', class: 'box' }, this.labelEl, this.input, this.list);
      root.append(form, this.results);
      this.suggestions = [];
      this.active = -1;
      this.filters = []; // [facet, value] pairs chosen from the facets
      this.seq = 0; // of suggestion requests: a late answer to older text is dropped
      this.searchSeq = 0; // of searches, likewise
      this.timer = 0;
      form.addEventListener('submit', (e) => {
        e.preventDefault();
        this.search(this.input.value);
      });
      this.input.addEventListener('input', () => this.typed());
      this.input.addEventListener('keydown', (e) => this.key(e));
      this.input.addEventListener('blur', () => setTimeout(() => this.close(), 150));
      this.list.addEventListener('mousedown', (e) => e.preventDefault()); // keep focus in the input
      this.list.addEventListener('click', (e) => {
        const li = e.target.closest('[role=option]');
        if (li) this.choose(Number(li.dataset.i));
      });
    }

    connectedCallback() {
      this.labelEl.textContent = this.getAttribute('label') || 'Search the archive';
      this.input.placeholder = this.getAttribute('placeholder') || '';
    }

    get api() { return (this.getAttribute('api') || scriptOrigin).replace(/\/+$/, ''); }
    get facets() { return (this.getAttribute('facets') || '').split(/[\s,]+/).filter(Boolean); }
    get size() { return Math.min(Math.max(parseInt(this.getAttribute('size'), 10) || 5, 1), 50); }

    async get(path, params) {
      const res = await fetch(`${this.api}${path}?${params}`, { headers: { Accept: 'application/json' }, credentials: 'omit' });
      const body = await res.json().catch(() => ({}));
      if (!res.ok) throw new Error((body.error && body.error.message) || `HTTP ${res.status}`);
      return body;
    }

    typed() {
      clearTimeout(this.timer);
      const q = this.input.value;
      if (!q.trim()) {
        this.close();
        return;
      }
      this.timer = setTimeout(() => this.suggest(q), 120);
    }

    async suggest(q) {
      const seq = ++this.seq;
      let body;
      try {
        body = await this.get('/api/suggest', new URLSearchParams({ q, size: '8' }));
      } catch {
        return; // suggestions are a help; the search itself reports errors
      }
      if (seq !== this.seq || this.input.value !== q) return; // the text moved on
      this.show(body.suggestions || []);
    }

    show(list) {
      this.suggestions = list;
      this.active = -1;
      this.list.replaceChildren(...list.map((s, i) => {
        const kind = s.kind === 'entity' ? (typeLabel[s.type] || s.facet) : kindLabel[s.kind];
        return el('li', { id: `${this.list.id}-${i}`, role: 'option', part: 'option', 'aria-selected': 'false', 'data-i': String(i), 'data-kind': s.kind },
          el('span', { class: 'text' }, s.text), el('span', { class: 'kind' }, kind || ''));
      }));
      const open = list.length > 0;
      this.list.hidden = !open;
      this.input.setAttribute('aria-expanded', String(open));
      this.input.removeAttribute('aria-activedescendant');
    }

    close() {
      this.list.hidden = true;
      this.active = -1;
      this.input.setAttribute('aria-expanded', 'false');
      this.input.removeAttribute('aria-activedescendant');
    }

    move(by) {
      const n = this.suggestions.length;
      if (!n) return;
      if (this.list.hidden) {
        this.list.hidden = false;
        this.input.setAttribute('aria-expanded', 'true');
      }
      this.active = ((this.active + 1 + by + n + 1) % (n + 1)) - 1; // -1 is the input itself, between the last and the first
      [...this.list.children].forEach((li, i) => li.setAttribute('aria-selected', String(i === this.active)));
      if (this.active >= 0) this.input.setAttribute('aria-activedescendant', `${this.list.id}-${this.active}`);
      else this.input.removeAttribute('aria-activedescendant');
    }

    key(e) {
      switch (e.key) {
        case 'ArrowDown': e.preventDefault(); this.move(1); break;
        case 'ArrowUp': e.preventDefault(); this.move(-1); break;
        case 'Escape':
          if (!this.list.hidden) {
            e.preventDefault();
            this.close();
          }
          break;
        case 'Enter':
          if (!this.list.hidden && this.active >= 0) {
            e.preventDefault();
            this.choose(this.active);
          }
          break;
      }
    }

    choose(i) {
      const s = this.suggestions[i];
      if (!s) return;
      this.input.value = s.query;
      this.close();
      this.search(s.query);
    }

    pageURL(q) {
      const p = new URLSearchParams();
      if (q) p.set('q', q);
      for (const [f, v] of this.filters) p.append(f, v);
      return `${this.api}/?${p}`;
    }

    async search(q) {
      clearTimeout(this.timer);
      this.seq++; // late suggestions for older text are dropped
      this.close();
      this.query = q;
      const p = new URLSearchParams({ q, size: String(this.size), snippets: '1' });
      for (const [f, v] of this.filters) p.append(f, v);
      p.set('facets', this.facets.length ? this.facets.join(',') : 'none');
      const seq = ++this.searchSeq;
      this.results.hidden = false;
      this.results.replaceChildren(el('p', { class: 'status' }, 'Searching…'));
      let body;
      try {
        body = await this.get('/api/search', p);
      } catch (err) {
        if (seq === this.searchSeq) this.results.replaceChildren(el('p', { class: 'status', role: 'alert' }, String(err.message)));
        return;
      }
      if (seq !== this.searchSeq) return;
      this.render(body);
    }

    render(body) {
      const total = body.total || 0;
      const summary = el('p', { class: 'status' }, `${total.toLocaleString('en')} ${total === 1 ? 'article' : 'articles'}`);
      const facets = el('div', { class: 'facets' });
      for (const name of this.facets) {
        const values = (body.facets && body.facets[name]) || [];
        if (values.length) facets.append(el('span', { class: 'facet-name' }, `${name}:`));
        for (const f of values) {
          const on = this.filters.some(([n, v]) => n === name && v === f.value);
          const b = el('button', { type: 'button', 'aria-pressed': String(on), 'data-facet': name }, `${f.value} (${f.count})`);
          b.addEventListener('click', () => {
            this.filters = on ? this.filters.filter(([n, v]) => !(n === name && v === f.value)) : [...this.filters, [name, f.value]];
            this.search(this.query);
          });
          facets.append(b);
        }
      }
      const list = el('ol');
      for (const h of body.hits || []) {
        const href = `${this.api}/articles/${encodeURIComponent(h.id)}`;
        const title = el('a', { href, class: 'title' }, marked(h.title_html || ''));
        const item = el('li', {}, title);
        const meta = [h.date ? h.date.slice(0, 10) : '', h.source || ''].filter(Boolean).join(' · ');
        if (meta) item.append(el('div', { class: 'meta' }, meta));
        if (h.snippets && h.snippets[0]) item.append(el('div', { class: 'snippet' }, marked(h.snippets[0])));
        list.append(item);
      }
      const more = el('a', { href: this.pageURL(this.query), class: 'more' }, 'All results on Folio');
      this.results.replaceChildren(summary, facets, list, el('p', {}, more));
    }
  }

  customElements.define('folio-search', FolioSearch);
})();
