// "Copy link" next to each working preview link: shown only where the browser can copy
// (the link itself stays selectable text without JavaScript).
"use strict";
(function () {
  if (!navigator.clipboard || typeof navigator.clipboard.writeText !== "function") {
    return;
  }
  document.querySelectorAll("button.copy-link").forEach(function (button) {
    var link = document.getElementById(button.dataset.copyTarget);
    var status = button.nextElementSibling;
    if (!link) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(link.href).then(
        function () {
          status.textContent = "Copied.";
        },
        function () {
          status.textContent = "Could not copy: select the link and copy it.";
        }
      );
    });
  });
})();
