/* geo interactive map: counts per hexagon of the screen, for views with too many incidents.
 *
 * Hexagons are laid in world pixels at the current zoom (anchored at the projection's
 * origin, so they stay put while panning); incidents are binned from their Web Mercator
 * coordinates, computed once. Classes are on a log scale between 1 and the fullest hexagon.
 */
(function (G) {
  "use strict";
  var lib = G.lib, el = lib.el, SQRT3 = Math.sqrt(3);

  // the hexagon (pointy top, circumradius r) holding world pixel (x, y): [column, row]
  function hexOf(x, y, r) {
    var dx = r * SQRT3, dy = r * 1.5;
    var fy = y / dy, j = Math.round(fy), fx = x / dx - (j & 1) / 2, i = Math.round(fx), ry = fy - j;
    if (Math.abs(ry) * 3 > 1) {
      var rx = fx - i, i2 = i + (fx < i ? -1 : 1) / 2, j2 = j + (fy < j ? -1 : 1);
      var rx2 = fx - i2, ry2 = fy - j2;
      if (rx * rx + ry * ry > rx2 * rx2 + ry2 * ry2) { i = i2 + ((j & 1) ? 1 : -1) / 2; j = j2; }
    }
    return [i, j];
  }

  function hexCenter(i, j, r) {
    return [(i + (j & 1) / 2) * r * SQRT3, j * r * 1.5];
  }

  // class breaks (lower bounds) for counts 1..max on a log scale, one per color
  function countBreaks(max, levels) {
    var breaks = [1];
    for (var k = 1; k < levels; k++) {
      var b = Math.round(Math.exp(Math.log(max) * k / levels));
      if (b > breaks[breaks.length - 1]) { breaks.push(b); }
    }
    return breaks;
  }

  function classOf(count, breaks) {
    var k = breaks.length - 1;
    while (k > 0 && count < breaks[k]) { k--; }
    return k;
  }

  G.Incidents.prototype.drawHexes = function (idx) {
    var map = this.ctx.map, s = this.store, z = map.getZoom(), scale = 256 * Math.pow(2, z);
    var r = G.HEX_RADIUS_PX, bins = new Map(), k;
    for (k = 0; k < idx.length; k++) {
      var i = idx[k], h = hexOf(s.mx[i] * scale, s.my[i] * scale, r), key = h[1] * 4194304 + h[0] * 2;
      var bin = bins.get(key);
      if (!bin) { bin = { i: h[0], j: h[1], n: 0, f: 0 }; bins.set(key, bin); }
      bin.n++;
      if (s.fat[i] > 0) { bin.f += s.fat[i]; }
    }
    var max = 1;
    bins.forEach(function (b) { if (b.n > max) { max = b.n; } });
    var colors = this.ctx.data.countScale, breaks = countBreaks(max, colors.length);
    this.hexes.clearLayers();
    var self = this;
    bins.forEach(function (b) {
      var c = hexCenter(b.i, b.j, r), ring = [];
      for (var v = 0; v < 6; v++) {
        var a = Math.PI / 3 * v;
        ring.push(map.unproject([c[0] + r * Math.sin(a), c[1] - r * Math.cos(a)], z));
      }
      var level = Math.min(colors.length - 1, Math.round(classOf(b.n, breaks) * (colors.length - 1) / Math.max(1, breaks.length - 1)));
      var poly = L.polygon(ring, { renderer: self.hexRenderer, pane: "geo-hexes", weight: 0.6,
        color: self.ctx.data.colors.marker_line, opacity: 0.35, fillColor: colors[level], fillOpacity: G.main.HEX_OPACITY });
      poly.geoBin = b;
      poly.geoCenter = map.unproject(c, z);
      self.hexes.addLayer(poly);
    });
    this.hexScale = breaks.map(function (b, k) {
      var level = Math.round(k * (colors.length - 1) / Math.max(1, breaks.length - 1));
      return { from: b, to: k + 1 < breaks.length ? breaks[k + 1] - 1 : max, color: colors[level] };
    });
    return bins.size;
  };

  G.Incidents.prototype.hexPopup = function (poly, latlng) {
    var b = poly.geoBin;
    if (!b) { return; }
    var box = el("div", "geo-popup");
    box.appendChild(el("strong", null, lib.plural(b.n, "incident", "incidents")));
    box.appendChild(el("div", null, lib.plural(Math.round(b.f), "fatality", "fatalities")));
    var zoom = el("button", "geo-link-button", "Zoom in to see them");
    zoom.setAttribute("type", "button");
    var map = this.ctx.map;
    zoom.addEventListener("click", function () { map.closePopup(); map.setView(poly.geoCenter, map.getZoom() + 2); });
    box.appendChild(zoom);
    this.ctx.popup.setLatLng(latlng).setContent(box).openOn(map);
  };

  G.hexbin = { hexOf: hexOf, hexCenter: hexCenter, countBreaks: countBreaks };
})(window.geoWebmap);
