/* geo interactive map: build() puts the layers, panels and controls together from one JSON blob.
 *
 * The parts load in this order: base.js (helpers), popup.js, layers.js (outlines, tools),
 * store.js (typed columns and the filter), incidents.js and hexbin.js (markers or counts
 * per hexagon), grid.js (inputs too large for points), time.js, panel.js, tools.js
 * (search, export, URL hash), this file (the map's context, base layers, connectors, heat
 * map, legend), build.js (info box, side panel, layer control, the filter wiring) and
 * start.js (the entry point, geoWebmap.start). Each builder adds one layer or control.
 */
(function (G) {
  "use strict";
  var lib = G.lib, el = lib.el;
  var PANES = [["geo-countries", 350], ["geo-provinces", 360], ["geo-corridors", 370], ["geo-hexes", 375], ["geo-border", 380],
    ["geo-labels", 390], ["geo-connectors", 420], ["geo-precision", 430], ["geo-incidents", 450], ["geo-measure", 640]];
  var LABEL_CONNECTORS_UP_TO = 50;
  var PHONE_PX = 600;
  var MAX_ZOOM = 16;
  var HEX_OPACITY = 0.75; // hexagons and grid cells, drawn and in the legend

  function context(map, data, api) {
    var ctx = { map: map, data: data, api: api, svg: {}, overlays: [], bases: {} };
    // without tiles folium sets no zoom limits; the marker clusters need a deepest zoom
    if (map.options.maxZoom === undefined) { map.setMaxZoom(MAX_ZOOM); }
    if (map.options.minZoom === undefined) { map.setMinZoom(3); }
    PANES.forEach(function (p) {
      map.createPane(p[0]).style.zIndex = p[1];
      ctx.svg[p[0]] = L.svg({ pane: p[0] });
    });
    ctx.popup = L.popup({ maxWidth: 340, autoPanPaddingTopLeft: [50, 60], autoPanPaddingBottomRight: [20, 120] });
    ctx.tooltip = L.tooltip({ className: "geo-tip", direction: "top", offset: [0, -8] });
    ctx.addOverlay = function (name, layer, on) {
      ctx.overlays.push([name, layer]);
      api.overlays[name] = layer;
      if (on) { layer.addTo(map); }
    };
    ctx.phone = map.getContainer().clientWidth < PHONE_PX;
    map.getContainer().classList.add("geo-map");
    if (ctx.phone) { map.getContainer().classList.add("geo-phone"); }
    return ctx;
  }

  function baseLayers(ctx) {
    var plain = L.layerGroup(), tiles = G.layers.tilesLayer(ctx);
    ctx.bases["Plain background"] = plain;
    if (tiles) { ctx.bases[ctx.data.tiles.name + " tiles (online)"] = tiles; }
    (tiles || plain).addTo(ctx.map);
  }

  // lines from each incident in view to its nearest border point, drawn with the markers
  function connectorLayer(ctx, store, incidents) {
    var inc = ctx.data.incidents, bx = inc.num.nearest_border_lon, by = inc.num.nearest_border_lat;
    if (!bx || !by) { return null; }
    var layer = L.featureGroup(), renderer = L.canvas({ pane: "geo-connectors" }), lines = {};
    function fill() {
      layer.clearLayers();
      if (!ctx.map.hasLayer(layer) || incidents.mode !== "markers") { return; }
      incidents.visible().forEach(function (k) {
        if (bx[k] === null || by[k] === null) { return; }
        if (!lines[k]) {
          var d = store.cols.num("border_distance_km", k);
          lines[k] = [L.polyline([[store.lat[k], store.lon[k]], [by[k], bx[k]]], { renderer: renderer, pane: "geo-connectors",
            color: ctx.data.colors.connector, weight: 1.2, opacity: 0.7, dashArray: "5 4", interactive: false })];
          if (store.n <= LABEL_CONNECTORS_UP_TO && d !== null) {
            lines[k].push(G.layers.labelTip("geo-connector-label", [by[k], bx[k]], lib.fmtKm(d), "right", [4, 0]));
          }
        }
        lines[k].forEach(function (l) { layer.addLayer(l); });
      });
    }
    layer.on("add", fill);
    ctx.addOverlay("Lines to the nearest border point", layer, store.n <= ctx.data.markerLimit);
    return fill;
  }

  function heatLayer(ctx, points) {
    if (!L.heatLayer) { return function () {}; }
    var heat = L.heatLayer([], { radius: 18, blur: 22, minOpacity: 0.25 }), on = false;
    heat.on("add", function () { on = true; heat.setLatLngs(points()); });
    heat.on("remove", function () { on = false; });
    ctx.addOverlay("Heat map", heat, false);
    return function () { if (on) { heat.setLatLngs(points()); } };
  }

  function legendItem(box, swatchNode, text) {
    var item = el("div", "geo-legend-item");
    item.appendChild(swatchNode);
    item.appendChild(el("span", null, text));
    box.appendChild(item);
  }

  // a swatch filled as the layer is drawn: its color at the layer's fill opacity
  function colorBox(color, opacity) {
    var b = el("span", "geo-legend-box"), hex = /^#([0-9a-f]{6})$/i.exec(color);
    if (hex) {
      var v = parseInt(hex[1], 16);
      b.style.background = "rgba(" + (v >> 16) + "," + ((v >> 8) & 255) + "," + (v & 255) + "," + opacity + ")";
    } else {
      b.style.background = color;
    }
    return b;
  }

  function rangeLabel(c) { return c.to === c.from ? String(c.from) : c.from + "–" + c.to; }

  // the legend; its count scale is rewritten whenever the hexagons are redrawn
  function legend(ctx) {
    var data = ctx.data, scaleBox = el("div", "geo-legend-scale");
    var div = lib.section("Legend", !ctx.phone, "geo-legend");
    if (data.types.length && data.mode !== "grid") {
      div.appendChild(el("h2", null, "Incident type"));
      data.types.forEach(function (t) { legendItem(div, lib.swatch(t.shape, t.color, 6, data.colors.marker_line), t.name); });
    }
    div.appendChild(scaleBox);
    if (data.provinceClasses && data.provinceClasses.length > 1) {
      div.appendChild(el("h2", null, data.provinceTitle));
      data.provinceClasses.forEach(function (c) { legendItem(div, colorBox(c.color, data.provinceOpacity), c.label); });
    }
    if (data.corridors && data.corridors.length) {
      div.appendChild(el("h2", null, "Distance to the border"));
      data.corridors.forEach(function (b) {
        var swatch = colorBox(b.color, data.bandOpacity);
        swatch.style.borderColor = b.color;  // the band's outline, as drawn
        legendItem(div, swatch, b.label);
      });
    }
    return {
      element: div,
      setScale: function (title, scale) {
        while (scaleBox.firstChild) { scaleBox.removeChild(scaleBox.firstChild); }
        if (!scale) { return; }
        scaleBox.appendChild(el("h2", null, title));
        scale.forEach(function (c) { legendItem(scaleBox, colorBox(c.color, HEX_OPACITY), rangeLabel(c)); });
      }
    };
  }

  G.main = { context: context, baseLayers: baseLayers, connectorLayer: connectorLayer, heatLayer: heatLayer,
    legend: legend, PHONE_PX: PHONE_PX, HEX_OPACITY: HEX_OPACITY };
})(window.geoWebmap);
