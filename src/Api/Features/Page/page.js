// The support page works without this file; it adds copy buttons, local times, the size check of
// uploads before they are sent, and a busy state while the diagnosis runs.
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var announce = function (text) {
    var region = document.getElementById("announce");
    if (region) { region.textContent = ""; setTimeout(function () { region.textContent = text; }, 50); }
  };

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "absolute";
    area.style.left = "-9999px";
    document.body.appendChild(area);
    area.select();
    var ok = document.execCommand("copy");
    document.body.removeChild(area);
    return ok ? Promise.resolve() : Promise.reject(new Error("copy refused"));
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button.copy");
    if (!button) { return; }
    copyText(button.getAttribute("data-copy")).then(function () {
      button.textContent = "Copied";
      announce("Copied: " + button.getAttribute("data-copy"));
      setTimeout(function () { button.textContent = "Copy"; }, 2000);
    }, function () {
      button.textContent = "Select and copy by hand";
    });
  });

  document.querySelectorAll("time.local").forEach(function (time) {
    var at = new Date(time.getAttribute("datetime"));
    if (!isNaN(at)) {
      time.title = time.textContent;
      time.textContent = at.toLocaleString(undefined, { year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", timeZoneName: "short" });
    }
  });

  var form = document.getElementById("inputs");
  if (!form) { return; }
  var max = Number(form.getAttribute("data-max-bytes"));

  function showError(field, message) {
    var box = document.getElementById(field + "-error");
    var control = document.getElementById(field);
    if (!box) { return; }
    box.innerHTML = "";
    if (message) {
      var p = document.createElement("p");
      var path = document.createElement("span");
      path.className = "path";
      path.textContent = field;
      p.appendChild(path);
      p.appendChild(document.createTextNode(": " + message));
      box.appendChild(p);
    }
    box.parentElement.classList.toggle("invalid", !!message);
    if (control) { control.setAttribute("aria-invalid", message ? "true" : "false"); }
  }

  function tooLarge(input) {
    var file = input.files && input.files[0];
    return file && max > 0 && file.size > max ? file : null;
  }

  form.querySelectorAll("input[type=file]").forEach(function (input) {
    input.addEventListener("change", function () {
      var file = tooLarge(input);
      var field = input.getAttribute("data-field");
      if (file) {
        showError(field, "'" + file.name + "' is " + (file.size / 1048576).toFixed(1) + " MiB; the service takes at most " +
          (max / 1048576).toFixed(0) + " MiB. It was not sent.");
        input.value = "";
        input.focus();
      } else {
        showError(field, "");
      }
    });
  });

  form.addEventListener("submit", function (event) {
    var pasted = new Blob([form.zoneFile.value, form.acmCertificate.value]).size;
    if (max > 0 && pasted > max) {
      event.preventDefault();
      showError("zoneFile", "The pasted text is " + (pasted / 1048576).toFixed(1) + " MiB; the service takes at most " + (max / 1048576).toFixed(0) + " MiB.");
      form.zoneFile.focus();
      return;
    }
    var button = document.getElementById("diagnose");
    button.setAttribute("aria-busy", "true");
    button.textContent = "Diagnosing…";
  });

  var summary = document.getElementById("error-summary");
  // After the browser has scrolled to #answer (the form's target), bring the mistakes into view and focus.
  if (summary) { window.addEventListener("load", function () { setTimeout(function () { summary.focus(); }, 0); }); }
})();
