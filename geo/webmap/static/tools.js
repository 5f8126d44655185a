/* geo interactive map: offline search, export of the selection, and the state in the URL hash. */
(function (G) {
  "use strict";
  var lib = G.lib, el = lib.el;
  var MAX_RESULTS = 8;

  // ------------------------------------------------------------------ search
  function searchIndex(data, store) {
    var items = [];
    (data.places || []).forEach(function (p) {
      var names = [p[0]].concat(p[1] ? p[1].split("|") : []);
      items.push({ keys: names.map(lib.fold), label: p[0], where: p[2], lat: p[3], lon: p[4], kind: "place", rank: 1 });
    });
    var cols = store.cols;
    for (var i = 0; i < store.n; i++) {
      var id = cols.text("id", i), loc = cols.text("location", i), keys = [];
      if (id) { keys.push(lib.fold(id)); }
      if (loc) { keys.push(lib.fold(loc)); }
      if (keys.length) {
        items.push({ keys: keys, label: id || loc, where: loc || "", lat: store.lat[i], lon: store.lon[i],
          kind: "incident", index: i, rank: 2 });
      }
    }
    return items;
  }

  // exact names first, then names that start with the query, then names that contain it
  function search(items, query) {
    var q = lib.fold(query), out = [[], [], []];
    if (!q) { return []; }
    items.forEach(function (item) {
      var best = 3;
      item.keys.forEach(function (k) {
        if (k === q) { best = 0; } else if (best > 1 && k.indexOf(q) === 0) { best = 1; } else if (best > 2 && k.indexOf(q) > 0) { best = 2; }
      });
      if (best < 3) { out[best].push(item); }
    });
    return out.reduce(function (all, group) {
      return all.concat(group.sort(function (a, b) { return a.rank - b.rank; }));
    }, []).slice(0, MAX_RESULTS);
  }

  function searchBox(ctx) {
    var box = el("div", "geo-search"), items = null;
    var input = el("input");
    input.setAttribute("type", "search");
    input.setAttribute("placeholder", "Search a place or incident id, then Enter");
    input.setAttribute("aria-label", "search places and incidents");
    input.setAttribute("data-geo-control", "search");
    var results = el("ul", "geo-results");
    results.setAttribute("aria-live", "polite");
    function go(item) {
      ctx.map.flyTo([item.lat, item.lon], Math.max(ctx.map.getZoom(), item.kind === "place" ? 10 : 12), { duration: 0.6 });
      if (item.kind === "incident") { ctx.map.once("moveend", function () { ctx.openIncident(item.index); }); }
    }
    input.addEventListener("keydown", function (e) {
      if (e.key !== "Enter") { return; }
      e.preventDefault();
      items = items || searchIndex(ctx.data, ctx.store);
      var found = search(items, input.value);
      while (results.firstChild) { results.removeChild(results.firstChild); }
      if (!found.length) { results.appendChild(el("li", "geo-meta", "nothing found for “" + input.value + "”")); return; }
      found.forEach(function (item) {
        var li = el("li"), b = el("button", "geo-link-button", item.label);
        b.setAttribute("type", "button");
        b.addEventListener("click", function () { go(item); });
        li.appendChild(b);
        li.appendChild(el("span", "geo-meta", " " + (item.kind === "place" ? item.where : "incident, " + item.where)));
        results.appendChild(li);
      });
      go(found[0]);
    });
    box.appendChild(input);
    box.appendChild(results);
    return box;
  }

  // ------------------------------------------------------------------ export
  function cellValue(data, cols, name, i) {
    if (name === "event_type") { return data.types[data.incidents.type[i]].name; }
    if (name === "date") { return cols.date(i); }
    if (name === "sources") {
      var s = cols.sources(i);
      return s && s.length ? JSON.stringify(s.map(function (r) {
        return { title: r[0], publisher: r[1], date: r[2], url: r[3] };
      })) : null;
    }
    if (Object.prototype.hasOwnProperty.call(data.incidents.num, name)) { return cols.num(name, i); }
    return cols.text(name, i);
  }

  // quoted where needed; text that a spreadsheet would run as a formula gets a leading '
  function csvCell(value) {
    if (value === null || value === undefined) { return ""; }
    if (typeof value === "number") { return String(value); }
    var text = String(value);
    if (/^[=+\-@\t\r]/.test(text)) { text = "'" + text; }
    return /[",\r\n]/.test(text) ? "\"" + text.replace(/"/g, "\"\"") + "\"" : text;
  }

  function exportText(data, store, format) {
    var names = data.incidents.columns, rows = [], i, k;
    if (format === "csv") {
      rows.push(names.concat(["longitude", "latitude"]).map(csvCell).join(","));
      for (i = 0; i < store.n; i++) {
        if (!store.on[i]) { continue; }
        var cells = names.map(function (name) { return csvCell(cellValue(data, store.cols, name, i)); });
        rows.push(cells.concat([String(store.lon[i]), String(store.lat[i])]).join(","));
      }
      return rows.join("\r\n") + "\r\n";
    }
    var features = [];
    for (i = 0; i < store.n; i++) {
      if (!store.on[i]) { continue; }
      var props = {};
      for (k = 0; k < names.length; k++) {
        var v = cellValue(data, store.cols, names[k], i);
        props[names[k]] = names[k] === "sources" && v ? JSON.parse(v) : v;
      }
      features.push({ type: "Feature", properties: props, geometry: { type: "Point", coordinates: [store.lon[i], store.lat[i]] } });
    }
    return JSON.stringify({ type: "FeatureCollection", features: features });
  }

  function download(text, name, type) {
    var url = URL.createObjectURL(new Blob([text], { type: type }));
    var a = el("a");
    a.setAttribute("href", url);
    a.setAttribute("download", name);
    document.body.appendChild(a);
    a.click();
    document.body.removeChild(a);
    setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
  }

  function exportBox(ctx) {
    var box = el("div", "geo-export");
    box.setAttribute("data-geo-action", "export");
    box.appendChild(el("span", null, "Download the selection: "));
    [["csv", "CSV", "text/csv"], ["geojson", "GeoJSON", "application/geo+json"]].forEach(function (f) {
      var b = el("button", "geo-export-" + f[0], f[1]);
      b.setAttribute("type", "button");
      b.setAttribute("data-geo-format", f[0]);
      b.addEventListener("click", function () {
        // a large map's long texts arrive after the first frame: export once they are in
        Promise.resolve(ctx.api.complete).then(function () {
          download(exportText(ctx.data, ctx.store, f[0]), "incidents-selection." + f[0], f[2]);
        });
      });
      box.appendChild(b);
    });
    return box;
  }

  // ---------------------------------------------------------------- URL hash
  // #view=lat,lon,zoom&from=YYYY-MM-DD&to=...&type=a|b (hidden)&side=..&band=..&actor=..&fmin=N
  function keys(set) {
    return Object.keys(set).filter(function (k) { return set[k]; });
  }

  function writeHash(map, f) {
    var c = map.getCenter(), parts = ["view=" + c.lat.toFixed(4) + "," + c.lng.toFixed(4) + "," + map.getZoom()];
    if (f.lo !== null) { parts.push("from=" + lib.dayToIso(f.lo)); }
    if (f.hi !== null) { parts.push("to=" + lib.dayToIso(f.hi)); }
    [["type", f.types], ["side", f.sides], ["band", f.bands], ["actor", f.actors]].forEach(function (p) {
      var on = keys(p[1]);
      if (on.length) { parts.push(p[0] + "=" + on.map(encodeURIComponent).join("|")); }
    });
    if (f.fmin !== null) { parts.push("fmin=" + f.fmin); }
    var hash = "#" + parts.join("&");
    if (location.hash !== hash) { history.replaceState(null, "", hash); }
  }

  function readHash(f) {
    var out = { view: null };
    location.hash.replace(/^#/, "").split("&").forEach(function (part) {
      var eq = part.indexOf("="), key = part.slice(0, eq), value = part.slice(eq + 1);
      if (eq < 0) { return; }
      var sets = { type: f.types, side: f.sides, band: f.bands, actor: f.actors };
      if (key === "view") {
        var v = value.split(",").map(Number);
        if (v.length === 3 && v.every(isFinite)) { out.view = v; }
      } else if (key === "from" || key === "to") {
        var day = lib.isoToDay(value);
        if (day !== null) { f[key === "from" ? "lo" : "hi"] = day; }
      } else if (key === "fmin") {
        var n = parseFloat(value);
        if (isFinite(n) && n > 0) { f.fmin = n; }
      } else if (Object.prototype.hasOwnProperty.call(sets, key)) {
        value.split("|").forEach(function (v) {
          try { sets[key][decodeURIComponent(v)] = true; } catch (e) { /* a broken link: ignore that part */ }
        });
      }
    });
    return out;
  }

  G.tools = { searchBox: searchBox, search: search, searchIndex: searchIndex, exportBox: exportBox,
    exportText: exportText, writeHash: writeHash, readHash: readHash };
})(window.geoWebmap);
