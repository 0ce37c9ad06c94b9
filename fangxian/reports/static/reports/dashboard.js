// The command dashboard: draws the figures the server computed (JSON), fetches them again every
// 60 s and updates the charts in place (setOption, no reload). A point, bar or tile opens the
// list behind it; each chart saves as an image (getDataURL) and its data as Excel (a link).
(function () {
  "use strict";
  var root = document.getElementById("fx-dashboard");
  if (!root || !window.echarts) { return; }
  var labels = JSON.parse(document.getElementById("dashboard-labels").textContent);
  var data = JSON.parse(document.getElementById("dashboard-data").textContent);
  var charts = {};
  var palette = ["#4aa3ff", "#ffd45c", "#56d364", "#ff7b72", "#d2a8ff", "#79c0ff", "#f0b37e"];

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }

  function delta(value) {
    if (value === null || value === undefined) { return null; }
    if (value === 0) { return el("span", "", labels.vs_yesterday + " " + labels.no_change); }
    var span = el("span", value > 0 ? "fx-up" : "fx-down",
      labels.vs_yesterday + " " + (value > 0 ? "↑" : "↓") + Math.abs(value));
    return span;
  }

  function tile(item, unit, extra) {
    var a = el("a", "fx-tile");
    a.href = item.url;
    a.dataset.key = item.key;
    a.appendChild(el("div", "fx-name", item.name));
    var value = el("div", "fx-value", String(item.today !== undefined ? item.today : item.value));
    value.dataset.testid = "value";
    if (unit) { value.appendChild(el("small", "", unit)); }
    a.appendChild(value);
    var sub = el("div", "fx-sub");
    var change = delta(item.delta);
    if (change) { sub.appendChild(change); }
    if (extra) { sub.appendChild(document.createTextNode(" " + extra)); }
    a.appendChild(sub);
    return a;
  }

  function replace(container, children) {
    while (container.firstChild) { container.removeChild(container.firstChild); }
    children.forEach(function (child) { container.appendChild(child); });
  }

  function drawTiles() {
    replace(root.querySelector('[data-testid="headlines"]'), data.headlines.map(function (h) {
      var extra = h.standing ? labels.standing : labels.cumulative + " " + h.cumulative;
      return tile(h, h.unit, extra);
    }));
    replace(root.querySelector('[data-testid="quarantine"]'), data.quarantine.map(function (q) {
      return tile(q, "", "");
    }));
    var c = data.completeness;
    var states = [["expected", c.expected], ["received", c.received], ["on_time", c.on_time], ["late", c.late], ["missing", c.missing]];
    var names = labels.completeness;
    replace(root.querySelector('[data-testid="completeness"]'), states.map(function (s) {
      var t = tile({ key: s[0], name: names[s[0]] || s[0], value: s[1], url: c.url }, "", "");
      return t;
    }));
    var missing = root.querySelector('[data-testid="missing-units"]');
    missing.textContent = c.missing_units.length ? labels.missing_units + "：" + c.missing_units.join("、") : "";
    document.querySelector('[data-testid="as-of"]').textContent = data.as_of || "—";
  }

  // The list behind a point: its series' list, narrowed to the point's day, unit or figure.
  function pointUrl(chart, series, i) {
    var extra = chart.points && chart.points[i];
    return extra ? series.url + (series.url.indexOf("?") < 0 ? "?" : "&") + extra : series.url;
  }

  function option(chart) {
    var dark = { backgroundColor: "transparent", color: palette, textStyle: { color: "#cfe3fa" } };
    var axisStyle = { axisLine: { lineStyle: { color: "#4b6a8f" } }, splitLine: { lineStyle: { color: "#1d3550" } } };
    var toolbox = { right: 0, top: 0, feature: { saveAsImage: { title: labels.image, backgroundColor: "#0f2138", name: chart.title } }, iconStyle: { borderColor: "#9fc3ea" } };
    if (chart.kind === "pie") {
      var s = chart.series[0];
      return Object.assign(dark, {
        tooltip: { trigger: "item" }, toolbox: toolbox,
        legend: { bottom: 0, textStyle: { color: "#cfe3fa" } },
        color: ["#56d364", "#ffd45c", "#ff7b72"],
        series: [{ type: "pie", name: s.name, radius: ["35%", "65%"], label: { color: "#cfe3fa", formatter: "{b}: {c}" },
          data: chart.categories.map(function (name, i) { return { name: name, value: s.data[i], url: pointUrl(chart, s, i) }; }) }]
      });
    }
    var categoryAxis = Object.assign({ type: "category", data: chart.categories, axisLabel: { color: "#cfe3fa" } }, axisStyle);
    var valueAxis = Object.assign({ type: "value", minInterval: 1, axisLabel: { color: "#cfe3fa" } }, axisStyle);
    return Object.assign(dark, {
      tooltip: { trigger: "axis" }, toolbox: toolbox,
      legend: { top: 0, left: 0, right: 40, type: "scroll", textStyle: { color: "#cfe3fa" } },
      grid: { left: 8, right: 20, top: 40, bottom: 8, containLabel: true },
      xAxis: chart.horizontal ? valueAxis : categoryAxis,
      yAxis: chart.horizontal ? Object.assign(categoryAxis, { inverse: true }) : valueAxis,
      series: chart.series.map(function (s) {
        return { type: chart.kind, name: s.name, stack: s.stack || undefined, smooth: chart.kind === "line",
          data: s.data.map(function (v, i) { return { value: v, url: pointUrl(chart, s, i) }; }) };
      })
    });
  }

  function chartOf(name) {
    if (!charts[name]) {
      charts[name] = echarts.init(root.querySelector('[data-chart="' + name + '"]'));
      charts[name].on("click", function (params) {
        if (params.data && params.data.url) { window.location.href = params.data.url; }
      });
    }
    return charts[name];
  }

  function drawCharts() {
    data.charts.forEach(function (chart) {
      chartOf(chart.name).setOption(option(chart), { replaceMerge: ["series"] });
      var link = root.querySelector('[data-xlsx="' + chart.name + '"]');
      if (link) { link.href = chart.xlsx; }
    });
  }

  function draw() { drawTiles(); drawCharts(); }

  root.addEventListener("click", function (event) {
    var button = event.target.closest("[data-image]");
    if (!button) { return; }
    var chart = charts[button.dataset.image];
    var a = document.createElement("a");
    a.href = chart.getDataURL({ type: "png", pixelRatio: 2, backgroundColor: "#0f2138" });
    a.download = button.closest("[data-chart-card]").querySelector("h2").textContent + ".png";
    document.body.appendChild(a);
    a.click();
    a.remove();
  });

  function refresh() {
    fetch(root.dataset.url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.json();
      })
      .then(function (fresh) { data = fresh; draw(); })
      .catch(function () { document.querySelector('[data-testid="as-of"]').textContent = labels.refresh_failed; });
  }

  window.addEventListener("resize", function () {
    Object.keys(charts).forEach(function (name) { charts[name].resize(); });
  });
  draw();
  window.fxDashboard = { charts: charts, refresh: refresh };
  setInterval(refresh, (parseInt(root.dataset.refresh, 10) || 60) * 1000);
}());
