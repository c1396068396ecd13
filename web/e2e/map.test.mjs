// End-to-end test of the map page in Debian's headless Chromium, driven by
// playwright-core. It runs against a conflictmap server that is already
// serving the bundled articles (cmd/conflictmap's TestMapPageInChromium
// starts the built binary and runs this file):
//
//   BASE_URL=http://127.0.0.1:8080 TOKEN=secret OUT_DIR=/tmp/shots node --test web/e2e/
//
// Screenshots go to OUT_DIR (default web/e2e/out).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const BASE = process.env.BASE_URL;
const TOKEN = process.env.TOKEN || '';
const OUT = process.env.OUT_DIR || join(dirname(fileURLToPath(import.meta.url)), 'out');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
if (!BASE) throw new Error('BASE_URL is not set: run this against a conflictmap server');
mkdirSync(OUT, { recursive: true });

let browser;
before(async () => {
  // launch starts Chromium with a fresh, empty --user-data-dir of its own,
  // removed when the browser closes
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-quic'],
  });
});
after(async () => {
  await browser?.close();
});

// openPage opens the map in a fresh context and records console errors,
// page errors, failed requests and any request that leaves the server.
async function openPage(viewport, hash = '') {
  const context = await browser.newContext({ viewport, acceptDownloads: true, deviceScaleFactor: 1 });
  const page = await context.newPage();
  page.setDefaultTimeout(10000);
  const problems = [];
  const allowed = []; // errors a step expects, as regexps
  page.on('console', (m) => {
    if (m.type() === 'error' && !allowed.some((re) => re.test(m.text()))) problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => {
    if (!/ERR_ABORTED/.test(r.failure()?.errorText || '')) problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`);
  });
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(BASE) || url.startsWith('blob:') || url.startsWith('data:')) return route.continue();
    problems.push(`request outside the server: ${url}`);
    return route.abort();
  });
  const started = Date.now();
  await page.goto(`${BASE}/${hash}`);
  await page.waitForSelector('.event-marker', { timeout: 20000 });
  const markersAt = Date.now() - started;
  await page.waitForFunction(() => document.querySelector('.legend summary')?.textContent.includes('—'));
  await settle(page);
  console.log(`# ${viewport.width}x${viewport.height}: markers after ${markersAt} ms, tiles and zones drawn after ${Date.now() - started} ms`);
  return { context, page, problems, allowed };
}

// settle waits until the map's tiles and the zones of the day are drawn.
async function settle(page) {
  await page.waitForFunction(() => !document.querySelector('.leaflet-tile-container img:not(.leaflet-tile-loaded)'), null, { timeout: 20000 });
  await page.waitForTimeout(400);
}

async function api(path) {
  const res = await fetch(BASE + path, { headers: { Accept: 'application/json' } });
  assert.equal(res.status, 200, `GET ${path}`);
  return res.json();
}

function pngSize(buf) {
  assert.deepEqual([...buf.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG signature');
  return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
}

const mapCenter = (page) => page.evaluate(() => {
  const m = location.hash.replace('#', '').split('/');
  return { zoom: Number(m[0]), lat: Number(m[1]), lon: Number(m[2]), date: m[3] };
});

test('desktop: markers, timeline, sources, tools', async (t) => {
  const { context, page, problems, allowed } = await openPage({ width: 1366, height: 860 });
  const events = (await api('/collections/events/items?limit=10000')).features;
  const places = (await api('/collections/places/items?limit=10000')).features;
  const last = events.map((f) => f.properties.date).sort().at(-1);

  await t.test('the bundled articles show their expected markers', async () => {
    assert.ok(events.length >= 10, `the bundled articles give ${events.length} events`);
    const shown = await page.$$eval('.event-marker', (ns) => ns.map((n) => n.dataset.eventId));
    assert.deepEqual(new Set(shown), new Set(events.map((f) => f.id)), 'one marker per event on the latest day');
    const types = await page.$$eval('.event-marker', (ns) => [...new Set(ns.map((n) => n.dataset.eventType))]);
    assert.ok(types.length >= 3, `several ACLED types are drawn: ${types}`);
    const placeMarkers = await page.$$eval('.place-icon', (ns) => ns.length);
    assert.equal(placeMarkers, places.length, 'one marker per place');
    assert.ok(await page.locator('.event-marker[data-location="Gharyan"]').count() >= 1, 'the Gharyan capture is on the map');
    assert.equal((await mapCenter(page)).date, last, 'the timeline starts on the latest event day');
    assert.ok(await page.$$eval('.leaflet-zones-pane path', (ns) => ns.length) >= 1, 'areas of control are drawn');
    assert.ok(await page.$$eval('.leaflet-estimates-pane path', (ns) => ns.length) >= 2, 'relative estimates are drawn');
    assert.ok(await page.$$eval('.leaflet-distances-pane path', (ns) => ns.length) >= 1, 'distance arcs are drawn');
    const legend = await page.textContent('.legend');
    for (const want of ['Areas of control', 'Frontline', 'Battles', 'Protests', 'relative estimate']) {
      assert.ok(legend.includes(want), `the legend has "${want}"`);
    }
    assert.ok(await page.locator('.leaflet-control-layers').count() === 1, 'a layer control');
    await page.screenshot({ path: join(OUT, 'desktop.png') });
  });

  await t.test('a popup gives the event, each source sentence and the contradictions', async () => {
    await page.fill('#date-input', '2019-04-05');
    await page.dispatchEvent('#date-input', 'change');
    await page.evaluate(() => { location.hash = '#9/32.17/13.02/2019-04-05'; });
    await page.waitForFunction(() => location.hash.startsWith('#9/'));
    await settle(page);
    const gharyan = page.locator('.event-marker[data-location="Gharyan"]').first();
    await gharyan.click();
    const popup = page.locator('.leaflet-popup-content');
    await popup.waitFor();
    const text = await popup.textContent();
    assert.match(text, /Battles/);
    assert.match(text, /What each source says/);
    assert.match(text, /DateThu, 4 Apr 2019WhereGharyan/, 'the event details are listed');
    assert.match(text, /Thursday 2019-04-04 \(libya-03\.txt\) vs Friday 2019-04-05 \(libya-01\.txt\)/, `the date contradiction: ${text}`);
    assert.ok((await popup.locator('blockquote').count()) >= 2, 'a sentence per source');
    await page.screenshot({ path: join(OUT, 'desktop-popup.png') });
    await page.keyboard.press('Escape');
  });

  await t.test('moving the timeline to 2019-04-03 removes the capture of Gharyan', async () => {
    const before = await page.locator('.event-marker[data-location="Gharyan"]').count();
    assert.ok(before >= 1);
    const zonePaths = () => page.$$eval('.leaflet-zones-pane path', (ns) => ns.map((n) => n.getAttribute('d')).join(' '));
    const zonesBefore = await zonePaths();
    await page.fill('#date-input', '2019-04-03');
    await page.dispatchEvent('#date-input', 'change');
    await page.waitForFunction(() => location.hash.endsWith('/2019-04-03'));
    await page.waitForFunction(() => document.querySelector('.legend summary').textContent.includes('2019-04-03'));
    await settle(page);
    assert.equal(await page.locator('.event-marker[data-location="Gharyan"]').count(), 0, 'no Gharyan event before the capture');
    const after = await page.$$eval('.event-marker', (ns) => ns.map((n) => n.dataset.date));
    assert.ok(after.every((d) => d <= '2019-04-03'), `only events up to the date: ${after}`);
    const [apiBefore, apiAfter] = await Promise.all(['2019-04-05', '2019-04-03'].map((d) => api(`/collections/zones/items?datetime=${d}`)));
    if (JSON.stringify(apiBefore.features.map((f) => f.geometry)) !== JSON.stringify(apiAfter.features.map((f) => f.geometry))) {
      assert.notEqual(await zonePaths(), zonesBefore, 'the areas of control of 2019-04-03 replace those of 2019-04-05');
    }
    assert.equal(await page.inputValue('#date-slider'), String(await page.evaluate(() => {
      const d = (s) => Date.UTC(...s.split('-').map((v, i) => (i === 1 ? v - 1 : +v))) / 864e5;
      return d('2019-04-03') - d(document.querySelector('#date-input').min);
    })), 'the slider follows the date');
    await page.screenshot({ path: join(OUT, 'desktop-2019-04-03.png') });
    // the slider moves the date too, with the keyboard
    await page.focus('#date-slider');
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction(() => location.hash.endsWith('/2019-04-04'));
    assert.ok(await page.locator('.event-marker[data-location="Gharyan"]').count() >= 1, 'the capture is back on 2019-04-04');
  });

  await t.test('the URL keeps the view', async () => {
    const shared = '#7/32.5000/13.2000/2019-04-03';
    const other = await context.newPage();
    await other.goto(`${BASE}/${shared}`);
    await other.waitForFunction(() => document.querySelector('.legend summary')?.textContent.includes('2019-04-03'));
    const v = await mapCenter(other);
    assert.deepEqual([v.zoom, v.lat, v.lon, v.date], [7, 32.5, 13.2, '2019-04-03']);
    assert.equal(await other.inputValue('#date-input'), '2019-04-03');
    assert.equal(await other.locator('.event-marker[data-location="Gharyan"]').count(), 0);
    await other.close();
  });

  await t.test('play steps through the event dates', async () => {
    await page.fill('#date-input', '2019-04-03');
    await page.dispatchEvent('#date-input', 'change');
    await page.click('#play');
    await page.waitForFunction(() => location.hash.endsWith('/2019-04-04'), null, { timeout: 5000 });
    await page.click('#play');
    assert.equal(await page.getAttribute('#play', 'aria-pressed'), 'false');
  });

  await t.test('clicking a mention in an article pans the map', async () => {
    await page.fill('#date-input', last);
    await page.dispatchEvent('#date-input', 'change');
    await page.evaluate(() => { location.hash = location.hash.replace(/^#\d+\/[^/]+\/[^/]+/, '#4/25.0000/30.0000'); });
    await settle(page);
    const articles = (await api('/api/articles')).articles;
    assert.equal(await page.locator('#article-list button').count(), articles.length, 'the panel lists every article');
    await page.click('#article-list button >> text=libya-01.txt');
    await page.locator('#article-text .mention').first().waitFor();
    const mention = page.locator('#article-text .mention:not(.relative)[data-place="Tripoli"]').first();
    const count = await page.locator('#article-text .mention').count();
    assert.ok(count >= 5, `the article's mentions are highlighted (${count})`);
    const target = { lat: Number(await mention.getAttribute('data-lat')), lon: Number(await mention.getAttribute('data-lon')) };
    const before = await mapCenter(page);
    await mention.click();
    await page.waitForFunction(({ lat, lon }) => {
      const m = location.hash.replace('#', '').split('/').map(Number);
      return Math.abs(m[1] - lat) < 0.01 && Math.abs(m[2] - lon) < 0.01;
    }, target, { timeout: 5000 });
    const now = await mapCenter(page);
    assert.ok(now.zoom > before.zoom, `the map zooms in on the place (${before.zoom} → ${now.zoom})`);
    await page.locator('.leaflet-popup-content h3', { hasText: 'Tripoli' }).waitFor();
    await settle(page);
    await page.screenshot({ path: join(OUT, 'desktop-article.png') });
    await page.click('.leaflet-popup-close-button');
  });

  await t.test('measure: two places give their geodesic distance', async () => {
    await page.evaluate(() => { location.hash = location.hash.replace(/^#\d+\/[^/]+\/[^/]+/, '#8/32.5000/13.1000'); });
    await settle(page);
    await page.click('#measure');
    // the places are under their events' symbols: a click on either measures
    for (const name of ['Tripoli', 'Gharyan']) {
      const box = await page.locator(`.place-icon[data-place="${name}"]`).boundingBox();
      await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
      // two clicks within Leaflet's 200 ms double-tap window can be taken
      // for a double tap when the synthetic click carries no pointer type;
      // a person takes longer between two places
      await page.waitForTimeout(600);
    }
    await page.waitForFunction(() => document.querySelector('#measure').dataset.result, null, { timeout: 5000 })
      .catch(async (err) => {
        await page.screenshot({ path: join(OUT, 'failed-measure.png') });
        throw new Error(`${err.message}; the page says: ${await page.textContent('#status')}`);
      });
    const km = Number(await page.getAttribute('#measure', 'data-result'));
    assert.ok(km > 75 && km < 90, `Tripoli → Gharyan is about 81 km, got ${km}`);
    assert.match(await page.textContent('.measure-label'), /Tripoli → Gharyan: \d+\.\d km/);
  });

  await t.test('the export returns a PNG of the view, and the layers as GeoJSON', async () => {
    const href = await page.getAttribute('#export-png', 'href');
    assert.match(href, /^\/static\.png\?bbox=/);
    const res = await page.request.get(BASE + href);
    assert.equal(res.status(), 200, `GET ${href}`);
    assert.equal(res.headers()['content-type'], 'image/png');
    const png = await res.body();
    const size = pngSize(png);
    const view = await page.evaluate(() => { const r = document.querySelector('#map').getBoundingClientRect(); return { width: Math.round(r.width), height: Math.round(r.height) }; });
    assert.deepEqual(size, view, 'the image is the size of the map view');
    writeFileSync(join(OUT, 'export.png'), png);

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-geojson')]);
    const doc = JSON.parse(readFileSync(await download.path(), 'utf8'));
    assert.equal(doc.type, 'FeatureCollection');
    const layers = new Set(doc.features.map((f) => f.properties.layer));
    assert.ok(layers.has('events') && layers.has('places'), `the visible layers are exported: ${[...layers]}`);
  });

  await t.test('every control can be reached with the keyboard', async () => {
    const fresh = await context.newPage();
    await fresh.goto(`${BASE}/`);
    await fresh.waitForSelector('.event-marker');
    await fresh.keyboard.press('Tab');
    assert.equal(await fresh.evaluate(() => document.activeElement.className), 'skip', 'the first Tab offers the skip link');
    const seen = new Set();
    for (let i = 0; i < 40; i++) {
      await fresh.keyboard.press('Tab');
      seen.add(await fresh.evaluate(() => {
        const a = document.activeElement;
        return a.id || a.className?.toString().split(' ')[0] || a.tagName;
      }));
    }
    for (const want of ['play', 'date-slider', 'date-input', 'measure', 'export-png', 'export-geojson', 'toggle-panel',
      'leaflet-control-zoom-in', 'leaflet-control-layers-selector', 'SUMMARY']) {
      assert.ok(seen.has(want), `Tab reaches ${want}: ${[...seen].join(', ')}`);
    }
    // the skip link leads to the articles, whose buttons come next
    await fresh.keyboard.press('Shift+Tab');
    await fresh.focus('.skip');
    await fresh.keyboard.press('Enter');
    await fresh.keyboard.press('Tab');
    assert.equal(await fresh.evaluate(() => document.activeElement.closest('#article-list') !== null), true, 'after the skip link, Tab reaches the articles');
    await fresh.close();
  });

  await t.test('the form adds an article and refreshes the map', async () => {
    const before = (await api('/api/articles')).articles.length;
    await page.click('#article-back');
    await page.click('#add-article summary');
    await page.fill('#form-text', 'BENGHAZI, June 3 (Test Wire) - Fighters clashed with army units in Derna on Monday, and three people were killed, a hospital official said.');
    await page.fill('#form-date', '2019-06-05');
    await page.fill('#form-source', 'Test Wire');
    allowed.push(/status of 40[13] /); // the wrong token's answer
    await page.fill('#form-token', 'not-the-token');
    await page.click('#article-form button[type=submit]');
    await page.waitForFunction(() => /Not added/.test(document.querySelector('#form-result').textContent));
    allowed.pop();
    await page.fill('#form-token', TOKEN);
    await page.click('#article-form button[type=submit]');
    await page.waitForFunction(() => /Added article/.test(document.querySelector('#form-result').textContent), null, { timeout: 20000 });
    await page.waitForFunction((n) => document.querySelectorAll('#article-list button').length === n + 1, before);
    assert.match(await page.textContent('#form-result'), /Added article \d+: 1 events/);
    // Derna is GeoNames' Darnah
    await page.waitForSelector('.event-marker[data-location="Darnah"][data-date="2019-06-03"]', { state: 'attached', timeout: 10000 });
  });

  await t.test('no console errors', async () => {
    assert.deepEqual(problems, []);
    assert.equal(await page.$eval('#status', (s) => (s.classList.contains('error') ? s.textContent : '')), '', 'no error shown to the user');
  });
  await context.close();
});

test('phone (360 px): the map, the drawer and the popups fit', async () => {
  const { context, page, problems } = await openPage({ width: 360, height: 740 }, '#6/31.5/15.5/2019-04-05');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `no horizontal scrolling (${overflow} px too wide)`);
  assert.equal(await page.getAttribute('#toggle-panel', 'aria-expanded'), 'false', 'the articles drawer starts closed');
  const box = await page.locator('#map').boundingBox();
  assert.ok(box.width >= 350 && box.height >= 400, `the map fills the phone: ${JSON.stringify(box)}`);
  await page.screenshot({ path: join(OUT, 'phone.png') });
  // on a phone the layer control is folded behind a button the keyboard reaches
  await page.focus('.leaflet-control-layers-toggle');
  await page.keyboard.press('Enter');
  await page.locator('.leaflet-control-layers-expanded').waitFor();
  await page.screenshot({ path: join(OUT, 'phone-layers.png') });
  await page.keyboard.press('Escape');
  await page.mouse.click(180, 600);
  await page.click('#toggle-panel');
  await page.click('#article-list button >> nth=0');
  await page.locator('#article-text .mention').first().waitFor();
  await page.screenshot({ path: join(OUT, 'phone-article.png') });
  await page.locator('#article-text .mention[data-place="Tripoli"]').first().click();
  assert.equal(await page.getAttribute('#toggle-panel', 'aria-expanded'), 'false', 'the drawer closes to show the place');
  await page.waitForTimeout(1200);
  // a tap on the topmost event symbol inside the screen
  const spot = await page.evaluate(() => {
    for (const n of document.querySelectorAll('.event-marker')) {
      const r = n.getBoundingClientRect();
      const x = r.x + r.width / 2;
      const y = r.y + r.height / 2;
      if (x > 20 && x < innerWidth - 20 && y > 150 && y < innerHeight - 60 && document.elementFromPoint(x, y)?.closest('.event-marker')) return { x, y };
    }
    return null;
  });
  assert.ok(spot, 'an event symbol is on screen after flying to the mention');
  await page.mouse.click(spot.x, spot.y);
  await page.waitForFunction(() => document.querySelectorAll('.leaflet-popup').length === 1 && document.querySelector('.leaflet-popup-content h3')?.textContent.match(/Battles|Explosions|Violence|Protests|Riots|Strategic/));
  const popup = await page.locator('.leaflet-popup').boundingBox();
  assert.ok(popup.width <= 360, `the popup fits the screen (${popup.width} px)`);
  await page.screenshot({ path: join(OUT, 'phone-popup.png') });
  assert.deepEqual(problems, []);
  await context.close();
});
