/* What if: send the form as JSON, redraw every chart and swap the figures and verdicts in place.
   Without JavaScript the form still works: it posts to the server, which renders the page. */
(function () {
  "use strict";
  var form = document.getElementById("whatif-form");
  if (!form) { return; }
  var status = document.getElementById("whatif-status");
  var saveStatus = document.getElementById("save-status");
  var pending = null;

  function changed(el) {
    if (el.type === "checkbox") { return el.checked !== el.defaultChecked; }
    if (el.tagName === "SELECT") { return true; }
    return el.value !== el.defaultValue;
  }

  /* Only what the reader changed is sent: a figure shown rounded (£m to one decimal) and sent
     back unchanged must not count as a change. */
  function collect() {
    var body = { plan: form.elements.plan.value || null, assumptions: {}, schemes: {},
                 beds: {}, sites: {} };
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.value === "") { return; }
      var parts = el.name.split(".");
      if (parts[0] === "a") {
        body.assumptions[el.name.slice(2)] = Number(el.value);
      } else if (parts[0] === "s" && parts.length >= 3) {
        if (!changed(el)) { return; }
        var s = body.schemes[parts[1]] || (body.schemes[parts[1]] = {});
        if (parts[2] === "saving" && parts.length === 4) {
          s.savings = s.savings || {};
          s.savings[parts[3]] = Math.round(Number(el.value) * 1e6);
        }
        if (parts[2] === "grade") { s.grade = el.value; }
      } else if (parts[0] === "b" && changed(el)) {
        body.beds[parts[1]] = Number(el.value);
      } else if (parts[0] === "site" && el.type === "checkbox" && changed(el)) {
        body.sites[el.name.slice(5)] = el.checked;
      }
    });
    return body;
  }

  var buttons = [document.getElementById("whatif-update"), document.getElementById("whatif-save")];
  function busy(on) {
    buttons.forEach(function (b) { if (b) { b.disabled = on; } });
    form.setAttribute("aria-busy", on ? "true" : "false");
  }

  function refreshPlans() {
    var list = document.getElementById("plan-list");
    if (!list) { return Promise.resolve(); }
    return fetch(list.getAttribute("data-api"), { headers: { "Accept": "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (plans) {
        list.textContent = "";
        plans.forEach(function (p) {
          var li = document.createElement("li");
          var a = document.createElement("a");
          a.href = list.getAttribute("data-footprint-url") + "?plan=" + encodeURIComponent(p.name);
          a.textContent = p.title || p.name;
          var code = document.createElement("code");
          code.textContent = p.name + ".yaml";
          var y = document.createElement("a");
          y.href = "/plans/" + encodeURIComponent(p.name) + ".yaml";
          y.setAttribute("download", "");
          y.textContent = "YAML";
          li.append(a, " ", code, " (" + (p.editable ? "saved" : list.getAttribute("data-reviewed")) + ") · ", y);
          var base = form.elements.plan.value;
          if (base && p.name !== base) {
            var cmp = document.createElement("a");
            cmp.href = "/diff?old=" + encodeURIComponent(base) + "&new=" + encodeURIComponent(p.name);
            cmp.textContent = "compare with " + base;
            li.append(" · ", cmp);
          }
          list.appendChild(li);
        });
      }).catch(function () { /* the list stays as it was; the save itself succeeded */ });
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
    Object.keys(data.html).forEach(function (key) {
      if (key.indexOf("figure:") === 0) {  /* a figure whose title or emptiness changed */
        var fig = document.getElementById("fig-" + key.slice(7));
        if (!fig) { return; }
        var holder = document.createElement("div");
        holder.innerHTML = data.html[key];
        var fresh = holder.firstElementChild;
        fig.replaceWith(fresh);
        window.OpenSTP.render(fresh);
        return;
      }
      if (key.indexOf("table:") !== 0) { return; }
      var id = key.slice(6);  /* an empty table has no element of its id, only its link */
      var table = document.getElementById(id) ||
        document.querySelector("a.download[href$='/" + id + ".csv']");
      var block = table && table.closest(".table-block");
      if (block) { block.outerHTML = data.html[key]; }
    });
    var overall = document.getElementById("overall");
    overall.textContent = data.html.overall;
    overall.className = "overall " + (data.html.overall === "ready" ? "ready" : "not-ready");
    document.getElementById("overall-reason").textContent = data.html["overall-reason"];
  }

  function update() {
    var started = performance.now();
    setText(status, "Updating…");
    busy(true);
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
    }).catch(function () { setText(status, "Not updated: no answer from the server.", "error"); })
      .then(function () { if (request === pending) { busy(false); } });
  }

  function save() {
    var body = collect();
    body.name = form.elements.name.value;
    body.version = form.elements.version.value || null;
    setText(saveStatus, "Saving…");
    busy(true);
    return post(form.getAttribute("data-api") + "/save", body).then(function (res) {
      if (!res.ok) { setText(saveStatus, "Not saved: " + problems(res.data), "error"); return; }
      saveStatus.className = "ok";
      saveStatus.textContent = "Saved as " + res.data.name + ".yaml. ";
      var link = document.createElement("a");
      link.href = window.location.pathname + "?plan=" + encodeURIComponent(res.data.name);
      link.textContent = "Open it";
      link.id = "saved-link";
      saveStatus.appendChild(link);
      return refreshPlans();
    }).catch(function () { setText(saveStatus, "Not saved: no answer from the server.", "error"); })
      .then(function () { busy(false); });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var action = event.submitter ? event.submitter.value : "update";
    if (action === "save") { save(); } else { update(); }
  });
}());
