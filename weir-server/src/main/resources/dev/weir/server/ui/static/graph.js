// A task graph laid out by the server (GET …/graph: nodes with x, y, w, h and edges with points),
// drawn as SVG with only what is on screen (plus a margin), so that thousands of tasks scroll
// smoothly; zoomed out far, nodes lose their labels. Used by the run page (with live task states)
// and the flow page (the topology alone). Nodes are found through a map by id: a state change
// never scans the graph and never lays it out again.

export const SVG = 'http://www.w3.org/2000/svg';

export class Graph {
  // options.onSelect(id): called when a task is clicked;
  // options.states: false to draw tasks without a state (a flow's topology rather than a run)
  constructor(container, layout, options = {}) {
    this.container = container;
    this.layout = layout;
    this.onSelect = options.onSelect ?? (() => {});
    this.withStates = options.states !== false;
    this.scale = layout.nodes.length > 400 ? 0.6 : 1;
    this.states = new Map();
    this.drawn = new Map(); // id -> <g>, only the nodes on screen
    this.svg = document.createElementNS(SVG, 'svg');
    this.svg.classList.add('dag');
    // a group, not an image: its tasks are buttons a keyboard reaches with Tab
    this.svg.setAttribute('role', 'group');
    this.svg.setAttribute('aria-label', `Task graph, ${layout.nodes.length} tasks`);
    this.edges = document.createElementNS(SVG, 'g');
    this.nodes = document.createElementNS(SVG, 'g');
    this.svg.append(this.edges, this.nodes);
    container.replaceChildren(this.svg);
    this.byId = new Map(layout.nodes.map((n) => [n.id, n]));
    this.resize();
    let pending = false;
    container.addEventListener('scroll', () => {
      if (!pending) {
        pending = true;
        requestAnimationFrame(() => { pending = false; this.render(); });
      }
    });
    container.closest('.dag-wrap').querySelectorAll('[data-zoom]').forEach((b) => {
      b.addEventListener('click', () => {
        this.scale = Math.max(0.1, Math.min(2, this.scale * Number(b.dataset.zoom)));
        this.resize();
      });
    });
  }

  resize() {
    const s = this.scale;
    this.svg.setAttribute('width', Math.ceil(this.layout.width * s));
    this.svg.setAttribute('height', Math.ceil(this.layout.height * s));
    this.svg.setAttribute('viewBox', `0 0 ${this.layout.width} ${this.layout.height}`);
    this.nodes.replaceChildren();
    this.edges.replaceChildren();
    this.drawn.clear();
    this.render();
  }

  // Draws the nodes and edges inside the visible area (plus a margin); drops the others.
  render() {
    const s = this.scale;
    const c = this.container;
    const margin = 200;
    const x0 = (c.scrollLeft - margin) / s, y0 = (c.scrollTop - margin) / s;
    const x1 = (c.scrollLeft + c.clientWidth + margin) / s, y1 = (c.scrollTop + c.clientHeight + margin) / s;
    const simple = s < 0.45;
    const visible = new Set();
    for (const n of this.layout.nodes) {
      if (n.x + n.w >= x0 && n.x <= x1 && n.y + n.h >= y0 && n.y <= y1) visible.add(n.id);
    }
    for (const [id, g] of this.drawn) {
      if (!visible.has(id)) { g.remove(); this.drawn.delete(id); }
    }
    for (const id of visible) {
      if (!this.drawn.has(id)) this.drawn.set(id, this.node(this.byId.get(id), simple));
    }
    const path = [];
    for (const e of this.layout.edges) {
      if (visible.has(e.from) || visible.has(e.to)) {
        path.push(`M${e.points.map((p) => p.join(',')).join('L')}`);
      }
    }
    this.edges.replaceChildren();
    const p = document.createElementNS(SVG, 'path');
    p.setAttribute('d', path.join(''));
    p.classList.add('edge');
    this.edges.append(p);
  }

  node(n, simple) {
    const g = document.createElementNS(SVG, 'g');
    g.setAttribute('transform', `translate(${n.x},${n.y})`);
    g.dataset.task = n.id;
    const state = this.states.get(n.id) ?? 'PENDING';
    g.setAttribute('class', this.withStates ? `node state-${state.toLowerCase()}` : 'node');
    const rect = document.createElementNS(SVG, 'rect');
    rect.setAttribute('width', n.w);
    rect.setAttribute('height', n.h);
    rect.setAttribute('rx', 4);
    g.append(rect);
    if (!simple) {
      const title = document.createElementNS(SVG, 'text');
      title.setAttribute('x', 8);
      title.setAttribute('y', 15);
      title.textContent = n.id;
      const type = document.createElementNS(SVG, 'text');
      type.setAttribute('x', 8);
      type.setAttribute('y', 29);
      type.setAttribute('class', 'type');
      type.textContent = n.type;
      g.append(title, type);
    }
    const tip = document.createElementNS(SVG, 'title');
    tip.textContent = this.withStates ? `${n.id} (${n.type}): ${state.toLowerCase()}` : `${n.id} (${n.type})`;
    g.append(tip);
    g.setAttribute('tabindex', '0');
    g.setAttribute('role', 'button');
    g.setAttribute('aria-label', tip.textContent);
    g.addEventListener('click', () => this.onSelect(n.id));
    g.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault(); // Space would scroll the page
        this.onSelect(n.id);
      }
    });
    this.nodes.append(g);
    return g;
  }

  setState(id, state) {
    this.states.set(id, state);
    const g = this.drawn.get(id);
    if (g) {
      g.setAttribute('class', `node state-${state.toLowerCase()}`);
      const tip = g.querySelector('title');
      if (tip) tip.textContent = `${id}: ${state.toLowerCase()}`;
      g.setAttribute('aria-label', `${id}: ${state.toLowerCase()}`);
    }
  }
}
