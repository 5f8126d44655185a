/* geo interactive map, the popup of one incident, written with textContent only. */
(function (G) {
  "use strict";
  var lib = G.lib, el = lib.el, swatch = lib.swatch, fmtKm = lib.fmtKm, link = lib.link, plural = lib.plural;

  function row(table, label, value) {
    if (value === null || value === undefined || value === "") { return; }
    var tr = el("tr");
    tr.appendChild(el("th", null, label));
    var td = el("td");
    if (value instanceof Node) { td.appendChild(value); } else { td.textContent = String(value); }
    tr.appendChild(td);
    table.appendChild(tr);
  }

  // [[title, publisher, date, url], ...] as a numbered list; links only for http(s)
  function sourceList(sources) {
    var list = el("ol", "geo-sources");
    sources.forEach(function (s) {
      var li = el("li");
      li.appendChild(link(s[0] || s[3] || "source", s[3]));
      var meta = [s[1], s[2]].filter(Boolean).join(", ");
      if (meta) { li.appendChild(el("span", "geo-meta", " — " + meta)); }
      list.appendChild(li);
    });
    return list;
  }

  function incidentPopup(data, cols, i, shared) {
    var box = el("div", "geo-popup");
    var type = data.types[data.incidents.type[i]];
    var head = el("div", "geo-popup-type");
    head.appendChild(swatch(type.shape, type.color, 6, data.colors.marker_line));
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
      box.appendChild(sourceList(sources));
    }
    var summary = cols.text("summary", i);
    if (summary) { box.appendChild(el("p", "geo-summary", summary)); }
    var id = cols.text("id", i);
    if (id) { box.appendChild(el("div", "geo-meta", "id " + id)); }
    if (shared > 1) {
      box.appendChild(el("div", "geo-popup-shared", plural(shared, "incident", "incidents") +
        " share this point; the others are drawn beside it"));
    }
    return box;
  }

  // a short text for hover tooltips and the search results
  function incidentLabel(data, cols, i) {
    var type = data.types[data.incidents.type[i]];
    var parts = [cols.date(i), type ? type.name : null, cols.text("location", i)];
    var d = cols.num("border_distance_km", i);
    if (d !== null) { parts.push(fmtKm(d) + " to the border"); }
    return parts.filter(Boolean).join(" · ");
  }

  G.popup = { incidentPopup: incidentPopup, incidentLabel: incidentLabel, row: row };
})(window.geoWebmap);
