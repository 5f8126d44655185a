/* geo interactive map: the side panel, with the filters and the linked summary.
 *
 * Every control carries a stable attribute for tests and users' scripts (see the README):
 * [data-geo-filter="event_type" | "side" | "band"] hold checkboxes whose value is the
 * category, [data-geo-filter="actor"] the actor list, [data-geo-count] the count line.
 */
(function (G) {
  "use strict";
  var lib = G.lib, el = lib.el, NS = "http://www.w3.org/2000/svg";
  var TOP_ACTORS = 40;

  function checkGroup(name, title, items, hidden, onChange) {
    var box = lib.section(title, true, "geo-filter-group");
    var list = el("div", "geo-checks");
    list.setAttribute("data-geo-filter", name);
    items.forEach(function (item) {
      var c = lib.checkbox(item.value, item.label, !hidden[item.value]);
      if (item.swatch) { c.label.insertBefore(item.swatch, c.label.lastChild); }
      c.input.addEventListener("change", function () {
        hidden[item.value] = !c.input.checked;
        onChange();
      });
      list.appendChild(c.label);
    });
    box.appendChild(list);
    return box;
  }

  // the top actors, with a box that narrows the list as one types; only the rows shown exist
  function actorGroup(store, chosen, onChange) {
    var box = lib.section("Actor", false, "geo-filter-group");
    var wrap = el("div", "geo-actors");
    wrap.setAttribute("data-geo-filter", "actor");
    var find = el("input", "geo-actor-search");
    find.setAttribute("type", "search");
    find.setAttribute("placeholder", "find an actor");
    find.setAttribute("aria-label", "find an actor");
    wrap.appendChild(find);
    var list = el("div", "geo-checks geo-actor-list"), a = store.actors, keys = null;
    var order = a.order.filter(function (i) { return a.counts[i] > 0; });
    function show() {
      var q = lib.fold(find.value), picked = order.filter(function (i) { return chosen[a.names[i]]; });
      keys = keys || order.map(function (i) { return lib.fold(a.names[i]); });
      var rows = picked.slice();
      for (var r = 0; r < order.length && rows.length < TOP_ACTORS + picked.length; r++) {
        if (!chosen[a.names[order[r]]] && (!q || keys[r].indexOf(q) >= 0)) { rows.push(order[r]); }
      }
      while (list.firstChild) { list.removeChild(list.firstChild); }
      rows.forEach(function (i) {
        var c = lib.checkbox(a.names[i], a.names[i] + " (" + a.counts[i].toLocaleString("en-US") + ")", !!chosen[a.names[i]]);
        c.input.addEventListener("change", function () { chosen[a.names[i]] = c.input.checked; onChange(); });
        list.appendChild(c.label);
      });
    }
    find.addEventListener("input", show);
    show();
    wrap.appendChild(list);
    box.appendChild(wrap);
    return box;
  }

  function fatalityInput(filter, onChange) {
    var wrap = el("label", "geo-fmin", "Fatalities at least ");
    var input = el("input");
    input.setAttribute("type", "number");
    input.setAttribute("min", "0");
    input.setAttribute("step", "1");
    input.setAttribute("data-geo-filter", "fatalities");
    input.value = filter.fmin === null ? "" : String(filter.fmin);
    input.addEventListener("input", function () {
      var v = parseFloat(input.value);
      filter.fmin = isFinite(v) && v > 0 ? v : null;
      onChange();
    });
    wrap.appendChild(input);
    return wrap;
  }

  // ctx: data, store, filter, onChange; returns the filters' element
  function filters(ctx) {
    var data = ctx.data, f = ctx.filter, box = el("div", "geo-filters");
    box.appendChild(checkGroup("event_type", "Event type", data.types.map(function (t) {
      return { value: t.name, label: t.name, swatch: lib.swatch(t.shape, t.color, 5, data.colors.marker_line) };
    }), f.types, ctx.onChange));
    var sides = ctx.store.sideValues.map(function (s) {
      var name = Object.prototype.hasOwnProperty.call(data.sides, s) ? data.sides[s] : s;
      return { value: s, label: name, swatch: lib.swatch("square", data.sideColors[s] || data.colors.histogram, 5) };
    });
    if (sides.length) { box.appendChild(checkGroup("side", "Side of the border", sides, f.sides, ctx.onChange)); }
    if (data.bands.length) {
      box.appendChild(checkGroup("band", "Distance to the border", data.bands.map(function (b) {
        return { value: b, label: b };
      }), f.bands, ctx.onChange));
    }
    if (ctx.store.actors.names.length) { box.appendChild(actorGroup(ctx.store, f.actors, ctx.onChange)); }
    box.appendChild(fatalityInput(f, ctx.onChange));
    return box;
  }

  function bandBars(counts, offset, nBands, color) {
    var max = 1, k, svg = document.createElementNS(NS, "svg");
    for (k = 0; k <= nBands; k++) { max = Math.max(max, counts[offset + k]); }
    svg.setAttribute("viewBox", "0 0 " + (nBands + 1) + " 20");
    svg.setAttribute("preserveAspectRatio", "none");
    svg.setAttribute("class", "geo-bars");
    svg.setAttribute("aria-hidden", "true");
    for (k = 0; k <= nBands; k++) {
      var h = 19 * counts[offset + k] / max;
      if (!h) { continue; }
      var r = document.createElementNS(NS, "rect");
      r.setAttribute("x", k + 0.1);
      r.setAttribute("y", 20 - h);
      r.setAttribute("width", 0.8);
      r.setAttribute("height", h);
      r.setAttribute("fill", color);
      svg.appendChild(r);
    }
    return svg;
  }

  // the summary of the current selection: counts, fatalities, distance histogram per side
  function summary(ctx, stats, total) {
    var data = ctx.data, box = ctx.summaryBox, nBands = data.bands.length;
    while (box.firstChild) { box.removeChild(box.firstChild); }
    var line = el("div", "geo-count", stats.shown.toLocaleString("en-US") + " of " +
      total.toLocaleString("en-US") + " incidents shown");
    line.setAttribute("data-geo-count", "");
    box.appendChild(line);
    box.appendChild(el("div", null, lib.plural(Math.round(stats.fatalities), "fatality", "fatalities")));
    ctx.store.sideValues.forEach(function (s, k) {
      var row = el("div", "geo-side-row");
      var name = Object.prototype.hasOwnProperty.call(data.sides, s) ? data.sides[s] : s;
      row.appendChild(el("span", "geo-side-name", name));
      row.appendChild(el("span", "geo-meta", stats.side[2 * k].toLocaleString("en-US") + " · " +
        Math.round(stats.side[2 * k + 1]).toLocaleString("en-US") + " killed"));
      if (nBands) { row.appendChild(bandBars(stats.sideBand, k * (nBands + 1), nBands, data.sideColors[s] || data.colors.histogram)); }
      box.appendChild(row);
    });
    if (nBands) {
      box.appendChild(el("div", "geo-meta", "bars: incidents per distance band, nearest (" + data.bands[0] +
        ") first; the last bar: band not known"));
    }
    if (ctx.province !== null && data.provinces) {
      var p = data.provinces.features[ctx.province].properties, k = ctx.province;
      var pbox = el("div", "geo-province-summary");
      pbox.appendChild(el("strong", null, p.name));
      pbox.appendChild(el("div", null, lib.plural(stats.prov[2 * k], "incident", "incidents") + ", " +
        lib.plural(Math.round(stats.prov[2 * k + 1]), "fatality", "fatalities") + " in the current selection"));
      pbox.appendChild(el("div", "geo-meta", lib.plural(p.count, "incident", "incidents") + " in all"));
      box.appendChild(pbox);
    }
  }

  G.panel = { filters: filters, summary: summary };
})(window.geoWebmap);
