(function () {
  "use strict";
  var root = document.documentElement;
  var data = JSON.parse(document.getElementById("fidelity-data").textContent);
  var form = document.getElementById("filters");
  if (form) {
    var findings = Array.prototype.slice.call(document.querySelectorAll("#findings .finding"));  // not the accepted ones
    var clusters = Array.prototype.slice.call(document.querySelectorAll(".cluster"));
    var status = document.getElementById("filter-status");
    var chosen = function (name) {
      var set = Object.create(null);
      Array.prototype.forEach.call(form.querySelectorAll("input[name='" + name + "']"), function (box) {
        if (box.checked) { set[box.value] = true; }
      });
      return set;
    };
    var apply = function () {
      var severity = chosen("severity"), category = chosen("category"), outlet = chosen("outlet");
      var shown = 0;
      findings.forEach(function (f) {
        var keep = severity[f.dataset.severity] === true && category[f.dataset.category] === true &&
          outlet[f.dataset.outlet] === true;
        f.hidden = !keep;
        if (keep) { shown += 1; }
      });
      clusters.forEach(function (c) { c.hidden = c.querySelector(".finding:not([hidden])") === null; });
      status.textContent = "Showing " + shown + " of " + findings.length + " findings";
    };
    form.addEventListener("change", apply);
    form.addEventListener("reset", function () { window.setTimeout(apply, 0); });
    form.hidden = false;
    apply();
  }
  root.setAttribute("data-fidelity-ready", String(data.schema_version));
})();
