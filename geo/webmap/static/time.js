/* geo interactive map: the time histogram under the map, with a brush, ISO date inputs and play.
 *
 * Bars count the incidents that pass every other filter, per day, week or month (whichever
 * gives at most about 160 bars). Dragging over the bars selects a window; "Play" moves a
 * window of one week, month or quarter through the data, one step per 0.7 s.
 */
(function (G) {
  "use strict";
  var lib = G.lib, el = lib.el, NS = "http://www.w3.org/2000/svg";
  var STEP_MS = 700;

  function svgEl(tag, attrs) {
    var node = document.createElementNS(NS, tag);
    Object.keys(attrs).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    return node;
  }

  // bins of equal days (1 or 7) or calendar months between the first and last day
  function binning(range) {
    var span = range[1] - range[0] + 1;
    if (span <= 160) { return { unit: "day", start: range[0], n: span, of: function (d) { return d - range[0]; } }; }
    if (span <= 160 * 7) {
      return { unit: "week", start: range[0], n: Math.ceil(span / 7), of: function (d) { return Math.floor((d - range[0]) / 7); } };
    }
    var first = new Date(range[0] * lib.DAY_MS), y0 = first.getUTCFullYear(), m0 = first.getUTCMonth();
    var startDay = Math.round(Date.UTC(y0, m0, 1) / lib.DAY_MS);
    var last = new Date(range[1] * lib.DAY_MS);
    var n = (last.getUTCFullYear() - y0) * 12 + last.getUTCMonth() - m0 + 1;
    return { unit: "month", start: startDay, n: n, of: function (d) {
      var t = new Date(d * lib.DAY_MS);
      return (t.getUTCFullYear() - y0) * 12 + t.getUTCMonth() - m0;
    }, dayOf: function (b) { return lib.addMonths(startDay, b); } };
  }

  function binStart(bins, b) { return bins.dayOf ? bins.dayOf(b) : bins.start + b * (bins.unit === "week" ? 7 : 1); }

  function dateInput(cls, label) {
    var wrap = el("label", "geo-date-field", label + " ");
    var input = el("input", cls);
    input.setAttribute("type", "text");
    input.setAttribute("inputmode", "numeric");
    input.setAttribute("pattern", "\\d{4}-\\d{2}-\\d{2}");
    input.setAttribute("placeholder", "YYYY-MM-DD");
    input.setAttribute("size", "10");
    input.setAttribute("aria-label", label + " date, YYYY-MM-DD");
    wrap.appendChild(input);
    return { wrap: wrap, input: input };
  }

  // ctx.range: [first, last] day; ctx.onWindow(lo, hi): apply a window (null for open ends)
  function TimeControl(ctx) {
    this.ctx = ctx;
    this.range = ctx.range;
    this.bins = binning(ctx.range);
    this.lo = null;
    this.hi = null;
    this.timer = null;
  }

  TimeControl.prototype.element = function () {
    var self = this, div = el("div", "geo-box geo-time leaflet-control");
    div.setAttribute("data-geo-control", "time");
    var head = el("div", "geo-time-head");
    var from = dateInput("geo-date-from", "from"), to = dateInput("geo-date-to", "to");
    this.from = from.input;
    this.to = to.input;
    [this.from, this.to].forEach(function (input) {
      input.addEventListener("change", function () { self.fromInputs(); });
      input.addEventListener("keydown", function (e) { if (e.key === "Enter") { self.fromInputs(); } });
    });
    var all = el("button", "geo-all-dates", "All dates");
    all.setAttribute("type", "button");
    all.addEventListener("click", function () { self.stop(); self.set(null, null); });
    this.play = el("button", "geo-play", "▶ Play");
    this.play.setAttribute("type", "button");
    this.play.setAttribute("data-geo-action", "play");
    this.play.addEventListener("click", function () { if (self.timer) { self.stop(); } else { self.start(); } });
    this.width = el("select", "geo-play-width");
    this.width.setAttribute("aria-label", "play window");
    [["7", "week"], ["1m", "month"], ["3m", "quarter"]].forEach(function (o) {
      var opt = el("option", null, o[1]);
      opt.value = o[0];
      self.width.appendChild(opt);
    });
    this.width.value = "1m";
    this.status = el("span", "geo-meta geo-date-status");
    [from.wrap, to.wrap, all, this.play, this.width, this.status].forEach(function (n) { head.appendChild(n); });
    div.appendChild(head);
    this.svg = svgEl("svg", { "class": "geo-histogram", height: "46", preserveAspectRatio: "none",
      viewBox: "0 0 " + this.bins.n + " 40", role: "img", "aria-label": "incidents over time; drag to select dates" });
    div.appendChild(this.svg);
    this.brushEvents();
    this.showInputs();
    return div;
  };

  TimeControl.prototype.draw = function (counts) {
    var svg = this.svg, max = 1, c = this.ctx.colors, k;
    while (svg.firstChild) { svg.removeChild(svg.firstChild); }
    for (k = 0; k < counts.length; k++) { if (counts[k] > max) { max = counts[k]; } }
    this.brushRect = svgEl("rect", { x: 0, y: 0, width: 0, height: 40, fill: c.brush, "fill-opacity": 0.18 });
    svg.appendChild(this.brushRect);
    for (k = 0; k < counts.length; k++) {
      if (!counts[k]) { continue; }
      var h = Math.max(1.5, 38 * counts[k] / max);
      svg.appendChild(svgEl("rect", { x: k + 0.08, y: 40 - h, width: 0.84, height: h, fill: c.histogram }));
    }
    this.showBrush();
  };

  TimeControl.prototype.showBrush = function () {
    if (!this.brushRect) { return; }
    if (this.lo === null && this.hi === null) { this.brushRect.setAttribute("width", 0); return; }
    var b0 = this.bins.of(this.lo === null ? this.range[0] : this.lo);
    var b1 = this.bins.of(this.hi === null ? this.range[1] : this.hi);
    this.brushRect.setAttribute("x", Math.max(0, b0));
    this.brushRect.setAttribute("width", Math.max(0.5, Math.min(this.bins.n, b1 + 1) - Math.max(0, b0)));
  };

  TimeControl.prototype.brushEvents = function () {
    var self = this, svg = this.svg, anchor = null;
    function dayAt(e) {
      var box = svg.getBoundingClientRect();
      var b = Math.floor(Math.max(0, Math.min(0.9999, (e.clientX - box.left) / box.width)) * self.bins.n);
      return b;
    }
    function update(e, done) {
      var b0 = Math.min(anchor, dayAt(e)), b1 = Math.max(anchor, dayAt(e));
      var lo = Math.max(self.range[0], binStart(self.bins, b0));
      var hi = Math.min(self.range[1], binStart(self.bins, b1 + 1) - 1);
      self.set(lo, hi, !done);
    }
    svg.addEventListener("pointerdown", function (e) {
      self.stop();
      anchor = dayAt(e);
      svg.setPointerCapture(e.pointerId);
      update(e, false);
    });
    svg.addEventListener("pointermove", function (e) { if (anchor !== null) { update(e, false); } });
    svg.addEventListener("pointerup", function (e) { if (anchor !== null) { update(e, true); anchor = null; } });
  };

  TimeControl.prototype.fromInputs = function () {
    var lo = this.from.value.trim() ? lib.isoToDay(this.from.value) : null;
    var hi = this.to.value.trim() ? lib.isoToDay(this.to.value) : null;
    this.from.setAttribute("aria-invalid", this.from.value.trim() && lo === null ? "true" : "false");
    this.to.setAttribute("aria-invalid", this.to.value.trim() && hi === null ? "true" : "false");
    if ((this.from.value.trim() && lo === null) || (this.to.value.trim() && hi === null)) { return; }
    this.stop();
    this.set(lo, hi);
  };

  TimeControl.prototype.showInputs = function () {
    this.from.value = lib.dayToIso(this.lo === null ? this.range[0] : this.lo);
    this.to.value = lib.dayToIso(this.hi === null ? this.range[1] : this.hi);
  };

  // set the window; a window that covers the whole range is no window at all
  TimeControl.prototype.set = function (lo, hi, live) {
    if (lo !== null && lo <= this.range[0] && (hi === null || hi >= this.range[1])) { lo = null; }
    if (hi !== null && hi >= this.range[1] && lo === null) { hi = null; }
    this.lo = lo;
    this.hi = hi;
    this.showInputs();
    this.showBrush();
    this.ctx.onWindow(lo, hi, live);
  };

  TimeControl.prototype.step = function (start) {
    var w = this.width.value, end = w === "7" ? start + 7 : lib.addMonths(start, w === "1m" ? 1 : 3);
    return end - 1;
  };

  TimeControl.prototype.start = function () {
    var self = this;
    var from = this.lo === null ? this.range[0] : this.lo;
    if (from >= this.range[1]) { from = this.range[0]; }
    this.play.textContent = "❚❚ Pause";
    this.play.setAttribute("aria-pressed", "true");
    function tick() {
      if (from > self.range[1]) { self.stop(); return; }
      var hi = self.step(from);
      self.set(from, hi);
      // set() drops a window that covers everything; keep the play window explicit
      self.lo = from;
      self.hi = hi;
      self.showBrush();
      from = hi + 1;
    }
    tick();
    this.timer = setInterval(tick, STEP_MS);
  };

  TimeControl.prototype.stop = function () {
    if (this.timer) { clearInterval(this.timer); }
    this.timer = null;
    if (this.play) {
      this.play.textContent = "▶ Play";
      this.play.setAttribute("aria-pressed", "false");
    }
  };

  G.TimeControl = TimeControl;
  G.timeBinning = binning;
})(window.geoWebmap);
