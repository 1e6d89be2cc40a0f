package page

// The page's script makes tables sortable and filterable and redraws
// Scatter charts; it does nothing on a page without them. The markup it
// reads:
//
// Sorting: a <table class="sortable"> sorts its first tbody's rows when a
// <th data-sort="num"> or <th data-sort="text"> is clicked (or Enter is
// pressed on it), ascending then descending. The column is the th's
// data-col (a cell index of the body's rows, for headers of several rows)
// or else its own index. A cell's data-v is its sort key, else its text;
// text sorts numbers in it as numbers (n8 before n12); num keys that are
// not numbers sort last.
//
// Filtering: a <div class="filters" data-table="ID"> holds the controls
// of the table with that id:
//
//   - <select data-filter="KEY"> (or <input>) shows only the rows whose
//     data-KEY attribute, a list of words, has the control's value ("":
//     every row). With data-scope="NAME" the word is the value of the
//     control named NAME (or "*" when it is "") and the value, joined by
//     a colon: rows list "enum:timeout *:timeout ..." for a status per
//     solver. With data-match="substr", the attribute need only contain
//     the value (any case): an <input type="search"> on names.
//   - <select name="..." data-groups> hides the cells with a data-group
//     attribute other than its value ("": none), such as every solver's
//     column group but one.
//   - an element with data-count="NOUN" shows "shown of all NOUN".
//
// Controls with a name take their values from the page's query string or
// fragment on load (report.html?n=8&status=timeout, or #n=8), so that a
// link can open the table filtered; sort=COL (or sort=-COL, descending)
// sorts the sortable tables by the column of that data-col (or index).

const tableCSS = `
table.data { font-size: 12px; }
table.data th, table.data td { padding: 2px 5px; }
table.data td.g, table.data th.g { border-left: 2px solid #d4d4da; }
table.data tbody tr:hover td { background: #f2f6fb; }
table.data tr.flag td { background: #fdf0f0; }
table.data td.name { max-width: 260px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
table.sortable th[data-sort] { cursor: pointer; user-select: none; }
table.sortable th[data-sort]:hover { background: #e8e8ee; }
table.sortable th.asc::after { content: " \25B2"; font-size: 9px; }
table.sortable th.desc::after { content: " \25BC"; font-size: 9px; }
.tablewrap { max-height: 85vh; overflow: auto; border: 1px solid #e2e2e2; border-radius: 4px; }
.tablewrap table { margin: 0; }
.tablewrap thead tr:first-child th { top: 0; height: 18px; }
.tablewrap thead tr + tr th { top: 23px; }
.filters { display: flex; flex-wrap: wrap; gap: 6px 14px; align-items: center; margin: 6px 0 8px; font-size: 13px; }
.filters select, .filters input { font: inherit; font-size: 12px; }
.filters [data-count] { color: #444; font-weight: 600; }
.plots { display: grid; grid-template-columns: repeat(auto-fill, minmax(460px, 1fr)); gap: 12px 16px; align-items: start; }
.plots figure { margin: 0; padding: 6px 8px; border: 1px solid #eee; border-radius: 4px; background: #fff; min-width: 0; }
.plots figure figcaption { font-weight: 600; font-size: 13px; margin-bottom: 4px; }
.plots figure > svg { display: block; width: 100%; height: auto; }
figure.scatter figcaption { display: flex; flex-wrap: wrap; gap: 4px 12px; align-items: baseline; }
figure.scatter figcaption label { font-weight: normal; font-size: 12px; }
figure.scatter > svg { max-width: 520px; margin: 0 auto; }
figure.scatter figcaption select { font: inherit; font-size: 12px; }
figure.scatter circle.sp { fill: ` + ColorLine + `; }
figure.scatter circle.sp.e { fill: ` + ColorWarn + `; }
figure.scatter circle.sp.b { fill: ` + ColorBad + `; fill-opacity: 1; }
figure.scatter p { margin: 4px 0 0; }
`

const tableScript = `
(function () {
  var collator = new Intl.Collator(undefined, { numeric: true });
  var hash = location.hash.indexOf("=") >= 0 ? location.hash.slice(1) : "";
  var params = new URLSearchParams(location.search.slice(1) + "&" + hash);
  document.querySelectorAll("table.sortable").forEach(function (table) {
    var body = table.tBodies[0];
    if (!body) { return; }
    var rows = Array.prototype.slice.call(body.rows);
    var heads = table.querySelectorAll("th[data-sort]");
    var given = params.get("sort") || "";
    heads.forEach(function (th) {
      th.tabIndex = 0;
      var col = th.hasAttribute("data-col") ? Number(th.getAttribute("data-col")) : th.cellIndex;
      function sort() {
        var num = th.getAttribute("data-sort") === "num";
        var dir = th.classList.contains("asc") ? -1 : 1;
        heads.forEach(function (h) { h.classList.remove("asc", "desc"); h.removeAttribute("aria-sort"); });
        th.classList.add(dir > 0 ? "asc" : "desc");
        th.setAttribute("aria-sort", dir > 0 ? "ascending" : "descending");
        var keyed = rows.map(function (r, i) {
          var c = r.cells[col], v = c ? c.getAttribute("data-v") : null;
          if (v === null) { v = c ? c.textContent : ""; }
          return { k: num ? parseFloat(v) : v, i: i, r: r };
        });
        keyed.sort(function (a, b) {
          var d;
          if (num) {
            var na = isNaN(a.k), nb = isNaN(b.k);
            if (na || nb) { d = na === nb ? 0 : (na ? 1 : -1); return d || a.i - b.i; }
            d = a.k < b.k ? -1 : (a.k > b.k ? 1 : 0);
          } else {
            d = collator.compare(a.k, b.k);
          }
          return d * dir || a.i - b.i;
        });
        var f = document.createDocumentFragment();
        keyed.forEach(function (x) { f.appendChild(x.r); });
        body.appendChild(f);
      }
      if (given === String(col) || given === "-" + String(col)) {
        sort();
        if (given.charAt(0) === "-") { sort(); }
      }
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (e) {
        if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sort(); }
      });
    });
  });

  document.querySelectorAll(".filters[data-table]").forEach(function (box) {
    var table = document.getElementById(box.getAttribute("data-table"));
    if (!table || !table.tBodies[0]) { return; }
    var controls = box.querySelectorAll("[data-filter], [data-groups]");
    var style = document.createElement("style");
    document.head.appendChild(style);
    function apply() {
      var tests = [];
      controls.forEach(function (c) {
        var v = c.value.trim();
        if (!c.hasAttribute("data-filter") || v === "") { return; }
        var attr = "data-" + c.getAttribute("data-filter");
        if (c.getAttribute("data-match") === "substr") {
          v = v.toLowerCase();
          tests.push(function (r) { return (r.getAttribute(attr) || "").toLowerCase().indexOf(v) >= 0; });
          return;
        }
        var scope = c.getAttribute("data-scope");
        if (scope) {
          var s = box.querySelector('[name="' + scope + '"]');
          v = ((s && s.value) || "*") + ":" + v;
        }
        v = " " + v + " ";
        tests.push(function (r) { return (" " + (r.getAttribute(attr) || "") + " ").indexOf(v) >= 0; });
      });
      var rows = table.tBodies[0].rows, shown = 0;
      for (var i = 0; i < rows.length; i++) {
        var ok = true;
        for (var j = 0; ok && j < tests.length; j++) { ok = tests[j](rows[i]); }
        rows[i].hidden = !ok;
        if (ok) { shown++; }
      }
      var css = "";
      box.querySelectorAll("[data-groups]").forEach(function (c) {
        if (c.value) {
          css += "#" + CSS.escape(table.id) + ' [data-group]:not([data-group="' + CSS.escape(c.value) + '"]) { display: none; }\n';
        }
      });
      style.textContent = css;
      box.querySelectorAll("[data-count]").forEach(function (e) {
        e.textContent = shown + " of " + rows.length + " " + e.getAttribute("data-count");
      });
    }
    var given = false;
    controls.forEach(function (c) {
      if (c.name && params.has(c.name)) { c.value = params.get(c.name); given = true; }
      c.addEventListener(c.tagName === "INPUT" ? "input" : "change", apply);
    });
    if (given) { apply(); }
  });

  document.querySelectorAll("figure.scatter").forEach(function (fig) {
    var svg = fig.querySelector("svg[data-area]");
    var sx = fig.querySelector('select[data-axis="x"]'), sy = fig.querySelector('select[data-axis="y"]');
    if (!svg || !sx || !sy) { return; }
    // x0 x1 y0 y1 (y0 at the bottom), where the edge lies (a fraction)
    // and how far points on it spread across its band
    var a = svg.getAttribute("data-area").split(" ").map(Number);
    var unit = svg.getAttribute("data-unit") || "";
    var edge = fig.getAttribute("data-edge"), lower = fig.getAttribute("data-lower"), noun = fig.getAttribute("data-noun");
    var pts = svg.querySelectorAll("circle.sp");
    function pos(t, j) {
      var flag = t.charAt(t.length - 1) === "!";
      if (flag) { t = t.slice(0, -1); }
      return t === "e" ? { f: a[4] + j * a[5], e: true, b: flag } : { f: parseFloat(t), e: false, b: flag };
    }
    function draw() {
      var xi = sx.selectedIndex, yi = sy.selectedIndex;
      var xn = sx.options[xi].text, yn = sy.options[yi].text;
      var n = { x: 0, y: 0, eq: 0, ex: 0, ey: 0, both: 0, out: 0 };
      pts.forEach(function (p) {
        var v = p.getAttribute("data-v").split(" ");
        if (v[xi] === "-" || v[yi] === "-") { p.setAttribute("display", "none"); n.out++; return; }
        var j = (p.getAttribute("data-j") || "0 0").split(" ").map(Number);
        var x = pos(v[xi], j[0]), y = pos(v[yi], j[1]);
        p.removeAttribute("display");
        p.setAttribute("cx", (a[0] + x.f * (a[1] - a[0])).toFixed(2));
        p.setAttribute("cy", (a[2] - y.f * (a[2] - a[3])).toFixed(2));
        p.setAttribute("class", x.b || y.b ? "sp b" : (x.e || y.e ? "sp e" : "sp"));
        if (x.e && y.e) { n.both++; } else if (x.e) { n.ex++; } else if (y.e) { n.ey++; }
        else if (x.f < y.f) { n.x++; } else if (y.f < x.f) { n.y++; } else { n.eq++; }
      });
      svg.querySelector(".ax-x").textContent = (xn + " " + unit).trim();
      svg.querySelector(".ax-y").textContent = (yn + " " + unit).trim();
      var shown = pts.length - n.out;
      var s = shown + " " + noun + ": " + xn + " " + lower + " on " + n.x + " (above the line), " + yn + " " + lower + " on " + n.y;
      if (n.eq) { s += ", equal on " + n.eq; }
      if (n.ex + n.ey + n.both) {
        s += "; " + edge + " by " + xn + " only " + n.ex + ", by " + yn + " only " + n.ey + ", by both " + n.both;
      } else {
        s += "; none " + edge;
      }
      if (n.out) { s += "; " + n.out + " left out (no row of one of them)"; }
      var c = fig.querySelector(".sx-count");
      if (c) { c.textContent = s; }
    }
    sx.addEventListener("change", draw);
    sy.addEventListener("change", draw);
    draw();
  });
})();
`
