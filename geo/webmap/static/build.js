/* geo interactive map: build(map, data), the one entry point, and the wiring between the parts. */
(function (G) {
  "use strict";
  var lib = G.lib, el = lib.el, escapeHtml = lib.escapeHtml, control = lib.control, M = G.main;

  function infoBox(ctx, stats) {
    var data = ctx.data;
    return control("topleft", function () {
      var div = el("div", "geo-box geo-info leaflet-control");
      div.appendChild(el("h1", null, data.title));
      div.appendChild(el("div", "geo-stats", stats));
      if (data.outliers && data.outliers.length) { div.appendChild(outlierNote(ctx)); }
      var details = lib.section("Data sources and licences", false);
      var ul = el("ul");
      data.sources.forEach(function (s) {
        var li = el("li");
        li.appendChild(el("span", null, s.what + ": "));
        li.appendChild(lib.link(s.source, s.url));
        li.appendChild(el("span", null, " (" + s.licence + ")"));
        ul.appendChild(li);
      });
      details.appendChild(ul);
      details.appendChild(el("p", "geo-meta", "Distances are geodesic (WGS84) to the " + data.border_name +
        " border line. The on-screen ruler measures great-circle distance on a sphere (haversine)."));
      div.appendChild(details);
      return div;
    });
  }

  // incidents far from the region stay out of the opening view; they are listed here
  function outlierNote(ctx) {
    var data = ctx.data, box = lib.section(lib.plural(data.outliers.length, "incident", "incidents") +
      " far from the region, not in the opening view", false, "geo-outliers");
    var ul = el("ul");
    data.outliers.forEach(function (i) {
      var li = el("li"), b = el("button", "geo-link-button", ctx.store.cols.text("id", i) || ("incident " + (i + 1)));
      b.setAttribute("type", "button");
      b.addEventListener("click", function () { ctx.map.setView([ctx.store.lat[i], ctx.store.lon[i]], 8); });
      li.appendChild(b);
      li.appendChild(el("span", "geo-meta", " " + G.popup.incidentLabel(data, ctx.store.cols, i)));
      ul.appendChild(li);
    });
    box.appendChild(ul);
    return box;
  }

  // the side panel: search, filters, summary and export; a menu button folds it at phone width
  function panelControl(ctx) {
    return control("topright", function () {
      var div = el("div", "geo-box geo-panel leaflet-control");
      var menu = el("button", "geo-menu", "☰ Filters and search");
      menu.setAttribute("type", "button");
      menu.setAttribute("aria-expanded", ctx.phone ? "false" : "true");
      var body = el("div", "geo-panel-body");
      menu.addEventListener("click", function () {
        var open = div.classList.toggle("geo-open");
        menu.setAttribute("aria-expanded", String(open || !ctx.phone));
      });
      div.appendChild(menu);
      body.appendChild(G.tools.searchBox(ctx));
      var sum = lib.section("Selection", true, "geo-summary-section");
      ctx.summaryBox = el("div", "geo-summary-box");
      sum.appendChild(ctx.summaryBox);
      body.appendChild(sum);
      var filters = lib.section("Filters", !ctx.phone, "geo-filters-section");
      filters.appendChild(G.panel.filters(ctx));
      body.appendChild(filters);
      body.appendChild(G.tools.exportBox(ctx));
      body.appendChild(ctx.legend.element);
      div.appendChild(body);
      return div;
    });
  }

  function layerControl(ctx) {
    var overlays = {}, bases = {};
    ctx.overlays.forEach(function (o) { overlays[escapeHtml(o[0])] = o[1]; });
    Object.keys(ctx.bases).forEach(function (k) { bases[escapeHtml(k)] = ctx.bases[k]; });
    var layers = L.control.layers(bases, overlays, { collapsed: ctx.phone, position: "topright" }).addTo(ctx.map);
    if (!ctx.phone) {
      // collapsible on a desktop too: a close button folds the list to Leaflet's layers icon
      var box = layers.getContainer(), close = el("button", "geo-layers-close", "×");
      close.setAttribute("type", "button");
      close.setAttribute("aria-label", "fold the layer list");
      close.addEventListener("click", function () { box.classList.remove("leaflet-control-layers-expanded"); });
      box.querySelector(".leaflet-control-layers-list").insertBefore(close, box.querySelector(".leaflet-control-layers-base"));
      box.querySelector(".leaflet-control-layers-toggle").addEventListener("click", function (e) {
        e.preventDefault();
        box.classList.add("leaflet-control-layers-expanded");
      });
    }
    return layers;
  }

  // every change of filter or time window goes through here: one pass, then the views follow
  function wire(ctx, store, incidents, timeControl, refreshHeat, refreshLines) {
    var f = ctx.filter, data = ctx.data, nSides = store.sideValues.length, nBands = data.bands.length;
    var nProv = data.provinces ? data.provinces.features.length : 0, hashTimer = null;
    if (timeControl) { store.setBins(timeControl.bins.of, timeControl.bins.n); }
    function update(timeOnly) {
      var t0 = performance.now();
      var hist = !timeOnly && timeControl ? new Int32Array(timeControl.bins.n) : null;
      var stats = store.apply(f, nSides, nBands, nProv, hist);
      if (hist) { timeControl.draw(hist); }
      ctx.stats = stats;
      G.panel.summary(ctx, stats, store.n);
      if (timeControl) {
        var undated = (f.lo !== null || f.hi !== null) && store.undated ? "; " + lib.plural(store.undated, "undated incident", "undated incidents") + " left out while dates are chosen" : "";
        timeControl.status.textContent = stats.shown.toLocaleString("en-US") + " of " + store.n.toLocaleString("en-US") + " incidents shown" + undated;
      }
      if (ctx.map.hasLayer(incidents.layer)) { incidents.redraw(); }
      refreshHeat();
      ctx.api.lastUpdateMs = performance.now() - t0;
      clearTimeout(hashTimer);
      hashTimer = setTimeout(function () { G.tools.writeHash(ctx.map, f); }, 250);
      return stats;
    }
    incidents.onRedraw = function (inc) {
      ctx.legend.setScale(inc.mode === "hexagons" ? "Incidents per hexagon" : null, inc.mode === "hexagons" ? inc.hexScale : null);
      if (refreshLines) { refreshLines(); }
    };
    ctx.map.on("moveend", function () { clearTimeout(hashTimer); hashTimer = setTimeout(function () { G.tools.writeHash(ctx.map, f); }, 250); });
    return update;
  }

  G.wiring = { infoBox: infoBox, panelControl: panelControl, layerControl: layerControl, wire: wire };
})(window.geoWebmap);
