// Folio's related-entities network: the entity asked about in the centre and
// the entities most associated with it around it, drawn as SVG by hand.
// Node size shows the articles shared with the centre, edge width the
// association score, colour and shape the entity's type. The layout is a
// fixed radial one, ordered by score, so the same answer at the same width
// always gives the same drawing (and tests can check it); it is drawn at
// the pixel size of its box, so labels stay 12px on a phone too. Each node
// is a link; what a click on it does is up to the page (app.js), which
// reads the node's facet and name from its data attributes.
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

  // frame is the drawing's geometry at a width: its size, centre, scale
  // against the widest drawing and how many characters a label keeps
  // before "…".
  function frame(width) {
    const w = Math.round(Math.min(MAX_W, Math.max(MIN_W, Number(width) || MAX_W)));
    // A narrow drawing grows taller instead, to keep its labels apart.
    const h = w < 420 ? 460 : Math.round(Math.max(300, (400 * w) / MAX_W));
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
      // Rings in pixels: as wide as labels at the sides allow, and taller
      // on a narrow drawing, which has the height to spare.
      const rxOut = Math.min(n <= 8 ? 170 : 195, fr.w / 2 - 48);
      const ryOut = n <= 8 ? 135 * fr.ky : fr.h / 2 - 45;
      const [rx, ry] = outer ? [rxOut, ryOut] : [rxOut * 0.62, ryOut * 0.68];
      const r = (6 + 10 * Math.sqrt(e.count / maxCount)) * Math.max(0.75, fr.kx);
      return {
        ...e,
        r,
        ext: e.facet === 'place' ? r * 1.3 : r, // half the mark's extent
        label: short(e.name, fr.labelMax),
        x: fr.cx + rx * Math.cos(a),
        y: fr.cy + ry * Math.sin(a),
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

  // A label's width before it can be measured (or when it cannot be):
  // names in 12px sans-serif run to about 7.4px a character.
  const CHAR_W = 7.4;

  function textBox(x, y, anchor, w) {
    const x0 = anchor === 'middle' ? x - w / 2 : anchor === 'start' ? x : x - w;
    return { x0, x1: x0 + w, y0: y - 11, y1: y + 3 };
  }

  function overlap(a, b) {
    return Math.max(0, Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0)) * Math.max(0, Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0));
  }

  // placeLabels puts each node's label, in rank order, at the first of
  // eight places around its mark (outward from the centre first) that
  // hits no mark or earlier label and stays inside the drawing, or else
  // where it hits least. widths are the labels' widths in pixels.
  function placeLabels(nodes, widths, fr, taken) {
    const bounds = { x0: 0, x1: fr.w, y0: 0, y1: fr.h };
    for (const n of nodes) taken.push({ x0: n.x - n.ext, x1: n.x + n.ext, y0: n.y - n.ext, y1: n.y + n.ext });
    return nodes.map((n, i) => {
      const w = widths[i];
      // A centred label near the edge slides in rather than being cut.
      const mx = Math.min(fr.w - w / 2 - 2, Math.max(w / 2 + 2, n.x));
      const d = n.ext * 0.75;
      const up = { x: mx, y: n.y - n.ext - 5, anchor: 'middle' };
      const down = { x: mx, y: n.y + n.ext + 13, anchor: 'middle' };
      const right = { x: n.x + n.ext + 4, y: n.y + 4, anchor: 'start' };
      const left = { x: n.x - n.ext - 4, y: n.y + 4, anchor: 'end' };
      const upRight = { x: n.x + d + 2, y: n.y - d - 2, anchor: 'start' };
      const upLeft = { x: n.x - d - 2, y: n.y - d - 2, anchor: 'end' };
      const downRight = { x: n.x + d + 2, y: n.y + d + 10, anchor: 'start' };
      const downLeft = { x: n.x - d - 2, y: n.y + d + 10, anchor: 'end' };
      const east = n.x >= fr.cx;
      const [side, otherSide] = east ? [right, left] : [left, right];
      const tries = n.y < fr.cy
        ? [up, east ? upRight : upLeft, side, east ? upLeft : upRight, down, east ? downRight : downLeft, otherSide, east ? downLeft : downRight]
        : [down, east ? downRight : downLeft, side, east ? downLeft : downRight, up, east ? upRight : upLeft, otherSide, east ? upLeft : upRight];
      let best = null;
      for (const t of tries) {
        const box = textBox(t.x, t.y, t.anchor, w);
        const outside = (box.x1 - box.x0) * (box.y1 - box.y0) - overlap(box, bounds);
        const hits = taken.reduce((sum, b) => sum + overlap(box, b) * (b.weight || 1), 0) + 10 * outside;
        if (!best || hits < best.hits) best = { ...t, box, hits };
        if (hits === 0) break;
      }
      taken.push(best.box);
      return best;
    });
  }

  // moveFocus lets the arrow keys, Home and End walk the nodes in rank
  // order, so the network is one stop for Tab (the one last focused).
  function moveFocus(root, e) {
    const links = [...root.querySelectorAll('a.net-node')];
    const at = links.indexOf(e.target.closest && e.target.closest('a.net-node'));
    if (at < 0 || e.altKey || e.ctrlKey || e.metaKey) return;
    const step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[e.key];
    let to = -1;
    if (step) to = (at + step + links.length) % links.length;
    else if (e.key === 'Home') to = 0;
    else if (e.key === 'End') to = links.length - 1;
    if (to < 0) return;
    e.preventDefault();
    links.forEach((a, i) => a.setAttribute('tabindex', i === to ? '0' : '-1'));
    links[to].focus();
  }

  // width is a drawn label's width, measured when the browser has laid it
  // out (the drawing is in the page), else estimated.
  function width(text) {
    const w = text.isConnected ? text.getComputedTextLength() : 0;
    return w > 0 ? w : text.textContent.length * CHAR_W;
  }

  // draw draws the network as an <svg>, at most width pixels wide, into
  // the element into (so labels can be measured), and returns it.
  // centre is {facet, name, label}; entities come from pick; href(facet,
  // name) is a node's link and describe(entity) its accessible name.
  function draw({ into, centre, entities, href, describe, title, width: wide }) {
    const fr = frame(wide);
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
    const cr = 20 * Math.max(0.75, fr.kx);
    const centreText = svg('text', { x: CX, y: CY + cr + 18, 'text-anchor': 'middle', class: 'net-label net-centre-label' }, short(centre.label, 2 * fr.labelMax));
    middle.append(shape(centre.facet, CX, CY, cr), centreText);
    root.append(middle);

    const texts = nodes.map((n, i) => {
      const a = svg('a', {
        href: href(n.facet, n.name), class: `net-node net-${n.facet}`, 'data-facet': n.facet, 'data-name': n.name,
        'data-rank': i + 1, 'aria-label': describe(n), tabindex: i === 0 ? 0 : -1,
      });
      const text = svg('text', { class: 'net-label' }, n.label);
      a.append(svg('title', {}, describe(n)), shape(n.facet, n.x, n.y, n.r), text);
      root.append(a);
      return text;
    });
    if (into) into.replaceChildren(root);
    root.addEventListener('keydown', (e) => moveFocus(root, e));

    const centreBox = textBox(CX, CY + cr + 18, 'middle', width(centreText) * (centreText.isConnected ? 1 : 1.2));
    centreBox.weight = 3; // the one label that must stay clear
    const labels = placeLabels(nodes, texts.map(width), fr, [centreBox, { x0: CX - cr, x1: CX + cr, y0: CY - cr, y1: CY + cr }]);
    texts.forEach((text, i) => {
      const l = labels[i];
      text.setAttribute('x', l.x.toFixed(1));
      text.setAttribute('y', l.y.toFixed(1));
      text.setAttribute('text-anchor', l.anchor);
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
