/* geo interactive map, the incidents as hexagons of counts or as markers.
 *
 * At every view the layer counts the filtered incidents in view: up to data.markerLimit
 * they are markers (Leaflet.markercluster groups those that would overlap and spiderfies
 * those at one point), above it they are counts per hexagon of the screen, colored on the
 * sequential scale of the payload. Marks drawn at once: at most markerLimit markers, or one
 * polygon per non-empty hexagon (a few hundred on a laptop screen).
 */
(function (G) {
  "use strict";
  var lib = G.lib, el = lib.el;
  var HEX_RADIUS_PX = 22;

  // the markers' icon: the type's shape and color, sized by fatalities, built per marker
  var ShapeIcon = L.DivIcon.extend({
    createIcon: function (old) {
      var o = this.options, div = (old && old.tagName === "DIV") ? old : document.createElement("div");
      while (div.firstChild) { div.removeChild(div.firstChild); }
      div.appendChild(lib.swatch(o.shape, o.color, o.radius, o.stroke));
      this._setIconStyles(div, "icon");
      return div;
    }
  });

  // a cluster: its number of incidents in a disc of the count scale's color
  var ClusterIcon = L.DivIcon.extend({
    createIcon: function () {
      var div = document.createElement("div");
      div.appendChild(el("span", null, String(this.options.count)));
      div.style.background = this.options.color;
      this._setIconStyles(div, "icon");
      return div;
    }
  });

  function Incidents(ctx, store) {
    this.ctx = ctx;
    this.store = store;
    this.markers = new Array(store.n);
    this.layer = L.featureGroup();
    this.hexRenderer = L.canvas({ pane: "geo-hexes", padding: 0.1 });
    this.hexes = L.featureGroup();
    this.cluster = this.makeCluster();
    this.mode = null;
    this.drawn = 0;
    this.inView = 0;
    this.shared = null;
    this.layer.addLayer(this.hexes);
    this.layer.addLayer(this.cluster);
    var self = this;
    this.hexes.on("click", function (e) { self.hexPopup(e.layer, e.latlng); });
    this.layer.on("add", function () { self.redraw(); });
    ctx.map.on("moveend", function () { if (ctx.map.hasLayer(self.layer)) { self.redraw(); } });
  }

  Incidents.prototype.makeCluster = function () {
    var self = this, c = this.ctx.data.colors;
    var group = L.markerClusterGroup({
      maxClusterRadius: 24, showCoverageOnHover: false, spiderfyOnMaxZoom: true,
      zoomToBoundsOnClick: true, removeOutsideVisibleBounds: true, clusterPane: "geo-incidents",
      spiderLegPolylineOptions: { weight: 1.5, color: c.marker_line, opacity: 0.6 },
      iconCreateFunction: function (cluster) {
        var n = cluster.getChildCount(), size = n < 10 ? 30 : n < 100 ? 36 : 42, scale = self.ctx.data.countScale;
        return new ClusterIcon({ count: n, iconSize: [size, size], className: "geo-cluster",
          color: scale[Math.min(scale.length - 1, Math.floor(Math.log10(n + 1) * 2))] });
      }
    });
    group.on("click", function (e) { self.openPopup(e.layer); });
    group.on("mouseover", function (e) { self.hoverTip(e.layer, e.latlng); });
    group.on("clustermouseover", function (e) { self.clusterTip(e.layer); });
    group.on("mouseout clustermouseout", function () { self.ctx.map.closeTooltip(self.ctx.tooltip); });
    return group;
  };

  Incidents.prototype.marker = function (i) {
    var m = this.markers[i];
    if (m) { return m; }
    var s = this.store, data = this.ctx.data, type = data.types[s.type[i]];
    var r = lib.markerRadius(s.fat[i] === s.fat[i] ? s.fat[i] : null), size = Math.ceil(2 * r + 6);
    var label = G.popup.incidentLabel(data, s.cols, i);
    m = L.marker([s.lat[i], s.lon[i]], {
      icon: new ShapeIcon({ shape: type.shape, color: type.color, radius: r, stroke: data.colors.marker_line,
        iconSize: [size, size], className: "geo-incident" }),
      keyboard: true, title: "", alt: label, riseOnHover: true, pane: "geo-incidents"
    });
    m.geoIndex = i;
    var self = this;
    // Enter or Space on a focused marker opens its popup, as a click does
    m.on("add", function () {
      var node = m.getElement();
      if (!node || node.geoKeys) { return; }
      node.geoKeys = true;
      node.setAttribute("role", "button");
      node.setAttribute("aria-label", label);
      node.addEventListener("keydown", function (e) {
        if (e.key === "Enter" || e.key === " ") { e.preventDefault(); self.openPopup(m); }
      });
    });
    this.markers[i] = m;
    return m;
  };

  Incidents.prototype.sharedCount = function (i) {
    var s = this.store, k;
    if (!this.shared) {
      this.shared = {};
      for (k = 0; k < s.n; k++) {
        var key = s.lat[k] + "," + s.lon[k];
        this.shared[key] = (this.shared[key] || 0) + 1;
      }
    }
    return this.shared[s.lat[i] + "," + s.lon[i]];
  };

  Incidents.prototype.openPopup = function (m) {
    var i = m.geoIndex;
    if (i === undefined) { return; }
    this.ctx.popup.setLatLng(m.getLatLng())
      .setContent(G.popup.incidentPopup(this.ctx.data, this.store.cols, i, this.sharedCount(i)))
      .openOn(this.ctx.map);
  };

  Incidents.prototype.hoverTip = function (m, latlng) {
    if (m.geoIndex === undefined) { return; }
    this.ctx.tooltip.setLatLng(m.getLatLng() || latlng)
      .setContent(el("span", null, G.popup.incidentLabel(this.ctx.data, this.store.cols, m.geoIndex)));
    this.ctx.map.openTooltip(this.ctx.tooltip);
  };

  Incidents.prototype.clusterTip = function (cluster) {
    var n = cluster.getChildCount(), b = cluster.getBounds();
    var text = b.getNorthEast().equals(b.getSouthWest()) ?
      lib.plural(n, "incident", "incidents") + " at this one point: click to show each" :
      lib.plural(n, "incident", "incidents") + " close together: click to zoom in";
    this.ctx.tooltip.setLatLng(cluster.getLatLng()).setContent(el("span", null, text));
    this.ctx.map.openTooltip(this.ctx.tooltip);
  };

  // indices of filtered incidents inside the view (padded by a tenth)
  Incidents.prototype.visible = function () {
    var s = this.store, b = this.ctx.map.getBounds().pad(0.1), out = [];
    var south = b.getSouth(), north = b.getNorth(), west = b.getWest(), east = b.getEast();
    for (var k = 0; k < s.n; k++) {
      if (s.on[k] && s.lat[k] >= south && s.lat[k] <= north && s.lon[k] >= west && s.lon[k] <= east) { out.push(k); }
    }
    return out;
  };

  Incidents.prototype.redraw = function () {
    var idx = this.visible(), limit = this.ctx.data.markerLimit, map = this.ctx.map;
    this.inView = idx.length;
    var markers = idx.length <= limit || map.getZoom() >= map.getMaxZoom();
    if (markers) {
      this.hexes.clearLayers();
      this.cluster.clearLayers();
      var self = this;
      this.cluster.addLayers(idx.slice(0, Math.max(limit, 1)).map(function (k) { return self.marker(k); }));
      this.drawn = Math.min(idx.length, limit);
    } else {
      this.cluster.clearLayers();
      this.drawn = this.drawHexes(idx);
    }
    this.mode = markers ? "markers" : "hexagons";
    if (this.onRedraw) { this.onRedraw(this); }
  };

  G.Incidents = Incidents;
  G.ShapeIcon = ShapeIcon;
  G.HEX_RADIUS_PX = HEX_RADIUS_PX;
})(window.geoWebmap);
