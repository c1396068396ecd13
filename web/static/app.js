// conflictmap's map page: Leaflet over the server's own raster basemap,
// with the layers of the OGC API as GeoJSON, a timeline, the source
// articles, and measure, export and add-article tools. Everything it
// loads comes from this server.
(function () {
  'use strict';

  // ---- constants -------------------------------------------------------

  // One symbol per ACLED event type, in the colours the server's raster
  // tiles and static images use.
  const EVENT_TYPES = [
    { type: 'Battles', color: '#c62828', shape: 'circle' },
    { type: 'Explosions/Remote violence', color: '#ef6c00', shape: 'star' },
    { type: 'Violence against civilians', color: '#6a1b9a', shape: 'triangle' },
    { type: 'Protests', color: '#1565c0', shape: 'square' },
    { type: 'Riots', color: '#9e7700', shape: 'diamond' },
    { type: 'Strategic developments', color: '#00796b', shape: 'hexagon' },
  ];
  // The server's palette for actors, picked by FNV-1a of the actor's name
  // (geo/render actorColor), so the page and the images agree.
  const ACTOR_PALETTE = ['#3b7dd8', '#d94a38', '#2ea06b', '#8e5cc7', '#e09b1b', '#1fa5b5', '#c24e9a', '#7a6a4f'];
  const FRONT_COLOR = '#5a0f0f';
  const CONTESTED_COLOR = '#404040';
  const ESTIMATE_COLOR = '#e65100';
  const DISTANCE_COLOR = '#354f6b';
  const PLACE_COLOR = '#263238';
  const DAY_MS = 86400000;
  const PAGE_LIMIT = 10000;
  const PHONE = window.matchMedia('(max-width: 700px)');

  // ---- small helpers ---------------------------------------------------

  const $ = (sel) => document.querySelector(sel);

  // el builds an element: el('p', {class: 'x'}, 'text', child...).
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
      else if (k === 'dataset') Object.assign(node.dataset, v);
      else node.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of children.flat(Infinity)) {
      if (c === undefined || c === null || c === false) continue;
      node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return node;
  }

  function dayOf(date) { // 'YYYY-MM-DD' → days since 1970-01-01 (UTC)
    const [y, m, d] = date.split('-').map(Number);
    return Math.round(Date.UTC(y, m - 1, d) / DAY_MS);
  }
  function dateOf(day) { return new Date(day * DAY_MS).toISOString().slice(0, 10); }
  function isDate(s) { return /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(s + 'T00:00:00Z')); }
  function weekday(date) {
    return new Date(date + 'T00:00:00Z').toLocaleDateString('en-GB', { weekday: 'long', timeZone: 'UTC' });
  }
  function longDate(date) {
    return new Date(date + 'T00:00:00Z').toLocaleDateString('en-GB', { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
  }
  function fnv1a(s) {
    let h = 0x811c9dc5;
    for (const b of new TextEncoder().encode(s)) {
      h ^= b;
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h >>> 0;
  }
  function actorColor(actor) { return ACTOR_PALETTE[fnv1a(actor || '') % ACTOR_PALETTE.length]; }
  function eventStyle(type) { return EVENT_TYPES.find((t) => t.type === type) || EVENT_TYPES[EVENT_TYPES.length - 1]; }
  function km(v) { return v >= 100 ? Math.round(v).toLocaleString('en') : v.toFixed(1); }

  let statusTimer = 0;
  function status(msg, isError) {
    const s = $('#status');
    s.textContent = msg;
    s.classList.toggle('error', !!isError);
    clearTimeout(statusTimer);
    if (msg && !isError && !measure.on) statusTimer = setTimeout(() => { s.textContent = ''; }, 4000);
  }

  // getJSON fetches a JSON document; a problem+json answer becomes an
  // Error carrying its detail.
  async function getJSON(url, opts) {
    const res = await fetch(url, Object.assign({ headers: { Accept: 'application/json' } }, opts));
    if (!res.ok) {
      const body = await res.json().catch(() => null);
      const err = new Error((body && (body.detail || body.title)) || `${res.status} ${res.statusText}`);
      err.status = res.status;
      throw err;
    }
    return res.status === 204 ? null : res.json();
  }

  // getAll follows an items collection's next links.
  async function getAll(url, opts) {
    const features = [];
    let next = url;
    for (let pages = 0; next && pages < 20; pages++) {
      const page = await getJSON(next, opts);
      if (!page) break;
      features.push(...(page.features || []));
      const link = (page.links || []).find((l) => l.rel === 'next');
      next = link ? link.href : null;
    }
    return features;
  }

  // ---- symbols ---------------------------------------------------------

  const SHAPES = {
    circle: '<circle cx="10" cy="10" r="8"/>',
    star: '<polygon points="10,1 12.4,6.8 18.6,7.2 13.8,11.2 15.3,17.3 10,14 4.7,17.3 6.2,11.2 1.4,7.2 7.6,6.8"/>',
    triangle: '<polygon points="10,1.5 18.5,17.5 1.5,17.5"/>',
    square: '<rect x="2.5" y="2.5" width="15" height="15"/>',
    diamond: '<polygon points="10,1 19,10 10,19 1,10"/>',
    hexagon: '<polygon points="10,1.5 17.5,5.75 17.5,14.25 10,18.5 2.5,14.25 2.5,5.75"/>',
  };
  function symbolSVG(shape, color, size) {
    return `<svg width="${size}" height="${size}" viewBox="0 0 20 20" aria-hidden="true">` +
      `<g fill="${color}" fill-opacity="0.88" stroke="#fff" stroke-width="1.6">${SHAPES[shape]}</g></svg>`;
  }
  function eventSize(fatalities) { return Math.min(46, 14 + 3.2 * Math.sqrt(Math.max(0, fatalities || 0))); }

  // ---- the map ---------------------------------------------------------

  const map = L.map('map', { zoomControl: true, keyboard: true, worldCopyJump: true, minZoom: 2, maxZoom: 14 });
  map.attributionControl.setPrefix('<a href="https://leafletjs.com" title="A JavaScript library for interactive maps">Leaflet</a>');
  const basemap = L.tileLayer('/tiles/basemap/{z}/{x}/{y}{r}.png', {
    maxZoom: 14,
    attribution: 'Natural Earth · GeoNames (CC BY 4.0) · conflictmap',
  }).addTo(map);
  for (const [name, z] of [['zones', 350], ['estimates', 380], ['distances', 390], ['frontlines', 420]]) {
    map.createPane(name).style.zIndex = String(z);
  }

  const layers = {
    zones: L.layerGroup(),
    frontlines: L.layerGroup(),
    events: L.layerGroup(),
    places: L.layerGroup(),
    estimates: L.layerGroup(),
    distances: L.layerGroup(),
  };
  const LAYER_TITLES = {
    zones: 'Areas of control', frontlines: 'Frontlines', events: 'Events', places: 'Places',
    estimates: 'Relative estimates', distances: 'Distance arcs',
  };
  for (const id of Object.keys(layers)) layers[id].addTo(map);
  const overlays = {};
  for (const [id, title] of Object.entries(LAYER_TITLES)) overlays[title] = layers[id];
  const layerControl = L.control.layers({ 'Basemap': basemap }, overlays, { collapsed: PHONE.matches, position: 'topright' }).addTo(map);
  L.control.scale({ imperial: false, position: 'bottomleft' }).addTo(map);

  const state = {
    events: [], places: [], estimates: [], distances: [], articles: [],
    dates: [], minDay: 0, maxDay: 0, date: null,
    zoneCache: new Map(), zoneAbort: null, shown: { zones: [], frontlines: [] },
    markerByPlace: new Map(),
  };

  // ---- popups ----------------------------------------------------------

  // popupOptions keeps a popup inside a phone's screen.
  function popupOptions(maxWidth) {
    // the padding keeps the popup clear of the zoom and layer controls
    return { maxWidth: Math.min(maxWidth, window.innerWidth - 60), autoPanPaddingTopLeft: [50, 70], autoPanPaddingBottomRight: [20, 40] };
  }

  function dl(pairs) {
    return el('dl', {}, pairs.filter(([, v]) => v !== undefined && v !== null && v !== '').map(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]));
  }

  // claimText shows one side of a contradiction: "Thursday 2019-04-04".
  function claimText(field, claim) {
    if (field === 'date' && isDate(String(claim.value))) return `${weekday(claim.value)} ${claim.value}`;
    if (field === 'distance_km') return `${claim.value} km ("${claim.text}")`;
    if (field === 'fatalities' || field === 'wounded') return `${claim.value} ("${claim.text}")`;
    return `${claim.value}`;
  }
  function contradictionList(list) {
    if (!list || !list.length) return null;
    return [el('h4', {}, 'Contradictions'), el('ul', {}, list.map((c) => el('li', { class: 'contradiction' },
      `${c.field.replace('_', ' ')}: `,
      c.claims.map((cl) => `${claimText(c.field, cl)} (${cl.source})`).join(' vs '),
      el('br'), el('span', { class: 'source' }, `used ${typeof c.used === 'object' ? JSON.stringify(c.used) : c.used}: ${c.why}`))))];
  }

  function eventPopup(p) {
    const actors = [p.actor1, p.actor2].filter(Boolean).join(' vs ');
    return el('div', { class: 'popup' },
      el('h3', {}, `${p.event_type}${p.sub_event_type ? ' — ' + p.sub_event_type : ''}`),
      dl([['Date', p.date ? longDate(p.date) : ''], ['Where', p.location_name], ['Actors', actors],
        ['Fatalities', p.fatalities === null || p.fatalities === undefined ? 'not reported' : p.fatalities],
        ['Wounded', p.wounded], ['Sources', `${p.num_sources} (${p.num_articles} article${p.num_articles === 1 ? '' : 's'})`],
        ['Disputed', p.disputed ? 'yes: a party denies or the report is unverified' : '']]),
      contradictionList(p.contradictions),
      el('h4', {}, 'What each source says'),
      (p.sources || []).map((s) => el('div', {},
        el('p', { class: 'source' }, `${s.source}, ${s.article_date}${s.date_text ? ` — "${s.date_text}" → ${s.date}` : ''}`),
        (s.sentences || []).map((sen) => el('blockquote', {}, sen.text)))));
  }

  function placePopup(p) {
    return el('div', { class: 'popup' },
      el('h3', {}, p.name),
      dl([['Kind', `${p.place_kind}${p.feature_code ? ` (${p.feature_code})` : ''}`], ['Country', p.country],
        ['Mentions', p.mention_count], ['First mentioned', p.first_mention], ['Last mentioned', p.last_mention],
        ['Also written', (p.names || []).filter((n) => n !== p.name).join(', ')],
        ['Population', p.population ? p.population.toLocaleString('en') : ''],
        ['GeoNames', p.geonameid || '']]),
      el('button', { type: 'button', onclick: () => measureFrom(p) }, 'Measure from here'));
  }

  function estimatePopup(p) {
    return el('div', { class: 'popup' },
      el('h3', {}, 'Relative estimate'),
      el('blockquote', {}, p.text),
      dl([['From', p.anchor], ['Distance', `${p.distance_km} km${p.distance_stated ? '' : ' (assumed)'}${p.qualifier ? ` (${p.qualifier})` : ''}`],
        ['Bearing', `${p.bearing} (${p.bearing_deg}°)`], ['Uncertainty', `± ${p.uncertainty_km} km`],
        ['Resolved to', p.resolved_place ? `${p.resolved_place}${p.measured_km ? ` (${km(p.measured_km)} km away)` : ''}` : ''],
        ['Date', p.date]]));
  }

  function zonePopup(p) {
    return el('div', { class: 'popup' },
      el('h3', {}, p.contested ? 'Contested' : `Held by ${p.actor}`),
      dl([['Date', p.date]]),
      p.places && p.places.length ? [el('h4', {}, 'Claims'), el('ul', {}, p.places.map((c) =>
        el('li', {}, `${c.place}: ${c.kind}, ${c.claimed}`, c.text ? el('blockquote', {}, c.text) : null)))] : null,
      p.disputed_claims && p.disputed_claims.length ? [el('h4', {}, 'Disputed claims'), el('ul', {}, p.disputed_claims.map((c) =>
        el('li', { class: 'contradiction' }, `${c.actor} claims ${c.place} (${c.claimed})`, el('blockquote', {}, c.text))))] : null,
      el('p', { class: 'source' }, p.method));
  }

  function frontPopup(p) {
    return el('div', { class: 'popup' },
      el('h3', {}, p.contested ? 'Contested frontline' : 'Frontline'),
      dl([['Between', (p.actors || []).join(' and ')], ['Date', p.date], ['Clashes near it', (p.events || []).length]]));
  }

  function distancePopup(p) {
    return el('div', { class: 'popup' },
      el('h3', {}, `${p.from} → ${p.to}`),
      dl([['Geodesic', `${km(p.km)} km (${km(p.miles)} mi)`], ['Initial bearing', `${p.initial_bearing}°`],
        ['Event', `${p.event_type}, ${p.date}`]]),
      p.claims ? [el('h4', {}, 'Distances the articles state'), el('ul', {}, p.claims.map((c) =>
        el('li', {}, `${c.stated_km} km, "${c.text}" (${c.article})`)))] : null);
  }

  // ---- drawing the layers ----------------------------------------------

  function drawEvents() {
    const g = layers.events;
    g.clearLayers();
    for (const f of state.events) {
      const p = f.properties;
      if (p.date > state.date) continue;
      const [lon, lat] = f.geometry.coordinates;
      const st = eventStyle(p.event_type);
      const size = eventSize(p.fatalities);
      const m = L.marker([lat, lon], {
        icon: L.divIcon({ className: 'event-icon', html: symbolSVG(st.shape, st.color, size), iconSize: [size, size] }),
        title: `${p.event_type}, ${p.location_name}, ${p.date}`, alt: `${p.event_type} at ${p.location_name}`,
        keyboard: true, riseOnHover: true, zIndexOffset: 1000 + Math.round(size),
      });
      m.feature = f;
      m.bindPopup(() => eventPopup(p), popupOptions(340));
      m.on('add', () => {
        const node = m.getElement();
        Object.assign(node.dataset, { eventId: f.id, eventType: p.event_type, location: p.location_name || '', date: p.date });
        node.classList.add('event-marker');
      });
      m.on('click', (e) => measureClick(e, [lat, lon], p.location_name));
      g.addLayer(m);
    }
  }

  function drawPlaces() {
    const g = layers.places;
    g.clearLayers();
    state.markerByPlace.clear();
    for (const f of state.places) {
      const p = f.properties;
      if (p.first_mention && p.first_mention > state.date) continue;
      const [lon, lat] = f.geometry.coordinates;
      const size = p.place_kind === 'country' || p.place_kind === 'region' ? 9 : 8;
      const m = L.marker([lat, lon], {
        icon: L.divIcon({ className: 'place-icon', html: `<svg width="${size}" height="${size}" viewBox="0 0 10 10" aria-hidden="true"><circle cx="5" cy="5" r="4" fill="${PLACE_COLOR}" stroke="#fff" stroke-width="1.5"/></svg>`, iconSize: [size, size] }),
        title: `${p.name}: mentioned ${p.mention_count} time${p.mention_count === 1 ? '' : 's'}`, alt: p.name, keyboard: true,
      });
      // labels by rank: the most mentioned first, the rest as the map zooms in
      const n = p.mention_count || 0;
      const rank = n >= 3 ? '' : n >= 2 || (p.population || 0) >= 500000 ? ' rank2' : ' rank3';
      m.bindTooltip(`${p.name} (${n})`, { permanent: true, direction: 'right', offset: [5, 0], className: `place-label${rank}` });
      m.bindPopup(() => placePopup(p), popupOptions(300));
      m.on('click', (e) => measureClick(e, [lat, lon], p.name));
      m.on('add', () => { m.getElement().dataset.place = p.name; });
      m.feature = f;
      g.addLayer(m);
      state.markerByPlace.set(p.name, m);
    }
  }

  function drawEstimates() {
    const g = layers.estimates;
    g.clearLayers();
    for (const f of state.estimates) {
      const p = f.properties;
      if (p.date && p.date > state.date) continue;
      const area = L.geoJSON(f, { pane: 'estimates', style: { color: ESTIMATE_COLOR, weight: 1.2, dashArray: '4 4', fillColor: '#ff9800', fillOpacity: 0.18 } });
      area.bindPopup(() => estimatePopup(p), popupOptions(300));
      g.addLayer(area);
      if (p.point) {
        const m = L.circleMarker([p.point[1], p.point[0]], { pane: 'estimates', radius: 4, color: '#fff', weight: 1.5, fillColor: ESTIMATE_COLOR, fillOpacity: 1 });
        m.bindPopup(() => estimatePopup(p), popupOptions(300));
        m.feature = { type: 'Feature', properties: p, geometry: { type: 'Point', coordinates: p.point } };
        g.addLayer(m);
      }
    }
  }

  function drawDistances() {
    const g = layers.distances;
    g.clearLayers();
    for (const f of state.distances) {
      if (f.properties.date > state.date) continue;
      const line = L.geoJSON(f, { pane: 'distances', style: { color: DISTANCE_COLOR, weight: 1.4, opacity: 0.6, dashArray: '6 5' } });
      line.bindPopup(() => distancePopup(f.properties), popupOptions(300));
      g.addLayer(line);
    }
  }

  function drawControl(zones, fronts) {
    layers.zones.clearLayers();
    layers.frontlines.clearLayers();
    for (const f of zones) {
      const p = f.properties;
      const style = p.contested
        ? { color: CONTESTED_COLOR, weight: 0.8, fillColor: CONTESTED_COLOR, fillOpacity: 0.3, dashArray: '3 3' }
        : { color: actorColor(p.actor), weight: 1, opacity: 0.7, fillColor: actorColor(p.actor), fillOpacity: 0.33 };
      const z = L.geoJSON(f, { pane: 'zones', style });
      z.bindPopup(() => zonePopup(p), popupOptions(340));
      layers.zones.addLayer(z);
    }
    for (const f of fronts) {
      const p = f.properties;
      const line = L.geoJSON(f, { pane: 'frontlines', style: p.contested ? { color: '#b71c1c', weight: 3.5, dashArray: '8 6' } : { color: FRONT_COLOR, weight: 3 } });
      line.bindPopup(() => frontPopup(p), popupOptions(300));
      layers.frontlines.addLayer(line);
    }
    state.shown = { zones, frontlines: fronts };
    drawLegend();
  }

  // loadControl fetches the zones and frontline of the selected day.
  async function loadControl(date) {
    if (state.zonePending === date) return; // already on its way
    if (state.zoneAbort) state.zoneAbort.abort();
    let entry = state.zoneCache.get(date);
    if (!entry) {
      const ctl = new AbortController();
      state.zoneAbort = ctl;
      state.zonePending = date;
      try {
        const [zones, fronts] = await Promise.all([
          getAll(`/collections/zones/items?datetime=${date}&limit=${PAGE_LIMIT}`, { signal: ctl.signal }),
          getAll(`/collections/frontlines/items?datetime=${date}&limit=${PAGE_LIMIT}`, { signal: ctl.signal }),
        ]);
        entry = { zones, fronts };
        state.zoneCache.set(date, entry);
      } catch (err) {
        if (err.name !== 'AbortError') status(`Areas of control: ${err.message}`, true);
        return;
      } finally {
        if (state.zonePending === date) state.zonePending = null;
      }
    }
    if (date === state.date) drawControl(entry.zones, entry.fronts);
  }

  // ---- legend ----------------------------------------------------------

  const legend = L.control({ position: 'bottomright' });
  legend.onAdd = () => {
    const box = el('details', { class: 'legend', open: !PHONE.matches });
    L.DomEvent.disableClickPropagation(box);
    L.DomEvent.disableScrollPropagation(box);
    return box;
  };
  legend.addTo(map);

  function swatch(fill, stroke, dash) {
    const svg = `<svg width="22" height="14" viewBox="0 0 22 14" aria-hidden="true"><rect x="1" y="1" width="20" height="12" fill="${fill}" fill-opacity="0.45" stroke="${stroke}" ${dash ? `stroke-dasharray="${dash}"` : ''}/></svg>`;
    return svgNode(svg);
  }
  function lineSwatch(color, width, dash) {
    return svgNode(`<svg width="22" height="14" viewBox="0 0 22 14" aria-hidden="true"><line x1="1" y1="7" x2="21" y2="7" stroke="${color}" stroke-width="${width}" ${dash ? `stroke-dasharray="${dash}"` : ''}/></svg>`);
  }
  function svgNode(markup) {
    const t = document.createElement('template');
    t.innerHTML = markup;
    return t.content.firstChild;
  }

  function drawLegend() {
    const box = legend.getContainer();
    const open = box.open;
    box.replaceChildren();
    box.open = open;
    const actors = [...new Set(state.shown.zones.filter((f) => !f.properties.contested).map((f) => f.properties.actor))];
    box.append(el('summary', {}, `Legend — ${state.date || ''}`),
      el('h3', {}, 'Areas of control'),
      el('ul', {}, actors.length ? actors.map((a) => el('li', {}, swatch(actorColor(a), actorColor(a)), a)) : el('li', {}, 'no claims of control by this date'),
        el('li', {}, swatch(CONTESTED_COLOR, CONTESTED_COLOR, '3 3'), 'contested (clashes in the last 7 days)')),
      el('h3', {}, 'Frontline'),
      el('ul', {}, el('li', {}, lineSwatch(FRONT_COLOR, 3), 'frontline'), el('li', {}, lineSwatch('#b71c1c', 3, '5 3'), 'contested segment')),
      el('h3', {}, 'Events (size: fatalities)'),
      el('ul', {}, EVENT_TYPES.map((t) => el('li', {}, svgNode(symbolSVG(t.shape, t.color, 14)), t.type))),
      el('h3', {}, 'Places, estimates, distances'),
      el('ul', {},
        el('li', {}, svgNode(`<svg width="22" height="14" viewBox="0 0 22 14" aria-hidden="true"><circle cx="11" cy="7" r="4" fill="${PLACE_COLOR}" stroke="#fff" stroke-width="1.5"/></svg>`), 'place (mentions)'),
        el('li', {}, swatch('#ff9800', ESTIMATE_COLOR, '4 4'), 'relative estimate ± uncertainty'),
        el('li', {}, lineSwatch(DISTANCE_COLOR, 1.5, '6 5'), `geodesic distance from ${state.focal || 'the focal place'}`)));
  }

  // ---- timeline --------------------------------------------------------

  const slider = $('#date-slider');
  const dateInput = $('#date-input');

  function setDate(date, opts) {
    if (!isDate(date) || !state.dates.length) return;
    let day = Math.min(state.maxDay, Math.max(state.minDay, dayOf(date)));
    date = dateOf(day);
    state.date = date;
    slider.value = String(day - state.minDay);
    slider.setAttribute('aria-valuetext', longDate(date));
    dateInput.value = date;
    drawEvents();
    drawPlaces();
    drawEstimates();
    drawDistances();
    const cached = state.zoneCache.get(date);
    if (cached) drawControl(cached.zones, cached.fronts);
    else {
      drawLegend();
      clearTimeout(state.controlTimer);
      state.controlTimer = setTimeout(() => loadControl(date), opts && opts.now ? 0 : 120);
    }
    updateView();
  }

  slider.addEventListener('input', () => setDate(dateOf(state.minDay + Number(slider.value))));
  dateInput.addEventListener('change', () => { if (isDate(dateInput.value)) setDate(dateInput.value, { now: true }); });

  let playTimer = 0;
  function stopPlay() {
    clearInterval(playTimer);
    playTimer = 0;
    $('#play').setAttribute('aria-pressed', 'false');
    $('#play-icon').textContent = '\u25B6';
    $('#play-text').textContent = 'Play';
  }
  function stepPlay() {
    const next = state.dates.find((d) => d > state.date);
    if (!next) { stopPlay(); return; }
    setDate(next, { now: true });
  }
  $('#play').addEventListener('click', () => {
    if (playTimer) { stopPlay(); return; }
    if (state.date >= state.dates[state.dates.length - 1]) setDate(state.dates[0], { now: true });
    $('#play').setAttribute('aria-pressed', 'true');
    $('#play-icon').textContent = '\u23F8';
    $('#play-text').textContent = 'Pause';
    playTimer = setInterval(stepPlay, 1200);
  });

  // ---- the view in the URL: #zoom/lat/lon/date ---------------------------

  let applyingHash = false;
  function updateView() {
    if (applyingHash || !state.date) return;
    const c = map.getCenter();
    const hash = `#${map.getZoom()}/${c.lat.toFixed(4)}/${c.lng.toFixed(4)}/${state.date}`;
    if (location.hash !== hash) history.replaceState(null, '', hash);
    updateExportLink();
  }
  function readHash() {
    const parts = location.hash.replace(/^#/, '').split('/');
    if (parts.length < 3) return null;
    const [z, lat, lon] = parts.slice(0, 3).map(Number);
    if (![z, lat, lon].every(Number.isFinite) || Math.abs(lat) > 90 || Math.abs(lon) > 540) return null;
    return { zoom: Math.max(0, Math.min(14, Math.round(z))), lat, lon, date: isDate(parts[3] || '') ? parts[3] : null };
  }
  function applyHash() {
    const v = readHash();
    if (!v) return false;
    applyingHash = true;
    map.setView([v.lat, v.lon], v.zoom, { animate: false });
    applyingHash = false;
    if (v.date && v.date !== state.date) setDate(v.date, { now: true });
    else updateView();
    return true;
  }
  window.addEventListener('hashchange', applyHash);
  map.on('moveend', updateView);
  map.on('zoomend', () => {
    const z = map.getZoom();
    const c = map.getContainer().classList;
    c.toggle('labels-none', z < 3);
    c.toggle('labels-rank2', z < 5);
    c.toggle('labels-rank3', z < 7);
  });
  map.on('overlayadd overlayremove', updateExportLink);

  // ---- export ----------------------------------------------------------

  function visibleLayerIds() { return Object.keys(layers).filter((id) => map.hasLayer(layers[id])); }

  function updateExportLink() {
    if (!state.date) return;
    const b = map.getBounds();
    const size = map.getSize();
    const clamp = (v, lo, hi) => Math.min(hi, Math.max(lo, v));
    const bbox = [clamp(b.getWest(), -180, 180), clamp(b.getSouth(), -85, 85), clamp(b.getEast(), -180, 180), clamp(b.getNorth(), -85, 85)]
      .map((v) => v.toFixed(5)).join(',');
    const q = new URLSearchParams({
      bbox, width: String(clamp(size.x, 64, 2048)), height: String(clamp(size.y, 64, 2048)),
      date: `${state.dates[0] || state.date}/${state.date}`, layers: visibleLayerIds().join(','),
    });
    const a = $('#export-png');
    a.href = `/static.png?${q}`;
    a.download = `conflictmap-${state.date}.png`;
  }

  $('#export-geojson').addEventListener('click', () => {
    const features = [];
    const inView = map.getBounds();
    for (const id of visibleLayerIds()) {
      layers[id].eachLayer((l) => {
        const f = l.feature || (l.getLayers && l.getLayers()[0] && l.getLayers()[0].feature);
        if (!f) return;
        const bounds = l.getBounds ? l.getBounds() : L.latLngBounds([l.getLatLng()]);
        if (!inView.intersects(bounds)) return;
        features.push(Object.assign({}, f, { properties: Object.assign({ layer: id }, f.properties) }));
      });
    }
    const doc = { type: 'FeatureCollection', features, date: state.date };
    const url = URL.createObjectURL(new Blob([JSON.stringify(doc)], { type: 'application/geo+json' }));
    const a = el('a', { href: url, download: `conflictmap-${state.date}.geojson` });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
    status(`Exported ${features.length} features of ${visibleLayerIds().length} layers`);
  });

  // ---- measure ---------------------------------------------------------

  const measure = { on: false, points: [], layer: L.layerGroup().addTo(map) };
  function setMeasure(on) {
    measure.on = on;
    measure.points = [];
    $('#measure').setAttribute('aria-pressed', String(on));
    map.getContainer().classList.toggle('measuring', on);
    if (on) {
      map.closePopup();
      measure.layer.clearLayers();
      status('Measure: click two points or places on the map');
    }
  }
  $('#measure').addEventListener('click', () => setMeasure(!measure.on));
  function measureFrom(p) {
    map.closePopup();
    setMeasure(true);
    const f = state.places.find((x) => x.properties.name === p.name);
    if (f) addMeasurePoint(L.latLng(f.geometry.coordinates[1], f.geometry.coordinates[0]), p.name);
  }
  // measureClick takes a click on a marker as a measure point.
  function measureClick(e, latlng, name) {
    if (!measure.on) return;
    e.target.closePopup();
    addMeasurePoint(L.latLng(latlng[0], latlng[1]), name);
  }
  // a click on the map measures from the place within 12 px of it, if any
  map.on('click', (e) => {
    if (!measure.on) return;
    let best = null;
    let bestPx = 12;
    for (const [name, m] of state.markerByPlace) {
      const px = map.latLngToContainerPoint(m.getLatLng()).distanceTo(e.containerPoint);
      if (px <= bestPx) { best = { name, latlng: m.getLatLng() }; bestPx = px; }
    }
    if (best) addMeasurePoint(best.latlng, best.name);
    else addMeasurePoint(e.latlng.wrap(), null);
  });
  // while measuring, clicks measure instead of opening popups
  map.on('popupopen', () => { if (measure.on) map.closePopup(); });

  async function addMeasurePoint(latlng, name) {
    measure.points.push({ latlng, name: name || `${latlng.lat.toFixed(3)}, ${latlng.lng.toFixed(3)}` });
    measure.layer.addLayer(L.circleMarker(latlng, { radius: 5, color: '#000', weight: 2, fillColor: '#ff9800', fillOpacity: 1 }));
    if (measure.points.length < 2) {
      status(`Measure from ${measure.points[0].name}: now click a second point`);
      return;
    }
    const [a, b] = measure.points;
    measure.points = [];
    try {
      const f = await getJSON(`/api/geodesic?from=${a.latlng.lat},${a.latlng.lng}&to=${b.latlng.lat},${b.latlng.lng}`);
      const p = f.properties;
      const text = `${a.name} → ${b.name}: ${km(p.km)} km (${km(p.miles)} mi), bearing ${p.initial_bearing}°`;
      const line = L.geoJSON(f, { style: { color: '#000', weight: 2.5, dashArray: '2 6' } });
      line.bindTooltip(text, { permanent: true, direction: 'center', className: 'measure-label' });
      measure.layer.addLayer(line);
      status(text);
      $('#measure').dataset.result = String(p.km);
    } catch (err) {
      status(`Measure: ${err.message}`, true);
    }
    setMeasure(false);
  }

  // ---- sources panel ---------------------------------------------------

  const panel = $('#panel');
  function showPanel(show) {
    panel.hidden = !show;
    $('#toggle-panel').setAttribute('aria-expanded', String(show));
    map.invalidateSize();
  }
  $('#toggle-panel').addEventListener('click', () => {
    showPanel(panel.hidden);
    if (!panel.hidden) panel.focus();
  });

  function drawArticleList() {
    const list = $('#article-list');
    list.replaceChildren(...state.articles.map((a) => el('li', {},
      el('button', { type: 'button', dataset: { articleId: a.id }, onclick: () => openArticle(a.id) },
        a.name, el('span', { class: 'meta' }, `${a.date} · ${a.source} · ${a.events} event${a.events === 1 ? '' : 's'}, ${a.places} place${a.places === 1 ? '' : 's'}`)))));
    if (!state.articles.length) list.append(el('li', { class: 'meta' }, 'No articles yet: add one below.'));
  }

  // highlighted splits an article's text at its mentions and relative
  // estimates. Offsets are UTF-8 byte offsets, as the server gives them.
  function highlighted(text, mentions, estimates) {
    const bytes = new TextEncoder().encode(text);
    const dec = new TextDecoder();
    const spans = [];
    for (const m of mentions || []) spans.push({ start: m.start, end: m.end, mention: m });
    for (const e of estimates || []) spans.push({ start: e.start, end: e.end, estimate: e });
    spans.sort((x, y) => x.start - y.start || (y.end - y.start) - (x.end - x.start));
    const out = [];
    let at = 0;
    for (const s of spans) {
      if (s.start < at || s.end > bytes.length || s.end <= s.start) continue; // nested or out of range
      out.push(dec.decode(bytes.subarray(at, s.start)));
      const label = dec.decode(bytes.subarray(s.start, s.end));
      if (s.mention) {
        const m = s.mention;
        out.push(el('button', { type: 'button', class: 'mention', title: `${m.name} (${m.place_kind}) — show on the map`,
          dataset: { lat: m.lat, lon: m.lon, place: m.name }, onclick: () => flyToPlace(m.lat, m.lon, m.name, m.place_kind) }, label));
      } else {
        const e = s.estimate;
        out.push(el('button', { type: 'button', class: 'mention relative', title: `Estimated ${e.distance_km} km ${e.bearing} of ${e.anchor}, ± ${e.uncertainty_km} km — show on the map`,
          dataset: { lat: e.lat, lon: e.lon, place: e.text }, onclick: () => flyToPlace(e.lat, e.lon, e.text, 'estimate') }, label));
      }
      at = s.end;
    }
    out.push(dec.decode(bytes.subarray(at)));
    return out;
  }

  const KIND_ZOOM = { country: 5, region: 6, water: 6, district: 8, estimate: 8 };
  function flyToPlace(lat, lon, name, kind) {
    if (!Number.isFinite(lat) || !Number.isFinite(lon)) return;
    if (PHONE.matches) showPanel(false);
    const zoom = KIND_ZOOM[kind] || 9;
    const target = L.latLng(lat, lon);
    map.flyTo(target, zoom, { duration: 0.8 });
    // once there, open the place's popup, unless the view went elsewhere
    map.once('moveend', () => {
      const m = state.markerByPlace.get(name);
      if (m && map.hasLayer(m) && !measure.on && map.getCenter().distanceTo(target) < 1000) m.openPopup();
    });
    status(`Showing ${name}`);
  }

  async function openArticle(id) {
    try {
      const a = await getJSON(`/api/articles/${encodeURIComponent(id)}`);
      $('#article-title').textContent = a.name;
      $('#article-meta').textContent = `${a.source} · published ${a.date} · ${(a.mentions || []).length} place mentions, ${(a.events || []).length} events`;
      $('#article-text').replaceChildren(...highlighted(a.text, a.mentions, a.estimates));
      $('#article-list-view').hidden = true;
      $('#article-view').hidden = false;
      $('#article-back').focus();
    } catch (err) {
      status(`Article ${id}: ${err.message}`, true);
    }
  }
  $('#article-back').addEventListener('click', () => {
    $('#article-view').hidden = true;
    $('#article-list-view').hidden = false;
    const b = document.querySelector('#article-list button');
    if (b) b.focus();
  });

  // ---- add an article --------------------------------------------------

  $('#article-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const form = ev.target;
    const out = $('#form-result');
    out.classList.remove('error');
    out.textContent = 'Sending…';
    const body = { text: form.text.value, date: form.date.value, source: form.source.value };
    try {
      const res = await fetch('/api/articles', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json', Authorization: `Bearer ${form.token.value}` },
        body: JSON.stringify(body),
      });
      const doc = await res.json().catch(() => null);
      if (!res.ok) throw new Error((doc && (doc.detail || doc.title)) || `${res.status} ${res.statusText}`);
      const a = (doc && doc.article) || {};
      out.textContent = doc && doc.existing
        ? `Article ${a.id} was already stored: nothing changed.`
        : `Added article ${a.id}: ${(a.events || []).length} events, ${(a.mentions || []).length} place mentions. The map is refreshed.`;
      form.text.value = '';
      await loadData({ keepView: true });
    } catch (err) {
      out.classList.add('error');
      out.textContent = `Not added: ${err.message}`;
    }
  });

  // ---- loading ---------------------------------------------------------

  async function loadData(opts) {
    const [events, places, estimates, distances, articles] = await Promise.all([
      getAll(`/collections/events/items?limit=${PAGE_LIMIT}`),
      getAll(`/collections/places/items?limit=${PAGE_LIMIT}`),
      getAll(`/collections/estimates/items?limit=${PAGE_LIMIT}`),
      getAll(`/collections/distances/items?limit=${PAGE_LIMIT}`),
      getJSON('/api/articles'),
    ]);
    Object.assign(state, { events, places, estimates, distances, articles: (articles && articles.articles) || [] });
    state.focal = distances.length ? distances[0].properties.from : null;
    state.zoneCache.clear();
    state.dates = [...new Set(events.map((f) => f.properties.date).filter(isDate))].sort();
    const today = new Date().toISOString().slice(0, 10);
    const first = state.dates[0] || today;
    const last = state.dates[state.dates.length - 1] || today;
    state.minDay = dayOf(first);
    state.maxDay = dayOf(last);
    slider.max = String(state.maxDay - state.minDay);
    dateInput.min = first;
    dateInput.max = last;
    drawArticleList();
    if (!state.dates.length) {
      state.dates = [today];
      status('No events yet: add an article to start the map');
    }
    const fromHash = readHash();
    if (opts && opts.keepView) { // after an article is added: keep the view, show the newest day
      setDate(last, { now: true });
      return;
    }
    if (fromHash) {
      map.setView([fromHash.lat, fromHash.lon], fromHash.zoom, { animate: false });
      setDate(fromHash.date || last, { now: true });
      return;
    }
    const pts = events.map((f) => [f.geometry.coordinates[1], f.geometry.coordinates[0]]);
    if (pts.length) map.fitBounds(L.latLngBounds(pts).pad(0.1), { animate: false, maxZoom: 8 });
    else map.setView([20, 20], 2);
    setDate(last, { now: true });
  }

  // The controls come before the markers in the tab order: Leaflet puts
  // them after the map's panes, behind every marker.
  const mapBox = map.getContainer();
  mapBox.insertBefore(mapBox.querySelector('.leaflet-control-container'), mapBox.firstChild);
  PHONE.addEventListener('change', () => map.invalidateSize());
  if (PHONE.matches) showPanel(false);
  layerControl.getContainer().setAttribute('aria-label', 'Layers');
  loadData().catch((err) => status(`Could not load the map's data: ${err.message}`, true));
})();
