// Live preview of the article body: the server renders and sanitizes the Markdown
// (the same code readers' pages use), this script only sends the text and shows the result.
"use strict";
(function () {
  function start() {
    var body = document.getElementById("id_body");
    var preview = document.getElementById("body-preview");
    if (!body || !preview) {
      return;
    }
    var form = body.form;
    var token = form ? form.querySelector("input[name=csrfmiddlewaretoken]") : null;
    var timer = null;
    var sent = 0;

    function refresh() {
      var request = ++sent;
      var data = new FormData();
      data.append("body", body.value);
      if (token) {
        data.append("csrfmiddlewaretoken", token.value);
      }
      preview.setAttribute("aria-busy", "true");
      fetch(preview.dataset.previewUrl, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "X-Requested-With": "XMLHttpRequest" },
      })
        .then(function (response) {
          if (!response.ok) {
            throw new Error("The preview could not be rendered (" + response.status + ").");
          }
          return response.text();
        })
        .then(function (html) {
          if (request === sent) {
            preview.innerHTML = html;  // sanitized on the server by nh3
          }
        })
        .catch(function (error) {
          if (request === sent) {
            preview.textContent = error.message;
          }
        })
        .finally(function () {
          preview.removeAttribute("aria-busy");
        });
    }

    body.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(refresh, 400);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
