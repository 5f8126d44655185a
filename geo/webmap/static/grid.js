/* geo interactive map: the fixed grid of counts per cell and month, for inputs too large for points.
 *
 * Python aggregates (geo.webmap.payload.grid_payload); the page sums the cells of the
 * months in the time window. Filters other than time need the points, so only time applies.
 */
(function (G) {
  "use strict";
  var lib = G.lib, el = lib.el;

  function GridLayer(ctx) {
    var g = ctx.data.grid, self = this;
    this.ctx = ctx;
    this.g = g;
    this.total = g.n;
    this.shown = 0;
    this.layer = L.featureGroup();
    this.renderer = L.canvas({ pane: "geo-incidents" });
    this.layer.on("click", function (e) { self.popup(e.layer.geoCell, e.latlng); });
  }

  // the cells of the periods overlapping [lo, hi] (ISO texts or null)
  GridLayer.prototype.cells = function (lo, hi) {
    var g = this.g, cells = {}, keys = [], shown = 0;
    for (var k = 0; k < g.count.length; k++) {
      var period = g.periods[g.p[k]];
      if (period && ((lo && period < lo.slice(0, period.length)) || (hi && period > hi.slice(0, period.length)))) { continue; }
      var key = g.ix[k] + "," + g.iy[k];
      if (!cells[key]) { cells[key] = [g.ix[k], g.iy[k], 0, 0]; keys.push(key); }
      cells[key][2] += g.count[k];
      cells[key][3] += g.fat[k];
      shown += g.count[k];
    }
    this.shown = shown;
    return keys.map(function (key) { return cells[key]; });
  };

  GridLayer.prototype.draw = function (lo, hi) {
    var cells = this.cells(lo, hi), s = this.g.cell, colors = this.ctx.data.countScale, self = this;
    this.layer.clearLayers();
    var max = 1;
    cells.forEach(function (c) { max = Math.max(max, c[2]); });
    var breaks = G.hexbin.countBreaks(max, colors.length);
    cells.forEach(function (c) {
      var k = breaks.length - 1;
      while (k > 0 && c[2] < breaks[k]) { k--; }
      var level = Math.round(k * (colors.length - 1) / Math.max(1, breaks.length - 1));
      var rect = L.rectangle([[c[1] * s, c[0] * s], [(c[1] + 1) * s, (c[0] + 1) * s]], {
        renderer: self.renderer, weight: 0, fillColor: colors[level], fillOpacity: G.main.HEX_OPACITY });
      rect.geoCell = c;
      self.layer.addLayer(rect);
    });
    this.scale = breaks.map(function (b, k) {
      return { from: b, to: k + 1 < breaks.length ? breaks[k + 1] - 1 : max,
        color: colors[Math.round(k * (colors.length - 1) / Math.max(1, breaks.length - 1))] };
    });
    this.drawn = cells.length;
    return this.shown;
  };

  GridLayer.prototype.popup = function (c, latlng) {
    var s = this.g.cell, box = el("div", "geo-popup");
    box.appendChild(el("strong", null, lib.plural(c[2], "incident", "incidents")));
    box.appendChild(el("div", null, lib.plural(c[3], "fatality", "fatalities")));
    box.appendChild(el("div", "geo-meta", "cell " + (c[1] * s).toFixed(2) + "–" + ((c[1] + 1) * s).toFixed(2) +
      "° N, " + (c[0] * s).toFixed(2) + "–" + ((c[0] + 1) * s).toFixed(2) + "° E"));
    this.ctx.popup.setLatLng(latlng).setContent(box).openOn(this.ctx.map);
  };

  GridLayer.prototype.heatPoints = function () {
    var pts = [], s = this.g.cell;
    this.layer.eachLayer(function (r) { var c = r.geoCell; pts.push([(c[1] + 0.5) * s, (c[0] + 0.5) * s, c[2]]); });
    return pts;
  };

  G.GridLayer = GridLayer;
})(window.geoWebmap);
