/* geo interactive map, the incidents as typed columns, and the filter over them.
 *
 * The payload's columns become typed arrays once; a filter pass is one loop over them that
 * also counts what the summary panel, the time histogram and the provinces need, so an
 * interaction costs one pass whatever the number of incidents.
 */
(function (G) {
  "use strict";
  var lib = G.lib;

  // codes of a dictionary-encoded text column: {codes: Int32Array, values: [...]}, -1 missing
  function codesOf(col, n) {
    var codes = new Int32Array(n).fill(-1), values = [], k;
    if (!col) { return { codes: codes, values: values }; }
    if (col.s) {
      var seen = {};
      for (k = 0; k < n; k++) {
        var v = col.s[k];
        if (v === null || v === undefined) { continue; }
        if (!Object.prototype.hasOwnProperty.call(seen, v)) { seen[v] = values.length; values.push(v); }
        codes[k] = seen[v];
      }
      return { codes: codes, values: values };
    }
    if (col.c) { codes.set(col.c); } else { codes.fill(col.k); }
    return { codes: codes, values: col.v.slice() };
  }

  function floats(list, n) {
    var out = new Float64Array(n).fill(NaN);
    if (!list) { return out; }
    for (var k = 0; k < n; k++) { if (list[k] !== null) { out[k] = list[k]; } }
    return out;
  }

  function Store(data) {
    var inc = data.incidents, n = inc.n, k;
    this.data = data;
    this.n = n;
    this.cols = new lib.Columns(inc);
    this.lat = Float64Array.from(inc.lat);
    this.lon = Float64Array.from(inc.lon);
    this.type = Int32Array.from(inc.type);
    this.fat = floats(inc.num.fatalities, n);
    this.dist = floats(inc.num.border_distance_km, n);
    this.prov = data.incidentProvince ? Int32Array.from(data.incidentProvince) : new Int32Array(n).fill(-1);
    // dates: each distinct text parsed once; a partial date covers its month or year
    var dates = codesOf(inc.date, n);
    var d0 = dates.values.map(lib.isoToDay), d1 = dates.values.map(lib.isoEndDay);
    this.day0 = new Float64Array(n).fill(NaN);
    this.day1 = new Float64Array(n).fill(NaN);
    for (k = 0; k < n; k++) {
      var c = dates.codes[k];
      if (c >= 0 && d0[c] !== null) { this.day0[k] = d0[c]; this.day1[k] = d1[c]; }
    }
    this.undated = 0;
    for (k = 0; k < n; k++) { if (this.day0[k] !== this.day0[k]) { this.undated++; } }
    var side = codesOf(inc.text.border_side, n);
    this.sideValues = side.values;
    this.side = side.codes;
    var band = codesOf(inc.text.distance_band, n);
    // band codes follow data.bands (nearest first), not the order of first appearance
    var bandIndex = band.values.map(function (v) { return data.bands.indexOf(v); });
    this.band = band.codes.map(function (c) { return c < 0 ? -1 : bandIndex[c]; });
    this.actors = this.actorIndex(inc, n);
    this.on = new Uint8Array(n);
    this.mercator();
  }

  // actor1 and actor2 in one dictionary, so "actor X" matches either side of an event
  Store.prototype.actorIndex = function (inc, n) {
    var a1 = codesOf(inc.text.actor1, n), a2 = codesOf(inc.text.actor2, n);
    var names = a1.values.slice(), index = {}, k;
    names.forEach(function (v, i) { index[v] = i; });
    var remap = a2.values.map(function (v) {
      if (!Object.prototype.hasOwnProperty.call(index, v)) { index[v] = names.length; names.push(v); }
      return index[v];
    });
    var second = new Int32Array(n).fill(-1), counts = new Int32Array(names.length);
    for (k = 0; k < n; k++) {
      if (a2.codes[k] >= 0) { second[k] = remap[a2.codes[k]]; counts[second[k]]++; }
      if (a1.codes[k] >= 0 && a1.codes[k] !== second[k]) { counts[a1.codes[k]]++; }
    }
    var order = names.map(function (_, i) { return i; });
    order.sort(function (a, b) { return counts[b] - counts[a] || (names[a] < names[b] ? -1 : 1); });
    return { names: names, first: a1.codes, second: second, counts: counts, order: order };
  };

  // Web Mercator in [0, 1]; pixel = unit * 256 * 2^zoom, as Leaflet's EPSG:3857 projects
  Store.prototype.mercator = function () {
    var n = this.n, rad = Math.PI / 180;
    this.mx = new Float64Array(n);
    this.my = new Float64Array(n);
    for (var k = 0; k < n; k++) {
      var s = Math.sin(Math.max(-85.0511, Math.min(85.0511, this.lat[k])) * rad);
      this.mx[k] = (this.lon[k] + 180) / 360;
      this.my[k] = 0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI);
    }
  };

  Store.prototype.dayRange = function () {
    var lo = Infinity, hi = -Infinity;
    for (var k = 0; k < this.n; k++) {
      if (this.day0[k] < lo) { lo = this.day0[k]; }
      if (this.day1[k] > hi) { hi = this.day1[k]; }
    }
    return lo <= hi ? [lo, hi] : null;
  };

  // an empty filter: everything shown
  function emptyFilter() {
    return { types: {}, sides: {}, bands: {}, actors: {}, fmin: null, lo: null, hi: null };
  }

  function active(set) {
    for (var key in set) { if (Object.prototype.hasOwnProperty.call(set, key) && set[key]) { return true; } }
    return false;
  }

  // One pass: sets this.on and returns the counts the panels need.
  // f.types, f.sides, f.bands: sets of hidden categories; f.actors: the chosen actors (none = all);
  // f.lo, f.hi: the time window in days (inclusive), null for open; undated incidents show
  // only while there is no time window.
  // hist (optional): an Int32Array that receives, per time bin (see setBins), the incidents
  // that pass every filter but time, so the histogram costs no second pass.
  Store.prototype.apply = function (f, nSides, nBands, nProv, hist) {
    var n = this.n, on = this.on, k;
    var hideType = this.flags(f.types, this.data.types.length, function (t) { return t.name; }, this.data.types);
    var hideSide = this.flags(f.sides, this.sideValues.length, null, this.sideValues);
    var hideBand = this.flags(f.bands, this.data.bands.length, null, this.data.bands);
    var pickActor = active(f.actors) ? this.flags(f.actors, this.actors.names.length, null, this.actors.names) : null;
    var lo = f.lo === null ? -Infinity : f.lo, hi = f.hi === null ? Infinity : f.hi;
    var windowed = f.lo !== null || f.hi !== null, fmin = f.fmin;
    var out = { shown: 0, fatalities: 0, side: new Float64Array(nSides * 2),
      sideBand: new Int32Array(nSides * (nBands + 1)), prov: new Float64Array(nProv * 2) };
    for (k = 0; k < n; k++) {
      var ok = !hideType[this.type[k]];
      var s = this.side[k], b = this.band[k];
      if (ok && s >= 0 && hideSide[s]) { ok = false; }
      if (ok && b >= 0 && hideBand[b]) { ok = false; }
      if (ok && fmin !== null && !(this.fat[k] >= fmin)) { ok = false; }
      if (ok && pickActor && !(pickActor[this.actors.first[k]] || pickActor[this.actors.second[k]])) { ok = false; }
      if (ok && hist && this.bin[k] >= 0) { hist[this.bin[k]]++; }
      if (ok && windowed && !(this.day1[k] >= lo && this.day0[k] <= hi)) { ok = false; }
      on[k] = ok ? 1 : 0;
      if (!ok) { continue; }
      var fat = this.fat[k] > 0 ? this.fat[k] : 0;
      out.shown++;
      out.fatalities += fat;
      if (s >= 0) {
        out.side[2 * s]++;
        out.side[2 * s + 1] += fat;
        out.sideBand[s * (nBands + 1) + (b >= 0 ? b : nBands)]++;
      }
      var p = this.prov[k];
      if (p >= 0) { out.prov[2 * p]++; out.prov[2 * p + 1] += fat; }
    }
    return out;
  };

  // a Uint8Array over the categories: 1 where "set" names the category
  Store.prototype.flags = function (set, size, name, values) {
    var out = new Uint8Array(size + 1);
    for (var k = 0; k < size; k++) {
      var key = name ? name(values[k]) : values[k];
      if (Object.prototype.hasOwnProperty.call(set, key) && set[key]) { out[k] = 1; }
    }
    return out;
  };

  // each incident's time bin, computed once: binOf(day) -> bin, -1 for undated
  Store.prototype.setBins = function (binOf, nBins) {
    this.bin = new Int32Array(this.n).fill(-1);
    for (var k = 0; k < this.n; k++) {
      if (this.day0[k] === this.day0[k]) {
        var b = binOf(this.day0[k]);
        this.bin[k] = b >= 0 && b < nBins ? b : -1;
      }
    }
  };

  G.Store = Store;
  G.emptyFilter = emptyFilter;
  G.codesOf = codesOf;
})(window.geoWebmap);
