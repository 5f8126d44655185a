/* geo interactive map, helpers shared by every other part.
 *
 * Safety: data reach the page only through textContent, DOM attributes set by
 * setAttribute on elements we create, or escapeHtml() where Leaflet insists on HTML
 * (the layer control's labels). Links are kept only for http and https URLs.
 * Every part adds its functions to window.geoWebmap (G below); webmap.js builds the map.
 */
(function (G) {
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

  function swatch(shape, color, radius, stroke) {
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
    node.setAttribute("stroke", stroke || "currentColor");
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
    node.setAttribute("stroke", "currentColor");
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


  // a control at "position" whose element comes from build(map); clicks stay inside it
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

  // a collapsible section: <details open><summary>title</summary>...</details>
  function section(title, open, className) {
    var details = el("details", className || null);
    if (open) { details.setAttribute("open", ""); }
    details.appendChild(el("summary", null, title));
    return details;
  }

  function checkbox(value, label, checked, className) {
    var wrap = el("label", className || "geo-check");
    var input = el("input");
    input.setAttribute("type", "checkbox");
    input.value = String(value);
    input.checked = !!checked;
    wrap.appendChild(input);
    wrap.appendChild(el("span", null, label));
    return { label: wrap, input: input };
  }

  // ISO dates as day numbers (days since 1970-01-01, UTC) and back
  var DAY_MS = 86400000;
  function isoToDay(text) {
    if (typeof text !== "string") { return null; }
    var m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(text.trim());
    if (!m) { return null; }
    var y = +m[1], mo = m[2] ? +m[2] : 1, d = m[3] ? +m[3] : 1;
    if (mo < 1 || mo > 12 || d < 1 || d > 31) { return null; }
    var t = Date.UTC(y, mo - 1, d);
    if (new Date(t).getUTCDate() !== d) { return null; }
    return Math.round(t / DAY_MS);
  }
  // the last day a partial date ("2024", "2024-01") covers
  function isoEndDay(text) {
    var start = isoToDay(text);
    if (start === null) { return null; }
    var parts = text.trim().split("-");
    if (parts.length === 3) { return start; }
    var y = +parts[0];
    if (parts.length === 1) { return Math.round(Date.UTC(y + 1, 0, 1) / DAY_MS) - 1; }
    return Math.round(Date.UTC(y, +parts[1], 1) / DAY_MS) - 1;
  }
  function dayToIso(day) {
    return new Date(day * DAY_MS).toISOString().slice(0, 10);
  }
  function addMonths(day, months) {
    var d = new Date(day * DAY_MS);
    return Math.round(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, d.getUTCDate()) / DAY_MS);
  }

  function plural(n, one, many) {
    return n.toLocaleString("en-US") + " " + (n === 1 ? one : many);
  }

  // case- and accent-insensitive text for search
  function fold(text) {
    return String(text).normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[’'`ʼʻ]/g, "")
      .toLowerCase().trim();
  }

  G.lib = {
    el: el, escapeHtml: escapeHtml, safeUrl: safeUrl, link: link, haversineKm: haversineKm,
    fmtKm: fmtKm, shapePoints: shapePoints, ShapeMarker: ShapeMarker, swatch: swatch, icon: icon,
    markerRadius: markerRadius, Columns: Columns, decode: decode, control: control,
    section: section, checkbox: checkbox, isoToDay: isoToDay, isoEndDay: isoEndDay,
    dayToIso: dayToIso, addMonths: addMonths, plural: plural, fold: fold, DAY_MS: DAY_MS
  };
  G.escapeHtml = escapeHtml;
  G.safeUrl = safeUrl;
  G.haversineKm = haversineKm;
})(window.geoWebmap = window.geoWebmap || {});
