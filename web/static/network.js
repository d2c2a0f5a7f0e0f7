// Folio's related-entities network: the entity asked about in the centre and
// the entities most associated with it around it, drawn as SVG by hand.
// The layout is a fixed radial one, ordered by score, so the same answer
// at the same width always gives the same drawing (and tests can check
// it); it is drawn at the pixel size of its box, so labels stay 12px on a
// phone too. Node size shows
// the articles shared with the centre, edge width the association score,
// colour and shape the entity's type. Each node is a link; what a click on
// it does is up to the page (app.js), which gets the link's facet and name
// from its data attributes.
'use strict';

window.folioNetwork = (() => {
  const SVG_NS = 'http://www.w3.org/2000/svg';
  const TYPES = ['person', 'org', 'place']; // also the order of ties
  const MAX_W = 560; // the widest drawing, in pixels
  const MIN_W = 280;

  function svg(tag, attrs, text) {
    const node = document.createElementNS(SVG_NS, tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // frame is the drawing's geometry at a width: its size, centre, the
  // scale of the rings and how many characters a label keeps before "…".
  function frame(width) {
    const w = Math.round(Math.min(MAX_W, Math.max(MIN_W, Number(width) || MAX_W)));
    const h = Math.round(Math.max(300, (400 * w) / MAX_W));
    return { w, h, cx: w / 2, cy: h / 2 - 8, kx: w / MAX_W, ky: h / 400, labelMax: w < 420 ? 16 : 20 };
  }

  function short(name, max) {
    return name.length > max ? `${name.slice(0, max - 1).trimEnd()}…` : name;
  }

  // pick merges the lists by type ({person: [...], org: [...]}) into the
  // max most associated entities: by score, then shared articles, type and
  // name, so ties always fall the same way.
  function pick(related, max) {
    const all = [];
    for (const facet of TYPES) {
      const list = related && Array.isArray(related[facet]) ? related[facet] : [];
      for (const e of list) {
        if (e && typeof e.name === 'string' && e.name !== '') {
          all.push({ facet, name: e.name, count: Number(e.count) || 0, score: Number(e.score) || 0 });
        }
      }
    }
    all.sort((a, b) => b.score - a.score || b.count - a.count ||
      TYPES.indexOf(a.facet) - TYPES.indexOf(b.facet) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return all.slice(0, max);
  }

  // layout places the entities on an ellipse around the centre, the most
  // associated at the top and the rest clockwise. Beyond eight, nodes
  // alternate between an inner and an outer ring so labels do not collide.
  function layout(entities, fr) {
    const n = entities.length;
    const maxCount = Math.max(1, ...entities.map((e) => e.count));
    const maxScore = Math.max(0, ...entities.map((e) => e.score));
    return entities.map((e, i) => {
      const a = -Math.PI / 2 + (2 * Math.PI * i) / n;
      const outer = n <= 8 || i % 2 === 0;
      const [rx, ry] = n <= 8 ? [170, 135] : outer ? [195, 150] : [120, 92];
      return {
        ...e,
        x: fr.cx + rx * fr.kx * Math.cos(a),
        y: fr.cy + ry * fr.ky * Math.sin(a),
        r: (6 + 10 * Math.sqrt(e.count / maxCount)) * Math.max(0.75, fr.kx),
        width: maxScore > 0 ? 1 + 6 * (e.score / maxScore) : 1,
      };
    });
  }

  // shape is a node's mark: a circle for a person, a rounded square for
  // an organisation, a diamond for a place, of about the same area.
  function shape(facet, x, y, r) {
    const f = (v) => v.toFixed(1);
    if (facet === 'org') {
      const s = r * 1.75;
      return svg('rect', { x: f(x - s / 2), y: f(y - s / 2), width: f(s), height: f(s), rx: 3, class: 'net-shape' });
    }
    if (facet === 'place') {
      const d = r * 1.3;
      return svg('polygon', { points: `${f(x)},${f(y - d)} ${f(x + d)},${f(y)} ${f(x)},${f(y + d)} ${f(x - d)},${f(y)}`, class: 'net-shape' });
    }
    return svg('circle', { cx: f(x), cy: f(y), r: f(r), class: 'net-shape' });
  }

  // draw returns the network as an <svg> at most width pixels wide.
  // centre is {facet, name, label}; entities come from pick; href(facet,
  // name) is a node's link and describe(entity) its accessible name.
  function draw({ centre, entities, href, describe, title, width }) {
    const fr = frame(width);
    const { cx: CX, cy: CY } = fr;
    const nodes = layout(entities, fr);
    const root = svg('svg', {
      viewBox: `0 0 ${fr.w} ${fr.h}`, width: fr.w, height: fr.h, class: 'net-svg', role: 'group', 'aria-label': title,
    });
    const edges = svg('g', { class: 'net-edges', 'aria-hidden': 'true' });
    for (const n of nodes) {
      edges.append(svg('line', {
        x1: CX, y1: CY, x2: n.x.toFixed(1), y2: n.y.toFixed(1), 'stroke-width': n.width.toFixed(2), class: `net-edge net-${n.facet}`,
      }));
    }
    root.append(edges);

    const middle = svg('g', { class: `net-centre net-${centre.facet}`, 'data-facet': centre.facet, 'data-name': centre.name });
    middle.append(shape(centre.facet, CX, CY, 20 * Math.max(0.75, fr.kx)));
    middle.append(svg('text', { x: CX, y: CY + 40, 'text-anchor': 'middle', class: 'net-label net-centre-label' }, short(centre.label, 2 * fr.labelMax)));
    root.append(middle);

    nodes.forEach((n, i) => {
      const a = svg('a', {
        href: href(n.facet, n.name), class: `net-node net-${n.facet}`, 'data-facet': n.facet, 'data-name': n.name,
        'data-rank': i + 1, 'aria-label': describe(n),
      });
      a.append(svg('title', {}, describe(n)));
      a.append(shape(n.facet, n.x, n.y, n.r));
      // The label goes outside the ring: below a node in the lower half,
      // above one in the upper half.
      const below = n.y >= CY;
      a.append(svg('text', {
        x: n.x.toFixed(1), y: (below ? n.y + n.r + 14 : n.y - n.r - 6).toFixed(1), 'text-anchor': 'middle', class: 'net-label',
      }, short(n.name, fr.labelMax)));
      root.append(a);
    });
    return root;
  }

  // legend is a line of HTML naming the shapes and what size and width mean.
  function legend(labels) {
    const p = document.createElement('p');
    p.className = 'net-legend';
    for (const facet of TYPES) {
      const item = document.createElement('span');
      item.className = `net-key net-${facet}`;
      const mark = svg('svg', { viewBox: '0 0 16 16', width: 14, height: 14, 'aria-hidden': 'true' });
      mark.append(shape(facet, 8, 8, 5.5));
      item.append(mark, ` ${labels[facet] || facet}`);
      p.append(item);
    }
    p.append('Size: articles together. Line: strength of association.');
    return p;
  }

  return { pick, draw, legend, TYPES };
})();
