// The desk page: send the draft and its sources to /v1/check, show the HTML report in a
// frame, and add an "Accept" control to each finding (POST /v1/accept writes the baseline).
(function () {
  "use strict";
  var token = new URLSearchParams(window.location.search).get("token") || "";
  var form = document.getElementById("form");
  var statusLine = document.getElementById("status");
  var frame = document.getElementById("report");
  var reportId = null;

  function headers() {
    var h = { "Content-Type": "application/json" };
    if (token) { h.Authorization = "Bearer " + token; }
    return h;
  }

  function say(text, kind) {
    statusLine.textContent = text;
    statusLine.className = kind || "";
  }

  function readFile(file) {
    return new Promise(function (resolve, reject) {
      var reader = new FileReader();
      reader.onload = function () { resolve(String(reader.result)); };
      reader.onerror = function () { reject(reader.error); };
      reader.readAsText(file);
    });
  }

  function addSource(text) {
    var box = document.createElement("div");
    box.className = "source";
    var area = document.createElement("textarea");
    area.className = "source-text";
    area.name = "source";
    area.placeholder = "Paste a source here";
    area.value = text || "";
    box.appendChild(area);
    var sources = document.getElementById("sources");
    sources.insertBefore(box, sources.querySelector("p"));
    return area;
  }

  document.getElementById("add-source").addEventListener("click", function () { addSource(""); });
  document.getElementById("draft-file").addEventListener("change", function (event) {
    var file = event.target.files[0];
    if (file) { readFile(file).then(function (text) { document.getElementById("draft").value = text; }); }
  });
  function addSourceFiles(event) {
    Array.prototype.forEach.call(event.target.files, function (file) {
      if (!/\.(md|markdown|txt|html?)$/i.test(file.name)) { return; }
      readFile(file).then(function (text) {
        var empty = Array.prototype.find.call(document.querySelectorAll(".source-text"), function (a) { return !a.value.trim(); });
        (empty || addSource("")).value = text;
      });
    });
  }
  document.getElementById("source-files").addEventListener("change", addSourceFiles);
  document.getElementById("source-folder").addEventListener("change", addSourceFiles);

  function describe(body) {
    if (!body) { return "the server gave no answer"; }
    return body.detail || JSON.stringify(body);
  }

  function check() {
    var draft = document.getElementById("draft").value;
    var sources = Array.prototype.map.call(document.querySelectorAll(".source-text"), function (a) { return a.value; })
      .filter(function (t) { return t.trim(); })
      .map(function (t) { return { text: t }; });
    say("Checking…", "");
    return fetch("v1/check", {
      method: "POST",
      headers: headers(),
      body: JSON.stringify({ draft: { text: draft }, sources: sources, html: true })
    }).then(function (response) {
      return response.json().then(function (body) { return { ok: response.ok, body: body }; });
    }).then(function (answer) {
      if (!answer.ok) { say("Error: " + describe(answer.body), "error"); return; }
      var body = answer.body;
      reportId = body.report_id;
      var open = body.findings.length, accepted = body.accepted.length;
      say("Verdict: " + body.verdict + " — " + open + " finding" + (open === 1 ? "" : "s") +
          (accepted ? ", " + accepted + " accepted" : ""), body.verdict);
      frame.style.display = "block";
      frame.src = body.html_url + (token ? "?token=" + encodeURIComponent(token) : "");
    }).catch(function (error) { say("Error: " + error, "error"); });
  }

  function accept(fingerprint, reason, control) {
    return fetch("v1/accept", {
      method: "POST",
      headers: headers(),
      body: JSON.stringify({ report_id: reportId, finding: fingerprint, reason: reason })
    }).then(function (response) {
      return response.json().then(function (body) { return { ok: response.ok, body: body }; });
    }).then(function (answer) {
      control.textContent = answer.ok ? "Accepted: " + reason : "Not accepted: " + describe(answer.body);
      control.className = "fidelity-accept " + (answer.ok ? "done" : "failed");
    });
  }

  // The report is same-origin: add an accept control to every open finding in it.
  frame.addEventListener("load", function () {
    var doc = frame.contentDocument;
    if (!doc) { return; }
    Array.prototype.forEach.call(doc.querySelectorAll("#findings article.finding[data-fingerprint]"), function (finding) {
      var fingerprint = finding.getAttribute("data-fingerprint");
      var control = doc.createElement("p");
      control.className = "fidelity-accept";
      var reason = doc.createElement("input");
      reason.type = "text";
      reason.className = "accept-reason";
      reason.placeholder = "Reason for accepting this finding";
      reason.size = 40;
      var button = doc.createElement("button");
      button.type = "button";
      button.className = "accept";
      button.textContent = "Accept";
      button.addEventListener("click", function () {
        var why = reason.value.trim();
        if (!why) { reason.focus(); reason.placeholder = "Give a reason first"; return; }
        button.disabled = true;
        accept(fingerprint, why, control);
      });
      control.appendChild(reason);
      control.appendChild(doc.createTextNode(" "));
      control.appendChild(button);
      finding.appendChild(control);
    });
  });

  form.addEventListener("submit", function (event) { event.preventDefault(); check(); });
}());
