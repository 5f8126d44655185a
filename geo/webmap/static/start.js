/* geo interactive map: the entry point, geoWebmap.build(map, data). */
(function (G) {
  "use strict";
  var lib = G.lib, M = G.main, B = G.wiring;

  function outlines(ctx, onProvince) {
    M.baseLayers(ctx);
    G.layers.countriesLayer(ctx);
    G.layers.provincesLayer(ctx, onProvince);
    G.layers.corridorsLayer(ctx);
    G.layers.borderLayer(ctx);
    G.layers.pairsLayer(ctx);
  }

  // points mode: every filter works on the points; markers or hexagons by the count in view
  function pointsMode(ctx) {
    var data = ctx.data, store = new G.Store(data);
    ctx.store = store;
    ctx.filter = G.emptyFilter();
    ctx.province = null;
    var hash = G.tools.readHash(ctx.filter);
    var range = store.dayRange(), timeControl = null;
    var incidents = new G.Incidents(ctx, store);
    ctx.openIncident = function (i) { incidents.openPopup(incidents.marker(i)); };
    ctx.addOverlay("Incidents (" + store.n.toLocaleString("en-US") + ")", incidents.layer, false);
    ctx.incidentLayer = incidents.layer;
    var refreshLines = M.connectorLayer(ctx, store, incidents);
    var refreshHeat = M.heatLayer(ctx, function () {
      var pts = [];
      for (var k = 0; k < store.n; k++) { if (store.on[k]) { pts.push([store.lat[k], store.lon[k], 1]); } }
      return pts;
    });
    if (range) {
      timeControl = new G.TimeControl({ range: range, colors: data.colors, onWindow: function (lo, hi, live) {
        ctx.filter.lo = lo;
        ctx.filter.hi = hi;
        update(true, live);
      } });
      timeControl.lo = ctx.filter.lo;
      timeControl.hi = ctx.filter.hi;
    }
    var update = B.wire(ctx, store, incidents, timeControl, refreshHeat, refreshLines);
    ctx.onChange = function () { update(false); };
    return { store: store, incidents: incidents, timeControl: timeControl, update: update, hash: hash, range: range };
  }

  function gridMode(ctx) {
    var data = ctx.data, grid = new G.GridLayer(ctx), timeControl = null;
    var range = data.dateRange ? [lib.isoToDay(data.dateRange[0]), lib.isoToDay(data.dateRange[1])] : null;
    ctx.addOverlay("Incidents (grid of counts, " + grid.total.toLocaleString("en-US") + " in all)", grid.layer, true);
    var refreshHeat = M.heatLayer(ctx, function () { return grid.heatPoints(); });
    function update(lo, hi) {
      var t0 = performance.now(), shown = grid.draw(lo === null ? null : lib.dayToIso(lo), hi === null ? null : lib.dayToIso(hi));
      ctx.legend.setScale("Incidents per cell", grid.scale);
      refreshHeat();
      if (timeControl) { timeControl.status.textContent = shown.toLocaleString("en-US") + " of " + grid.total.toLocaleString("en-US") + " incidents shown"; }
      ctx.api.lastUpdateMs = performance.now() - t0;
      ctx.api.cells = grid.drawn;
    }
    if (range) {
      timeControl = new G.TimeControl({ range: range, colors: data.colors, onWindow: update });
    }
    return { grid: grid, timeControl: timeControl, update: update, range: range };
  }

  function histogramOfGrid(data, timeControl) {
    var g = data.grid, counts = new Int32Array(timeControl.bins.n);
    for (var k = 0; k < g.count.length; k++) {
      var day = lib.isoToDay(g.periods[g.p[k]]);
      if (day === null) { continue; }
      var b = timeControl.bins.of(Math.max(day, timeControl.range[0]));
      if (b >= 0 && b < counts.length) { counts[b] += g.count[k]; }
    }
    return counts;
  }

  function build(map, data) {
    var api = { map: map, overlays: {}, data: data };
    var ctx = M.context(map, data, api), points = data.mode !== "grid", mode;
    ctx.legend = M.legend(ctx);
    outlines(ctx, function (k) {
      if (!points) { return; }
      ctx.province = k;
      G.panel.summary(ctx, ctx.stats, ctx.store.n);
      if (ctx.phone) { ctx.panelElement.classList.add("geo-open"); }
    });
    mode = points ? pointsMode(ctx) : gridMode(ctx);
    B.layerControl(ctx);
    var total = points ? mode.store.n : mode.grid.total;
    var stats = lib.plural(total, "incident", "incidents");
    if (mode.range) { stats += ", " + lib.dayToIso(mode.range[0]) + " to " + lib.dayToIso(mode.range[1]); }
    if (!points) { stats += "; shown as counts per " + data.grid.cell + "° cell"; }
    B.infoBox(ctx, stats).addTo(map);
    L.control.scale({ imperial: false, maxWidth: 160 }).addTo(map);
    G.layers.measureControl(ctx).addTo(map);
    G.layers.fullscreenControl(ctx).addTo(map);
    if (points) {
      var panel = B.panelControl(ctx).addTo(map);
      ctx.panelElement = panel.getContainer();
    }
    if (!points) {
      var legendBox = ctx.legend.element;
      legendBox.classList.add("geo-box", "leaflet-control");
      lib.control("bottomright", function () { return legendBox; }).addTo(map);
    }
    if (mode.timeControl) {
      var tc = mode.timeControl;
      lib.control("bottomleft", function () { return tc.element(); }).addTo(map);
    }
    map.attributionControl.addAttribution(escapeCredit(data.credit));
    openingView(ctx, points ? mode.hash.view : null);
    if (points) {
      mode.update(false);
      ctx.incidentLayer.addTo(map);
    } else {
      if (mode.timeControl) { mode.timeControl.draw(histogramOfGrid(data, mode.timeControl)); }
      mode.update(null, null);
    }
    exposeApi(ctx, mode, points);
    return api;
  }

  function escapeCredit(text) { return lib.escapeHtml(text); }

  function openingView(ctx, view) {
    var data = ctx.data;
    if (view) { ctx.map.setView([view[0], view[1]], view[2], { animate: false }); return; }
    var pad = ctx.phone ? [[10, 10], [10, 60]] : [[20, 10], [300, 110]];
    if (data.view) { ctx.map.fitBounds(data.view, { paddingTopLeft: pad[0], paddingBottomRight: pad[1], animate: false }); }
  }

  // for tests, benchmarks and users' scripts: window.geoWebmaps[k]
  function exposeApi(ctx, mode, points) {
    var api = ctx.api;
    if (points) {
      api.store = mode.store;
      api.incidents = mode.incidents;
      api.filter = ctx.filter;
      api.update = function () { return mode.update(false); };
      api.count = function () { return ctx.stats.shown; };
      api.drawnMarks = function () { return mode.incidents.drawn; };
      api.markers = mode.incidents.markers;
      api.exportText = function (format) { return G.tools.exportText(ctx.data, mode.store, format); };
      api.openIncident = ctx.openIncident;
    } else {
      api.count = function () { return mode.grid.shown; };
      api.drawnMarks = function () { return mode.grid.drawn; };
    }
    api.time = mode.timeControl;
    api.setDateRange = function (lo, hi) {
      if (mode.timeControl) { mode.timeControl.set(lo ? lib.isoToDay(lo) : null, hi ? lib.isoToDay(hi) : null); }
      return api.count();
    };
    window.geoWebmaps = window.geoWebmaps || [];
    window.geoWebmaps.push(api);
    // tell a waiting browser (tests, benchmarks) that the first frame is drawn
    requestAnimationFrame(function () {
      requestAnimationFrame(function () { document.documentElement.setAttribute("data-geo-ready", "1"); });
    });
  }

  G.build = build;
})(window.geoWebmap);
/* geoWebmap.load(id): the map's data, from JSON or from gzip in base64 (large maps);
 * geoWebmap.start(map, id): build the map, then merge the long texts of a large map
 * (element id + "_more") once the first frame is drawn; html[data-geo-complete] says done. */
(function (G) {
  "use strict";
  G.load = function (id) {
    var node = document.getElementById(id);
    if (node.getAttribute("data-encoding") !== "gzip-base64") {
      return Promise.resolve(JSON.parse(node.textContent));
    }
    var text = atob(node.textContent), bytes = new Uint8Array(text.length);
    for (var k = 0; k < text.length; k++) { bytes[k] = text.charCodeAt(k); }
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Response(stream).text().then(JSON.parse);
  };

  G.start = function (map, id) {
    var t0 = performance.now();
    return G.load(id).then(function (data) {
      var t1 = performance.now(), api = G.build(map, data), more = document.getElementById(id + "_more");
      // where the first render goes, in ms since the page's start: for benchmarks
      api.timings = { scriptStart: t0, dataRead: t1, built: performance.now() };
      var done = !more ? Promise.resolve() : new Promise(function (resolve) { setTimeout(resolve, 0); })
        .then(function () { return G.load(id + "_more"); })
        .then(function (extra) {
          Object.keys(extra.text).forEach(function (k) { data.incidents.text[k] = extra.text[k]; });
          if (extra.sources) { data.incidents.sources = extra.sources; }
        });
      api.complete = done.then(function () { document.documentElement.setAttribute("data-geo-complete", "1"); });
      return api;
    });
  };
})(window.geoWebmap);
