// A "Copy" button for a block of text (the cite page's BibTeX): progressive enhancement.
// Without JavaScript, or without the Clipboard API, the button stays hidden and the text can be
// selected and copied by hand, or downloaded.
(function () {
  "use strict";
  if (!navigator.clipboard || !navigator.clipboard.writeText) {
    return;
  }
  document.querySelectorAll("button[data-copy-target]").forEach(function (button) {
    var target = document.getElementById(button.getAttribute("data-copy-target"));
    var status = document.getElementById(button.getAttribute("data-copy-status"));
    if (!target) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(target.textContent).then(
        function () {
          if (status) {
            status.textContent = "Copied to the clipboard.";
          }
        },
        function () {
          if (status) {
            status.textContent = "Could not copy: select the text and copy it by hand.";
          }
        }
      );
    });
  });
})();
