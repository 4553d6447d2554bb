(function () {
  "use strict";
  var bar = document.getElementById("filters");
  if (!bar) { return; }
  var list = document.getElementById("worklist");
  var account = document.getElementById("f-account");
  var severity = document.getElementById("f-severity");
  var kind = document.getElementById("f-kind");
  var search = document.getElementById("f-search");
  var reset = document.getElementById("f-reset");
  var count = document.getElementById("f-count");
  var rows = Array.prototype.slice.call(list.querySelectorAll("ol.rows > li"));
  var blocks = Array.prototype.slice.call(list.querySelectorAll(".rule, .step"));
  var texts = rows.map(function (r) { return r.textContent.toLowerCase(); });

  function apply() {
    var a = account.value, s = Number(severity.value), k = kind.value;
    var words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    rows.forEach(function (row, i) {
      var d = row.dataset;
      var ok = (!a || d.a === a) && Number(d.s) >= s && (!k || d.k === k) &&
        words.every(function (w) { return texts[i].indexOf(w) !== -1; });
      row.hidden = !ok;
      if (ok) { shown += 1; }
    });
    blocks.forEach(function (b) { b.hidden = !b.querySelector("ol.rows > li:not([hidden])"); });
    count.textContent = shown === rows.length ? "All " + rows.length + " items shown" :
      shown + " of " + rows.length + " items shown";
    list.classList.toggle("filtered", shown !== rows.length);
  }

  [account, severity, kind].forEach(function (el) { el.addEventListener("change", apply); });
  search.addEventListener("input", apply);
  search.addEventListener("keydown", function (e) {
    if (e.key === "Escape") { search.value = ""; apply(); }
  });
  reset.addEventListener("click", function () {
    account.value = ""; severity.value = "0"; kind.value = ""; search.value = ""; apply(); search.focus();
  });
  document.addEventListener("keydown", function (e) {
    var t = e.target && e.target.tagName;
    if (e.key === "/" && !e.ctrlKey && !e.metaKey && !e.altKey && t !== "INPUT" && t !== "SELECT" && t !== "TEXTAREA") {
      e.preventDefault();
      search.focus();
      search.select();
    }
  });
  bar.hidden = false;
  apply();
}());
