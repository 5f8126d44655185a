/* geo interactive map: builds every layer and control from one JSON blob.
 *
 * Safety: data reach the page only through textContent, DOM attributes set by
 * setAttribute on elements we create, or escapeHtml() where Leaflet insists on HTML
 * (the layer control's labels). Links are kept only for http and https URLs.
 * Speed: with many incidents the markers are canvas paths sharing one popup handler;
 * heavy layers (heat map, lines to the border) are built when first switched on.
 */
(function () {
  "use strict";

  var EARTH_RADIUS_KM = 6371.0088; // mean radius: the ruler is great-circle (haversine)

  // ------------------------------------------------------------------ helpers
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  function escapeHtml(value) {
    return String(value).replace(/[&<>"'`=\/]/g, function (c) {
      return "&#" + c.charCodeAt(0) + ";";
    });
  }

  function safeUrl(value) {
    if (typeof value !== "string") { return null; }
    try {
      var url = new URL(value);
      return (url.protocol === "http:" || url.protocol === "https:") ? url.href : null;
    } catch (e) {
      return null;
    }
  }

  function link(text, url) {
    var href = safeUrl(url);
    if (!href) { return el("span", null, text); }
    var a = el("a", null, text);
    a.setAttribute("href", href);
    a.setAttribute("target", "_blank");
    a.setAttribute("rel", "noopener noreferrer nofollow");
    return a;
  }

  function haversineKm(a, b) {
    var rad = Math.PI / 180;
    var dLat = (b.lat - a.lat) * rad, dLon = (b.lng - a.lng) * rad;
    var h = Math.sin(dLat / 2) * Math.sin(dLat / 2) +
      Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) * Math.sin(dLon / 2);
    return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
  }

  function fmtKm(km) {
    if (km === null || km === undefined) { return null; }
    return (km < 10 ? km.toFixed(1) : Math.round(km).toString()) + " km";
  }

  // vertices of a marker shape of "radius" r around (x, y), for canvas and SVG alike
  function shapePoints(shape, x, y, r) {
    var pts = [], k, n, a, rr;
    if (shape === "square") {
      r *= 0.9;
      return [[x - r, y - r], [x + r, y - r], [x + r, y + r], [x - r, y + r]];
    }
    if (shape === "diamond") {
      r *= 1.2;
      return [[x, y - r], [x + r, y], [x, y + r], [x - r, y]];
    }
    if (shape === "triangle" || shape === "triangle-down") {
      var s = shape === "triangle" ? 1 : -1;
      r *= 1.25;
      return [[x, y - s * r], [x + r * 0.866, y + s * r * 0.5], [x - r * 0.866, y + s * r * 0.5]];
    }
    if (shape === "hexagon") {
      for (k = 0; k < 6; k++) {
        a = Math.PI / 3 * k;
        pts.push([x + r * Math.cos(a), y + r * Math.sin(a)]);
      }
      return pts;
    }
    if (shape === "star") {
      n = 5;
      r *= 1.3;
      for (k = 0; k < 2 * n; k++) {
        a = -Math.PI / 2 + Math.PI / n * k;
        rr = k % 2 === 0 ? r : r * 0.45;
        pts.push([x + rr * Math.cos(a), y + rr * Math.sin(a)]);
      }
      return pts;
    }
    return null;
  }

  // A circle marker that can also be a square, triangle, diamond, star or hexagon.
  var ShapeMarker = L.CircleMarker.extend({
    options: { shape: "circle" },
    _updatePath: function () {
      var pts = shapePoints(this.options.shape, this._point.x, this._point.y, this._radius);
      if (!pts) { return L.CircleMarker.prototype._updatePath.call(this); }
      var renderer = this._renderer;
      if (renderer instanceof L.Canvas) {
        if (!renderer._drawing || this._empty()) { return; }
        var ctx = renderer._ctx;
        ctx.beginPath();
        ctx.moveTo(pts[0][0], pts[0][1]);
        for (var i = 1; i < pts.length; i++) { ctx.lineTo(pts[i][0], pts[i][1]); }
        ctx.closePath();
        renderer._fillStroke(ctx, this);
      } else {
        var d = "M" + pts.map(function (p) { return p[0].toFixed(1) + "," + p[1].toFixed(1); }).join("L") + "z";
        renderer._setPath(this, d);
      }
    }
  });

  function swatch(shape, color, radius) {
    var size = 2 * radius + 6, ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("width", size);
    svg.setAttribute("height", size);
    svg.setAttribute("aria-hidden", "true");
    var pts = shapePoints(shape, size / 2, size / 2, radius), node;
    if (pts) {
      node = document.createElementNS(ns, "polygon");
      node.setAttribute("points", pts.map(function (p) { return p[0].toFixed(1) + "," + p[1].toFixed(1); }).join(" "));
    } else {
      node = document.createElementNS(ns, "circle");
      node.setAttribute("cx", size / 2);
      node.setAttribute("cy", size / 2);
      node.setAttribute("r", radius);
    }
    node.setAttribute("fill", color);
    node.setAttribute("fill-opacity", "0.8");
    node.setAttribute("stroke", "#222");
    node.setAttribute("stroke-width", "1");
    svg.appendChild(node);
    return svg;
  }

  function icon(path) {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("width", "20");
    svg.setAttribute("height", "20");
    svg.setAttribute("viewBox", "0 0 20 20");
    svg.setAttribute("aria-hidden", "true");
    var node = document.createElementNS(ns, "path");
    node.setAttribute("d", path);
    node.setAttribute("fill", "none");
    node.setAttribute("stroke", "#333");
    node.setAttribute("stroke-width", "1.8");
    svg.appendChild(node);
    return svg;
  }

  function markerRadius(fatalities) {
    if (fatalities === null || fatalities === undefined) { return 5; }
    return Math.min(22, 5 + 2.5 * Math.sqrt(Math.max(0, fatalities)));
  }

  // -------------------------------------------------------------- data access
  function Columns(inc) {
    this.inc = inc;
  }
  // text columns: {"s": list} | {"v": uniques, "k": code for all} | {"v": uniques, "c": codes}
  function decode(col, i) {
    if (!col) { return null; }
    if (col.s) { return col.s[i]; }
    var code = col.c ? col.c[i] : col.k;
    return code < 0 ? null : col.v[code];
  }
  Columns.prototype.text = function (name, i) {
    return decode(this.inc.text[name], i);
  };
  Columns.prototype.sources = function (i) {
    return decode(this.inc.sources, i);
  };
  Columns.prototype.num = function (name, i) {
    var col = this.inc.num[name];
    return col ? col[i] : null;
  };
  Columns.prototype.date = function (i) {
    return decode(this.inc.date, i);
  };

  // ------------------------------------------------------------------- popups
  function row(table, label, value) {
    if (value === null || value === undefined || value === "") { return; }
    var tr = el("tr");
    tr.appendChild(el("th", null, label));
    var td = el("td");
    if (value instanceof Node) { td.appendChild(value); } else { td.textContent = String(value); }
    tr.appendChild(td);
    table.appendChild(tr);
  }

  function incidentPopup(data, cols, i) {
    var box = el("div", "geo-popup");
    var type = data.types[data.incidents.type[i]];
    var head = el("div", "geo-popup-type");
    head.appendChild(swatch(type.shape, type.color, 6));
    head.appendChild(el("span", null, type.name));
    box.appendChild(head);
    var title = cols.text("title", i);
    if (title) { box.appendChild(el("div", "geo-popup-title", title)); }
    var table = el("table");
    var date = cols.date(i), prec = cols.text("date_precision", i);
    row(table, "Date", date ? date + (prec ? " (" + prec + ")" : "") : null);
    // the distance first: it is what this map is about
    var d = cols.num("border_distance_km", i);
    if (d !== null) {
      var lo = cols.num("border_distance_min_km", i), hi = cols.num("border_distance_max_km", i);
      var text = fmtKm(d) + " to the border";
      if (lo !== null && hi !== null) { text += " (range " + fmtKm(lo) + " – " + fmtKm(hi) + ")"; }
      row(table, "Distance", el("span", "geo-distance", text));
    }
    var side = cols.text("border_side", i);
    var sideName = side && data.sides && Object.prototype.hasOwnProperty.call(data.sides, side) ? data.sides[side] : null;
    row(table, "Side", sideName ? sideName + " (" + side + ")" : side);
    row(table, "Band", cols.text("distance_band", i));
    var fat = cols.num("fatalities", i), note = cols.text("fatalities_note", i);
    row(table, "Fatalities", fat === null ? (note ? "not known" : null) : fat);
    row(table, "Other counts", note);
    row(table, "Injured", cols.text("injured", i));
    row(table, "Sub-type", cols.text("sub_event_type", i));
    var actors = [cols.text("actor1", i), cols.text("actor2", i)].filter(Boolean).join(" vs ");
    row(table, "Actors", actors);
    var place = [cols.text("location", i), cols.text("admin2", i), cols.text("admin1", i),
      cols.text("country", i)].filter(Boolean).join(", ");
    row(table, "Location", place);
    row(table, "Also written", cols.text("location_variants", i));
    var gp = cols.num("geo_precision", i), pk = cols.num("precision_km", i);
    var precision = [];
    if (gp !== null) { precision.push("level " + gp); }
    if (pk !== null) { precision.push("±" + fmtKm(pk)); }
    var how = cols.text("geocoding", i);
    if (how) { precision.push(how); }
    row(table, "Precision", precision.join(", "));
    if (cols.text("admin1_mismatch", i) === "yes") {
      row(table, "Note", "the stated province differs from the one at the point");
    }
    box.appendChild(table);
    var sources = cols.sources(i);
    if (sources && sources.length) {
      box.appendChild(el("div", "geo-popup-sub", "Sources"));
      var list = el("ol", "geo-sources");
      sources.forEach(function (s) {
        var li = el("li");
        var label = s[0] || s[3] || "source";
        li.appendChild(link(label, s[3]));
        var meta = [s[1], s[2]].filter(Boolean).join(", ");
        if (meta) { li.appendChild(el("span", "geo-meta", " — " + meta)); }
        list.appendChild(li);
      });
      box.appendChild(list);
    }
    var summary = cols.text("summary", i);
    if (summary) { box.appendChild(el("p", "geo-summary", summary)); }
    var id = cols.text("id", i);
    if (id) { box.appendChild(el("div", "geo-meta", "id " + id)); }
    return box;
  }

  // ----------------------------------------------------------------- controls
  function control(position, build) {
    var C = L.Control.extend({
      options: { position: position },
      onAdd: function (map) {
        var div = build(map);
        L.DomEvent.disableClickPropagation(div);
        L.DomEvent.disableScrollPropagation(div);
        return div;
      }
    });
    return new C();
  }

  function infoBox(data, stats) {
    return control("topleft", function () {
      var div = el("div", "geo-box geo-info leaflet-control");
      div.appendChild(el("h1", null, data.title));
      div.appendChild(el("div", "geo-stats", stats));
      var details = el("details");
      details.appendChild(el("summary", null, "Data sources and licences"));
      var ul = el("ul");
      data.sources.forEach(function (s) {
        var li = el("li");
        li.appendChild(el("span", null, s.what + ": "));
        li.appendChild(link(s.source, s.url));
        li.appendChild(el("span", null, " (" + s.licence + ")"));
        ul.appendChild(li);
      });
      details.appendChild(ul);
      details.appendChild(el("p", "geo-meta",
        "Distances are geodesic (WGS84) to the " + data.border_name + " border line. " +
        "The on-screen ruler measures great-circle distance on a sphere (haversine)."));
      div.appendChild(details);
      return div;
    });
  }

  function legend(data, mode) {
    return control("bottomright", function () {
      var div = el("div", "geo-box geo-legend leaflet-control");
      if (mode !== "grid" && data.types.length) {
        div.appendChild(el("h2", null, "Incident type"));
        data.types.forEach(function (t) {
          var item = el("div", "geo-legend-item");
          item.appendChild(swatch(t.shape, t.color, 6));
          item.appendChild(el("span", null, t.name));
          div.appendChild(item);
        });
        div.appendChild(el("h2", null, "Fatalities"));
        var sizes = el("div", "geo-legend-sizes");
        [[null, "not known"], [0, "0"], [5, "5"], [20, "20"]].forEach(function (s) {
          var item = el("span", "geo-legend-size");
          item.appendChild(swatch("circle", "#bbbbbb", markerRadius(s[0])));
          item.appendChild(el("span", null, s[1]));
          sizes.appendChild(item);
        });
        div.appendChild(sizes);
        var ring = el("div", "geo-legend-item");
        var dash = el("span", "geo-legend-ring");
        ring.appendChild(dash);
        ring.appendChild(el("span", null, "area of an imprecise location"));
        div.appendChild(ring);
      }
      if (mode === "grid") {
        div.appendChild(el("h2", null, "Incidents per cell"));
        GRID_COLORS.forEach(function (c, k) {
          var item = el("div", "geo-legend-item");
          var box = el("span", "geo-legend-box");
          box.style.background = c;
          item.appendChild(box);
          item.appendChild(el("span", null, k === 0 ? "fewest" : k === GRID_COLORS.length - 1 ? "most" : ""));
          div.appendChild(item);
        });
      }
      if (data.provinceClasses && data.provinceClasses.length > 1) {
        div.appendChild(el("h2", null, "Incidents per province"));
        data.provinceClasses.forEach(function (c) {
          var item = el("div", "geo-legend-item");
          var box = el("span", "geo-legend-box");
          box.style.background = c.color;
          item.appendChild(box);
          var label = c.to === null ? c.from + "+" : (c.to === c.from ? String(c.from) : c.from + "–" + c.to);
          item.appendChild(el("span", null, label));
          div.appendChild(item);
        });
      }
      if (data.corridors && data.corridors.length) {
        div.appendChild(el("h2", null, "Distance to the border"));
        data.corridors.forEach(function (b) {
          var item = el("div", "geo-legend-item");
          var box = el("span", "geo-legend-box");
          box.style.background = b.color;
          box.style.opacity = "0.6";
          item.appendChild(box);
          item.appendChild(el("span", null, b.label));
          div.appendChild(item);
        });
      }
      return div;
    });
  }

  function measureControl(map, pane) {
    return control("topleft", function () {
      var div = el("div", "leaflet-bar geo-tool");
      var button = el("a", "geo-button");
      button.appendChild(icon("M3 17 L17 3 M6 14 l2 2 M9 11 l2 2 M12 8 l2 2"));
      button.setAttribute("href", "#");
      button.setAttribute("role", "button");
      button.setAttribute("title", "Measure a distance: click points on the map, click here to stop");
      var out = el("div", "geo-measure-out");
      div.appendChild(button);
      div.appendChild(out);
      var active = false, points = [], line = null, marks = L.layerGroup();
      function reset() {
        points = [];
        marks.clearLayers();
        line = null;
        out.textContent = "";
      }
      function onClick(e) {
        points.push(e.latlng);
        marks.addLayer(L.circleMarker(e.latlng, { radius: 3, color: "#000", pane: pane }));
        if (line) { line.setLatLngs(points); } else {
          line = L.polyline(points, { color: "#000", weight: 2, dashArray: "4 4", pane: pane });
          marks.addLayer(line);
        }
        var total = 0;
        for (var k = 1; k < points.length; k++) { total += haversineKm(points[k - 1], points[k]); }
        out.textContent = points.length > 1 ? fmtKm(total) + " (great circle)" : "click the next point";
      }
      L.DomEvent.on(button, "click", function (e) {
        L.DomEvent.preventDefault(e);
        active = !active;
        div.classList.toggle("geo-active", active);
        if (active) {
          reset();
          out.textContent = "click the first point";
          marks.addTo(map);
          map.on("click", onClick);
          map.getContainer().style.cursor = "crosshair";
        } else {
          map.off("click", onClick);
          map.removeLayer(marks);
          reset();
          map.getContainer().style.cursor = "";
        }
      });
      return div;
    });
  }

  function fullscreenControl(map) {
    return control("topleft", function () {
      var div = el("div", "leaflet-bar geo-tool");
      var button = el("a", "geo-button");
      button.appendChild(icon("M3 8 V3 H8 M12 3 H17 V8 M17 12 V17 H12 M8 17 H3 V12"));
      button.setAttribute("href", "#");
      button.setAttribute("role", "button");
      button.setAttribute("title", "Full screen");
      div.appendChild(button);
      L.DomEvent.on(button, "click", function (e) {
        L.DomEvent.preventDefault(e);
        var doc = document, target = map.getContainer();
        if (doc.fullscreenElement) {
          doc.exitFullscreen();
        } else if (target.requestFullscreen) {
          target.requestFullscreen();
        }
      });
      document.addEventListener("fullscreenchange", function () { map.invalidateSize(); });
      return div;
    });
  }

  function dateControl(range, onChange, initial) {
    return control("bottomleft", function () {
      var div = el("div", "geo-box geo-dates leaflet-control");
      div.appendChild(el("h2", null, "Dates"));
      var from = el("input"), to = el("input"), reset = el("button", null, "All dates");
      [from, to].forEach(function (input) {
        input.setAttribute("type", "date");
        input.setAttribute("min", range[0]);
        input.setAttribute("max", range[1]);
      });
      from.className = "geo-date-from";
      to.className = "geo-date-to";
      from.value = range[0];
      to.value = range[1];
      reset.setAttribute("type", "button");
      var status = el("div", "geo-meta geo-date-status");
      function fire() { status.textContent = onChange(from.value || null, to.value || null); }
      from.addEventListener("change", fire);
      to.addEventListener("change", fire);
      from.addEventListener("input", fire);
      to.addEventListener("input", fire);
      reset.addEventListener("click", function () {
        from.value = range[0];
        to.value = range[1];
        fire();
      });
      var l1 = el("label", null, "from "), l2 = el("label", null, "to ");
      l1.appendChild(from);
      l2.appendChild(to);
      div.appendChild(l1);
      div.appendChild(l2);
      div.appendChild(reset);
      div.appendChild(status);
      status.textContent = initial; // already filtered to the full range: no second pass
      return div;
    });
  }

  var LABEL_CONNECTORS_UP_TO = 50;
  var GRID_COLORS = ["#fee391", "#fec44f", "#fe9929", "#ec7014", "#cc4c02", "#8c2d04"];

  // --------------------------------------------------------------------- build
  function build(map, data) {
    var api = { map: map, overlays: {}, data: data };
    var panes = [["geo-countries", 350], ["geo-provinces", 360], ["geo-corridors", 370],
      ["geo-border", 380], ["geo-labels", 390], ["geo-connectors", 420], ["geo-precision", 430], ["geo-incidents", 450],
      ["geo-measure", 640]];
    panes.forEach(function (p) { map.createPane(p[0]).style.zIndex = p[1]; });
    var svg = {};
    panes.forEach(function (p) { svg[p[0]] = L.svg({ pane: p[0] }); });
    var bases = {}, overlays = [], mode = data.mode;
    var sharedPopup = L.popup({ maxWidth: 340, autoPanPaddingTopLeft: [50, 190], autoPanPaddingBottomRight: [20, 20] });
    map.getContainer().classList.add("geo-map");

    var plain = L.layerGroup().addTo(map);
    bases["Plain background"] = plain;
    if (data.tiles) {
      var t = data.tiles;
      bases[t.name + " tiles (online)"] = L.tileLayer(t.url.replace("{r}", ""), {
        subdomains: t.subdomains, maxZoom: t.maxZoom, attribution: escapeHtml(t.attribution)
      });
    }

    function addOverlay(name, layer, on) {
      overlays.push([name, layer]);
      api.overlays[name] = layer;
      if (on) { layer.addTo(map); }
    }

    // countries, with their names
    if (data.countries) {
      var countries = L.geoJSON(data.countries, {
        renderer: svg["geo-countries"], pane: "geo-countries", interactive: false,
        style: { color: "#8a8a8a", weight: 0.8, fillColor: "#f4f1ea", fillOpacity: 1 }
      });
      var labels = L.layerGroup();
      data.countries.features.forEach(function (f) {
        if (!f.geometry || !f.properties.name) { return; }
        var center = f.properties.label || L.geoJSON(f).getBounds().getCenter();
        var tip = L.tooltip({ permanent: true, direction: "center", className: "geo-country-label",
          interactive: false, pane: "geo-labels" });
        tip.setLatLng(center).setContent(el("span", null, f.properties.name));
        labels.addLayer(tip);
      });
      addOverlay("Countries", L.featureGroup([countries, labels]), true);
    }

    // provinces shaded by incident count
    if (data.provinces) {
      var provinces = L.geoJSON(data.provinces, {
        renderer: svg["geo-provinces"], pane: "geo-provinces",
        style: function (f) {
          var p = f.properties;
          return p.focus ?
            { color: "#5a3d2b", weight: 2, fillColor: p.fill || "#fff5eb", fillOpacity: 0.45 } :
            { color: "#a0a0a0", weight: 0.7, dashArray: "3 3", fillColor: "#e6e3dc", fillOpacity: 0.6 };
        },
        onEachFeature: function (f, layer) {
          var p = f.properties;
          layer.bindTooltip(function () {
            var box = el("div", "geo-tip");
            box.appendChild(el("strong", null, p.name || "province"));
            if (p.local) { box.appendChild(el("div", "geo-meta", p.local)); }
            if (p.country) { box.appendChild(el("div", "geo-meta", p.country)); }
            box.appendChild(el("div", null, p.count + (p.count === 1 ? " incident" : " incidents") +
              ", " + p.fatalities + (p.fatalities === 1 ? " fatality" : " fatalities")));
            return box;
          }, { sticky: true });
        }
      });
      var provinceLabels = L.layerGroup();
      data.provinces.features.forEach(function (f) {
        if (!f.properties.label || !f.properties.name) { return; }
        provinceLabels.addLayer(L.tooltip({ permanent: true, direction: "center", className: "geo-province-label",
          interactive: false, pane: "geo-labels" }).setLatLng(f.properties.label).setContent(el("span", null, f.properties.name)));
      });
      addOverlay("Provinces (shaded by incidents)", L.featureGroup([provinces, provinceLabels]), true);
    }

    // distance bands along the border
    if (data.corridors && data.corridors.length) {
      var bands = L.featureGroup();
      data.corridors.slice().reverse().forEach(function (b) {
        if (!b.geometry) { return; }
        var layer = L.geoJSON(b.geometry, {
          renderer: svg["geo-corridors"], pane: "geo-corridors",
          style: { color: b.color, weight: 0.8, opacity: 0.7, fillColor: b.color, fillOpacity: 0.13 }
        });
        layer.bindTooltip(el("span", null, b.label + " from the border"), { sticky: true });
        bands.addLayer(layer);
      });
      addOverlay("Distance bands along the border", bands, true);
    }

    // the border line, labelled
    if (data.border && data.border.geometry) {
      var borderLine = L.geoJSON(data.border.geometry, {
        renderer: svg["geo-border"], pane: "geo-border", interactive: true,
        style: { color: "#c00000", weight: 2.5, opacity: 0.95 }
      });
      var borderLabel = "Iran–Pakistan border (" + data.border_name + ")";
      borderLine.bindTooltip(el("span", null, borderLabel), { sticky: true });
      var group = L.featureGroup([borderLine]);
      if (data.border.label) {
        group.addLayer(L.tooltip({ permanent: true, direction: "right", offset: [8, 0], className: "geo-border-label",
          interactive: false, pane: "geo-labels" }).setLatLng(data.border.label)
          .setContent(el("span", null, "Iran–Pakistan border")));
      }
      addOverlay("Iran–Pakistan border", group, true);
    }

    // incidents
    var range = data.dateRange ? data.dateRange.slice() : null;
    var count = function () { return 0; };
    var setRange = function () { return ""; };
    var heatPoints = function () { return []; };
    var total = 0;
    if (mode === "grid") {
      var g = data.grid;
      total = g.n;
      var gridLayer = L.featureGroup();
      var gridRenderer = L.canvas({ pane: "geo-incidents" });
      var shown = 0;
      var draw = function (lo, hi) {
        var cells = {}, keys = [];
        shown = 0;
        for (var k = 0; k < g.count.length; k++) {
          // a period is a month ("2024-01") or a year ("2024"): compare at its length
          var period = g.periods[g.p[k]];
          if (period && ((lo && period < lo.slice(0, period.length)) ||
              (hi && period > hi.slice(0, period.length)))) { continue; }
          var key = g.ix[k] + "," + g.iy[k];
          if (!cells[key]) { cells[key] = [g.ix[k], g.iy[k], 0, 0]; keys.push(key); }
          cells[key][2] += g.count[k];
          cells[key][3] += g.fat[k];
          shown += g.count[k];
        }
        gridLayer.clearLayers();
        // color by count on a log scale between the emptiest and the fullest cell
        var max = 1, min = Infinity;
        keys.forEach(function (key) { max = Math.max(max, cells[key][2]); min = Math.min(min, cells[key][2]); });
        var logMin = Math.log(min), logSpan = Math.log(max) - logMin || 1;
        keys.forEach(function (key) {
          var c = cells[key], s = g.cell;
          var level = Math.min(GRID_COLORS.length - 1, Math.floor((Math.log(c[2]) - logMin) / logSpan * GRID_COLORS.length));
          var rect = L.rectangle([[c[1] * s, c[0] * s], [(c[1] + 1) * s, (c[0] + 1) * s]], {
            renderer: gridRenderer, weight: 0, fillColor: GRID_COLORS[level], fillOpacity: 0.7
          });
          rect.geoCell = c;
          gridLayer.addLayer(rect);
        });
        api.cells = keys.length;
        return shown;
      };
      gridLayer.on("click", function (e) {
        var c = e.layer.geoCell, s = g.cell;
        var box = el("div", "geo-popup");
        box.appendChild(el("strong", null, c[2] + (c[2] === 1 ? " incident" : " incidents")));
        box.appendChild(el("div", null, c[3] + " fatalities"));
        box.appendChild(el("div", "geo-meta", "cell " + (c[1] * s).toFixed(2) + "–" + ((c[1] + 1) * s).toFixed(2) +
          "° N, " + (c[0] * s).toFixed(2) + "–" + ((c[0] + 1) * s).toFixed(2) + "° E"));
        sharedPopup.setLatLng(e.latlng).setContent(box).openOn(map);
      });
      draw(null, null);
      addOverlay("Incidents (grid of counts, " + total + " in all)", gridLayer, true);
      count = function () { return shown; };
      setRange = function (lo, hi) { draw(lo, hi); return shown + " of " + total + " incidents shown"; };
      heatPoints = function () {
        var pts = [];
        gridLayer.eachLayer(function (r) {
          var c = r.geoCell;
          pts.push([(c[1] + 0.5) * g.cell, (c[0] + 0.5) * g.cell, c[2]]);
        });
        return pts;
      };
    } else if (data.incidents) {
      var inc = data.incidents, cols = new Columns(inc), n = inc.n;
      total = n;
      var canvas = mode === "canvas";
      var renderer = canvas ? L.canvas({ pane: "geo-incidents", tolerance: 3 }) : svg["geo-incidents"];
      // circles and lines are many and simple: a canvas draws them faster than SVG at any size
      var precisionRenderer = L.canvas({ pane: "geo-precision" });
      var connectorRenderer = L.canvas({ pane: "geo-connectors" });
      var visible = new Uint8Array(n);
      var groups = data.types.map(function () { return L.featureGroup(); });
      var markers = new Array(n), circles = new Array(n);
      var precisionGroup = canvas ? L.featureGroup() : null;
      for (var i = 0; i < n; i++) {
        var type = data.types[inc.type[i]];
        var latlng = [inc.lat[i], inc.lon[i]];
        var m = new ShapeMarker(latlng, {
          renderer: renderer, pane: "geo-incidents", shape: type.shape, radius: markerRadius(cols.num("fatalities", i)),
          color: "#222", weight: 1, fillColor: type.color, fillOpacity: 0.85,
          className: canvas ? undefined : "geo-incident"
        });
        m.geoIndex = i;
        markers[i] = m;
        var gp = cols.num("geo_precision", i), pk = cols.num("precision_km", i);
        if (pk !== null && pk > 0 && ((gp !== null && gp > 1) || pk > 1)) {
          circles[i] = L.circle(latlng, {
            renderer: precisionRenderer, pane: "geo-precision", radius: pk * 1000, interactive: false,
            color: type.color, weight: 1, dashArray: "4 3", fillColor: type.color, fillOpacity: 0.08
          });
        }
      }
      var onClick = function (e) {
        var idx = e.layer.geoIndex;
        if (idx === undefined) { return; }
        // one popup object for all incidents: 100,000 markers need no 100,000 popups
        sharedPopup.setLatLng(e.layer.getLatLng()).setContent(incidentPopup(data, cols, idx)).openOn(map);
      };
      groups.forEach(function (grp) { grp.on("click", onClick); });

      var connectors = null, connectorLayer = L.featureGroup();
      var bx = inc.num.nearest_border_lon, by = inc.num.nearest_border_lat;
      var fillConnectors = function () {
        connectorLayer.clearLayers();
        if (!bx || !by) { return; }
        for (var k = 0; k < n; k++) {
          if (!visible[k] || bx[k] === null || by[k] === null) { continue; }
          if (!connectors) { connectors = new Array(n); }
          if (!connectors[k]) {
            var d = cols.num("border_distance_km", k);
            connectors[k] = L.polyline([[inc.lat[k], inc.lon[k]], [by[k], bx[k]]], {
              renderer: connectorRenderer, pane: "geo-connectors", color: "#333", weight: 1.2,
              opacity: 0.7, dashArray: "5 4"
            });
            connectors[k].geoLabel = d === null ? "distance not known" : fmtKm(d) + " to the border";
            if (n <= LABEL_CONNECTORS_UP_TO && d !== null) {
              // few incidents: write each distance beside its line, at the border end
              connectors[k].geoTip = L.tooltip({ permanent: true, direction: "right", offset: [4, 0],
                className: "geo-connector-label", interactive: false, pane: "geo-labels" })
                .setLatLng([by[k], bx[k]]).setContent(el("span", null, fmtKm(d)));
            }
          }
          connectorLayer.addLayer(connectors[k]);
          if (connectors[k].geoTip) { connectorLayer.addLayer(connectors[k].geoTip); }
        }
      };
      connectorLayer.on("mouseover", function (e) {
        map.openTooltip(el("span", null, e.layer.geoLabel), e.latlng, { className: "geo-tip" });
      });
      connectorLayer.on("mouseout", function () { map.eachLayer(function (l) { if (l instanceof L.Tooltip && !l.options.permanent) { map.closeTooltip(l); } }); });
      var connectorsReady = false;
      connectorLayer.on("add", function () { if (!connectorsReady) { connectorsReady = true; fillConnectors(); } });

      var fill = function (lo, hi) {
        var shownCount = 0;
        groups.forEach(function (grp) { grp.clearLayers(); });
        if (precisionGroup) { precisionGroup.clearLayers(); }
        for (var k = 0; k < n; k++) {
          var date = cols.date(k);
          // a partial date ("2024-01") shows while its month or year overlaps the range
          var on = !date || ((!lo || date >= lo.slice(0, date.length)) && (!hi || date <= hi.slice(0, date.length)));
          visible[k] = on ? 1 : 0;
          if (!on) { continue; }
          shownCount++;
          var grp = groups[inc.type[k]];
          grp.addLayer(markers[k]);
          if (circles[k]) { (precisionGroup || grp).addLayer(circles[k]); }
        }
        if (connectorsReady) { fillConnectors(); }
        return shownCount;
      };
      var shownNow = fill(range && range[0], range && range[1]);
      data.types.forEach(function (t, k) {
        var label = "Incidents: " + t.name;
        addOverlay(label, groups[k], true);
      });
      if (precisionGroup) { addOverlay("Location precision circles", precisionGroup, false); }
      addOverlay("Lines to the nearest border point", connectorLayer, !canvas);
      count = function () { return shownNow; };
      setRange = function (lo, hi) {
        shownNow = fill(lo, hi);
        return shownNow + " of " + total + " incidents shown";
      };
      heatPoints = function () {
        var pts = [];
        for (var k = 0; k < n; k++) { if (visible[k]) { pts.push([inc.lat[k], inc.lon[k], 1]); } }
        return pts;
      };
      api.markers = markers;
      api.visible = visible;
    }

    // heat map, off by default and built when switched on
    if (total > 0 && L.heatLayer) {
      var heat = L.heatLayer([], { radius: 18, blur: 22, minOpacity: 0.25, maxZoom: 9 });
      var heatOn = false;
      heat.on("add", function () { heatOn = true; heat.setLatLngs(heatPoints()); });
      heat.on("remove", function () { heatOn = false; });
      addOverlay("Heat map", heat, false);
      var baseSetRange = setRange;
      setRange = function (lo, hi) {
        var msg = baseSetRange(lo, hi);
        if (heatOn) { heat.setLatLngs(heatPoints()); }
        return msg;
      };
    }

    // the layer control: Leaflet writes labels as HTML, so they are escaped here
    var overlayMap = {};
    overlays.forEach(function (o) { overlayMap[escapeHtml(o[0])] = o[1]; });
    var baseMap = {};
    Object.keys(bases).forEach(function (k) { baseMap[escapeHtml(k)] = bases[k]; });
    L.control.layers(baseMap, overlayMap, { collapsed: false, position: "topright" }).addTo(map);

    var stats = total + (total === 1 ? " incident" : " incidents");
    if (range) { stats += ", " + range[0] + " to " + range[1]; }
    if (mode === "grid") { stats += "; shown as counts per " + data.grid.cell + "° cell"; }
    infoBox(data, stats).addTo(map);
    // bottom-left controls stack upwards: the scale bar first keeps it at the bottom
    L.control.scale({ imperial: false, maxWidth: 160 }).addTo(map);
    if (range) {
      dateControl(range, function (lo, hi) { return setRange(lo, hi); },
        count() + " of " + total + " incidents shown").addTo(map);
    }
    measureControl(map, "geo-measure").addTo(map);
    fullscreenControl(map).addTo(map);
    legend(data, mode).addTo(map);
    map.attributionControl.addAttribution(data.credit);

    // leave room for the layer list and the legend on the right
    if (data.view) { map.fitBounds(data.view, { paddingTopLeft: [20, 10], paddingBottomRight: [180, 10] }); }
    api.count = count;
    api.setDateRange = setRange;
    window.geoWebmaps = window.geoWebmaps || [];
    window.geoWebmaps.push(api);
    // tell a waiting browser (tests, benchmarks) that the first frame is drawn
    requestAnimationFrame(function () {
      requestAnimationFrame(function () { document.documentElement.setAttribute("data-geo-ready", "1"); });
    });
    return api;
  }

  window.geoWebmap = { build: build, escapeHtml: escapeHtml, safeUrl: safeUrl, haversineKm: haversineKm };
})();
