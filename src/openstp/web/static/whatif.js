/* What if: send the form as JSON, redraw every chart and swap the figures and verdicts in place.
   Without JavaScript the form still works: it posts to the server, which renders the page. */
(function () {
  "use strict";
  var form = document.getElementById("whatif-form");
  if (!form) { return; }
  var status = document.getElementById("whatif-status");
  var saveStatus = document.getElementById("save-status");
  var pending = null;

  function collect() {
    var body = { plan: form.elements.plan.value || null, assumptions: {}, schemes: {} };
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.value === "") { return; }
      var parts = el.name.split(".");
      if (parts[0] === "a") {
        body.assumptions[el.name.slice(2)] = Number(el.value);
      } else if (parts[0] === "s" && parts.length === 3) {
        var s = body.schemes[parts[1]] || (body.schemes[parts[1]] = {});
        if (parts[2] === "saving") { s.saving = Math.round(Number(el.value) * 1e6); }
        if (parts[2] === "grade") { s.grade = el.value; }
      }
    });
    return body;
  }

  function problems(data) {
    var d = data && data.detail;
    if (d && d.problems) { return d.problems.join("; "); }
    if (Array.isArray(d)) {  /* a field the API could not read: "assumptions.PATH: reason" */
      return d.map(function (e) { return e.loc.slice(1).join(".") + ": " + e.msg; }).join("; ");
    }
    if (d && d.message) { return d.message; }
    return typeof d === "string" ? d : "the server could not do that";
  }

  function setText(el, text, cls) {
    el.textContent = text;
    el.className = cls || "";
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST", body: JSON.stringify(body),
      headers: { "Content-Type": "application/json", "Accept": "application/json" }
    }).then(function (r) {
      return r.json().then(function (data) { return { ok: r.ok, status: r.status, data: data }; });
    });
  }

  function figure(id) {
    var el = document.getElementById(id);
    return el ? el.textContent : "";
  }

  function apply(data) {
    Object.keys(data.charts).forEach(function (id) { window.OpenSTP.update(id, data.charts[id]); });
    var before = {};
    document.querySelectorAll("#key-figures .kf-value").forEach(function (el) { before[el.id] = el.textContent; });
    document.getElementById("key-figures").innerHTML = data.html["key-figures"];
    document.querySelectorAll("#key-figures .kf-value").forEach(function (el) {
      if (before[el.id] !== el.textContent) { el.classList.add("changed"); }
    });
    document.getElementById("verdicts").innerHTML = data.html.verdicts;
    var overall = document.getElementById("overall");
    overall.textContent = data.html.overall;
    overall.className = "overall " + (data.html.overall === "ready" ? "ready" : "not-ready");
    document.getElementById("overall-reason").textContent = data.html["overall-reason"];
  }

  function update() {
    var started = performance.now();
    setText(status, "Updating…");
    var request = post(form.getAttribute("data-api"), collect());
    pending = request;
    return request.then(function (res) {
      if (request !== pending) { return; }
      if (!res.ok) { setText(status, "Not updated: " + problems(res.data), "error"); return; }
      var was = { gap: figure("kf-residual"), balance: figure("kf-balance") };
      apply(res.data);
      setText(status, "Updated in " + Math.round(performance.now() - started) + " ms: gap left " +
        figure("kf-residual") + " (was " + was.gap + "), chance of balance " + figure("kf-balance") +
        " (was " + was.balance + "). Every chart below shows this what-if.", "ok");
      document.getElementById("whatif-note").hidden = false;
      form.setAttribute("data-updated", String(Date.now()));
    }).catch(function () { setText(status, "Not updated: no answer from the server.", "error"); });
  }

  function save() {
    var body = collect();
    body.name = form.elements.name.value;
    body.version = form.elements.version.value || null;
    setText(saveStatus, "Saving…");
    return post(form.getAttribute("data-api") + "/save", body).then(function (res) {
      if (!res.ok) { setText(saveStatus, "Not saved: " + problems(res.data), "error"); return; }
      saveStatus.className = "ok";
      saveStatus.textContent = "Saved as " + res.data.name + ".yaml. ";
      var link = document.createElement("a");
      link.href = window.location.pathname + "?plan=" + encodeURIComponent(res.data.name);
      link.textContent = "Open it";
      link.id = "saved-link";
      saveStatus.appendChild(link);
    }).catch(function () { setText(saveStatus, "Not saved: no answer from the server.", "error"); });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var action = event.submitter ? event.submitter.value : "update";
    if (action === "save") { save(); } else { update(); }
  });
}());
