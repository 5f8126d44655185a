/* geo interactive map, one builder per outline layer, and the map tools.
 *
 * Each builder takes the map context (ctx: map, data, panes, colors, addOverlay) and adds
 * one layer; colors and names come from the payload (geo.legend), never from here.
 */
(function (G) {
  "use strict";
  var lib = G.lib, el = lib.el, escapeHtml = lib.escapeHtml, control = lib.control, icon = lib.icon;

  function tilesLayer(ctx) {
    var t = ctx.data.tiles;
    if (!t) { return null; }
    return L.tileLayer(t.url.replace("{r}", ""), {
      subdomains: t.subdomains, maxZoom: t.maxZoom, attribution: escapeHtml(t.attribution)
    });
  }

  function labelTip(className, latlng, text, direction, offset) {
    return L.tooltip({ permanent: true, direction: direction || "center", offset: offset || [0, 0],
      className: className, interactive: false, pane: "geo-labels" })
      .setLatLng(latlng).setContent(el("span", null, text));
  }

  function countriesLayer(ctx) {
    var data = ctx.data, c = data.colors;
    if (!data.countries) { return; }
    var countries = L.geoJSON(data.countries, {
      renderer: ctx.svg["geo-countries"], pane: "geo-countries", interactive: false,
      style: { color: c.country_line, weight: 0.8, fillColor: c.country_fill, fillOpacity: data.tiles ? 0.35 : 1 }
    });
    var labels = L.layerGroup();
    data.countries.features.forEach(function (f) {
      if (!f.geometry || !f.properties.name) { return; }
      var center = f.properties.label || L.geoJSON(f).getBounds().getCenter();
      labels.addLayer(labelTip("geo-country-label", center, f.properties.name));
    });
    ctx.addOverlay("Countries", L.featureGroup([countries, labels]), true);
  }

  function provinceTooltip(p) {
    var box = el("div", "geo-tip");
    box.appendChild(el("strong", null, p.name || "province"));
    if (p.local) { box.appendChild(el("div", "geo-meta", p.local)); }
    if (p.country) { box.appendChild(el("div", "geo-meta", p.country)); }
    box.appendChild(el("div", null, lib.plural(p.count, "incident", "incidents") + " in all (" +
      p.density.toLocaleString("en-US") + " per 10,000 km²), " +
      lib.plural(p.fatalities, "fatality", "fatalities") + "; click for the current selection"));
    return box;
  }

  function provincesLayer(ctx, onClick) {
    var data = ctx.data, c = data.colors;
    if (!data.provinces) { return; }
    var index = 0;
    var provinces = L.geoJSON(data.provinces, {
      renderer: ctx.svg["geo-provinces"], pane: "geo-provinces",
      style: function (f) {
        var p = f.properties;
        return p.focus ?
          { color: c.province_line, weight: 2, fillColor: p.fill || data.provinceClasses[0].color, fillOpacity: data.provinceOpacity } :
          { color: c.other_province_line, weight: 0.7, dashArray: "3 3", fillColor: c.other_province_fill,
            fillOpacity: data.tiles ? 0.2 : 0.6 };
      },
      onEachFeature: function (f, layer) {
        var k = index++;
        layer.bindTooltip(function () { return provinceTooltip(f.properties); }, { sticky: true });
        layer.on("click", function (e) { onClick(k, f.properties, e.latlng); });
      }
    });
    var labels = L.layerGroup();
    data.provinces.features.forEach(function (f) {
      if (f.properties.label && f.properties.name) {
        labels.addLayer(labelTip("geo-province-label", f.properties.label, f.properties.name));
      }
    });
    ctx.addOverlay("Provinces (" + data.provinceTitle.toLowerCase() + ")", L.featureGroup([provinces, labels]), true);
  }

  function corridorsLayer(ctx) {
    var data = ctx.data;
    if (!data.corridors || !data.corridors.length) { return; }
    var bands = L.featureGroup();
    data.corridors.slice().reverse().forEach(function (b) {
      if (!b.geometry) { return; }
      var layer = L.geoJSON(b.geometry, {
        renderer: ctx.svg["geo-corridors"], pane: "geo-corridors",
        style: { color: b.color, weight: 0.8, opacity: 0.7, fillColor: b.color, fillOpacity: data.bandOpacity }
      });
      layer.bindTooltip(el("span", null, b.label + " from the border"), { sticky: true });
      bands.addLayer(layer);
    });
    ctx.addOverlay("Distance bands along the border", bands, true);
  }

  function borderLayer(ctx) {
    var data = ctx.data;
    if (!data.border || !data.border.geometry) { return; }
    var line = L.geoJSON(data.border.geometry, {
      renderer: ctx.svg["geo-border"], pane: "geo-border", interactive: true,
      style: { color: data.colors.border, weight: 2.5, opacity: 0.95 }
    });
    line.bindTooltip(el("span", null, data.borderTitle + " (" + data.border_name + ")"), { sticky: true });
    var group = L.featureGroup([line]);
    if (data.border.label) {
      group.addLayer(labelTip("geo-border-label", data.border.label, data.borderTitle, "right", [8, 0]));
    }
    ctx.addOverlay(data.borderTitle, group, true);
  }

  // optional arcs between pairs of incidents (geo.pairs), off by default
  function pairsLayer(ctx) {
    var pairs = ctx.data.pairs;
    if (!pairs || !pairs.lines.length) { return; }
    var group = L.featureGroup();
    var renderer = L.canvas({ pane: "geo-connectors", tolerance: 4 });
    pairs.lines.forEach(function (item) {
      var line = L.polyline(item[0], { renderer: renderer, pane: "geo-connectors",
        color: ctx.data.colors.pair, weight: 1.6, opacity: 0.8 });
      line.bindTooltip(function () {
        var box = el("div", "geo-tip");
        pairs.fields.forEach(function (f, k) {
          if (item[1][k] !== null) { box.appendChild(el("div", null, f + ": " + item[1][k])); }
        });
        return box;
      }, { sticky: true });
      group.addLayer(line);
    });
    ctx.addOverlay("Cross-border pairs (" + pairs.lines.length + ")", group, false);
  }

  function toolButton(div, path, title) {
    var button = el("a", "geo-button");
    button.appendChild(icon(path));
    button.setAttribute("href", "#");
    button.setAttribute("role", "button");
    button.setAttribute("title", title);
    button.setAttribute("aria-label", title);
    div.appendChild(button);
    return button;
  }

  function measureControl(ctx) {
    var map = ctx.map, color = ctx.data.colors.measure;
    return control("topleft", function () {
      var div = el("div", "leaflet-bar geo-tool");
      var button = toolButton(div, "M3 17 L17 3 M6 14 l2 2 M9 11 l2 2 M12 8 l2 2",
        "Measure a distance: click points on the map, click here to stop");
      var out = el("div", "geo-measure-out");
      div.appendChild(out);
      var active = false, points = [], line = null, marks = L.layerGroup();
      function reset() { points = []; marks.clearLayers(); line = null; out.textContent = ""; }
      function onClick(e) {
        points.push(e.latlng);
        marks.addLayer(L.circleMarker(e.latlng, { radius: 3, color: color, pane: "geo-measure" }));
        if (line) { line.setLatLngs(points); } else {
          line = L.polyline(points, { color: color, weight: 2, dashArray: "4 4", pane: "geo-measure" });
          marks.addLayer(line);
        }
        var total = 0;
        for (var k = 1; k < points.length; k++) { total += lib.haversineKm(points[k - 1], points[k]); }
        out.textContent = points.length > 1 ? lib.fmtKm(total) + " (great circle)" : "click the next point";
      }
      L.DomEvent.on(button, "click", function (e) {
        L.DomEvent.preventDefault(e);
        active = !active;
        div.classList.toggle("geo-active", active);
        reset();
        if (active) {
          out.textContent = "click the first point";
          marks.addTo(map);
          map.on("click", onClick);
        } else {
          map.off("click", onClick);
          map.removeLayer(marks);
        }
        map.getContainer().style.cursor = active ? "crosshair" : "";
      });
      return div;
    });
  }

  function fullscreenControl(ctx) {
    var map = ctx.map;
    return control("topleft", function () {
      var div = el("div", "leaflet-bar geo-tool");
      var button = toolButton(div, "M3 8 V3 H8 M12 3 H17 V8 M17 12 V17 H12 M8 17 H3 V12", "Full screen");
      L.DomEvent.on(button, "click", function (e) {
        L.DomEvent.preventDefault(e);
        if (document.fullscreenElement) { document.exitFullscreen(); } else if (map.getContainer().requestFullscreen) {
          map.getContainer().requestFullscreen();
        }
      });
      document.addEventListener("fullscreenchange", function () { map.invalidateSize(); });
      return div;
    });
  }

  G.layers = {
    tilesLayer: tilesLayer, countriesLayer: countriesLayer, provincesLayer: provincesLayer,
    corridorsLayer: corridorsLayer, borderLayer: borderLayer, pairsLayer: pairsLayer,
    measureControl: measureControl, fullscreenControl: fullscreenControl, labelTip: labelTip
  };
})(window.geoWebmap);
