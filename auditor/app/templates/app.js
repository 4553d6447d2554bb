(function () {
  "use strict";
  var csrf = document.querySelector('meta[name="csrf-token"]').content;
  var maxUpload = Number(document.body.dataset.maxUpload);

  function say(el, text) { if (el) { el.textContent = text; } }

  // 1. Exports: sent as soon as they are chosen or dropped, with a progress bar.
  var form = document.getElementById("upload-form");
  var status = document.getElementById("upload-status");
  var bar = document.getElementById("upload-progress");
  function upload(files) {
    if (!files.length) { return; }
    var total = 0, fd = new FormData();
    fd.append("csrf", csrf);
    for (var i = 0; i < files.length; i++) {
      total += files[i].size;
      fd.append("files", files[i], files[i].webkitRelativePath || files[i].name);
    }
    if (total > maxUpload) {
      say(status, "Not sent: these files are larger than the most any export may hold. Choose the export itself.");
      return;
    }
    var xhr = new XMLHttpRequest();
    xhr.open("POST", "/upload");
    xhr.setRequestHeader("X-CSRF-Token", csrf);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.addEventListener("progress", function (e) {
      if (e.lengthComputable) { bar.hidden = false; bar.value = e.loaded / e.total; }
    });
    xhr.addEventListener("load", function () {
      var data = {};
      try { data = JSON.parse(xhr.responseText); } catch (err) { data = {}; }
      if (xhr.status === 200 && data.ok) { window.location.reload(); return; }
      bar.hidden = true;
      say(status, "Not added: " + (data.error || "the upload was refused (" + xhr.status + ")."));
    });
    xhr.addEventListener("error", function () {
      bar.hidden = true;
      say(status, "The upload failed: is the app still running?");
    });
    say(status, "Sending " + files.length + (files.length === 1 ? " file…" : " files…"));
    xhr.send(fd);
  }
  if (form) {
    ["f-files", "f-folder"].forEach(function (id) {
      var input = document.getElementById(id);
      input.addEventListener("change", function () { upload(input.files); });
    });
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var files = [].concat(Array.prototype.slice.call(document.getElementById("f-files").files),
                            Array.prototype.slice.call(document.getElementById("f-folder").files));
      upload(files);
    });
    var drop = document.getElementById("drop");
    drop.addEventListener("dragover", function (e) { e.preventDefault(); drop.classList.add("over"); });
    drop.addEventListener("dragleave", function () { drop.classList.remove("over"); });
    drop.addEventListener("drop", function (e) {
      e.preventDefault();
      drop.classList.remove("over");
      var items = e.dataTransfer.items || [];
      for (var i = 0; i < items.length; i++) {
        var entry = items[i].webkitGetAsEntry && items[i].webkitGetAsEntry();
        if (entry && entry.isDirectory) {
          say(status, "To add a folder, use the folder button above (or drop the ZIP file instead).");
          return;
        }
      }
      upload(e.dataTransfer.files);
    });
  }

  // 3. The role list shows the roles of the chosen jurisdiction only.
  var policy = document.getElementById("f-policy"), role = document.getElementById("f-role");
  function roles() {
    Array.prototype.forEach.call(role.querySelectorAll("optgroup"), function (g) {
      var mine = g.dataset.pack === policy.value;
      g.hidden = !mine;
      g.disabled = !mine;
      if (!mine && g.contains(role.selectedOptions[0])) { role.value = ""; }
    });
  }
  if (policy && role) { policy.addEventListener("change", roles); roles(); }

  // 4. Progress: polled while the audit runs; the page is drawn again when it ends.
  if (document.body.dataset.state === "running") {
    var text = document.getElementById("job-text");
    var poll = function () {
      fetch("/api/status", { headers: { "Accept": "application/json" } }).then(function (r) { return r.json(); })
        .then(function (s) {
          if (s.state !== "running") { window.location.hash = s.state === "done" ? "results" : "progress"; window.location.reload(); return; }
          say(text, s.phase + ": " + s.items + " items read… (" + Math.round(s.seconds) + " s)");
          setTimeout(poll, 400);
        }, function () { say(text, "Lost the connection to the app: is it still running?"); });
    };
    setTimeout(poll, 300);
  }

  // 6. Decisions: saved without leaving the page.
  document.addEventListener("submit", function (e) {
    var f = e.target;
    if (!f.classList || !f.classList.contains("decide")) { return; }
    e.preventDefault();
    var fd = new FormData(f);
    var button = e.submitter;
    fd.append("decision", button ? button.value : "keep");
    var out = f.querySelector("output.state"), li = f.closest("li");
    fetch("/decide", { method: "POST", body: fd, headers: { "X-CSRF-Token": csrf, "Accept": "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (d) {
        if (!d.ok) { say(out, "Not saved: " + d.error); return; }
        li.dataset.decision = d.decision;
        say(out, (li.dataset.skim ? { keep: "Keep: political, to deal with", dismiss: "Dismiss: not political (no longer listed)",
                                      done: "Done: changed" } :
                  { keep: "Keep: still to do", dismiss: "Dismiss: fine as it is (hidden from later reports)",
                    done: "Done: fixed (should be gone from the next export)" })[d.decision]);
      }, function () { say(out, "Not saved: is the app still running?"); });
  });
}());
