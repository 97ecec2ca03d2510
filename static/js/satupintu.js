// Behaviour shared by every page, kept out of the markup so that the Content-Security-Policy
// can forbid inline scripts: a <select data-autosubmit> sends its form when changed.
document.addEventListener("change", function (event) {
  var target = event.target;
  if (target instanceof HTMLSelectElement && target.hasAttribute("data-autosubmit") && target.form) {
    target.form.submit();
  }
});

// On a phone a table is shown as a stack of cards (satupintu.css): each cell carries its
// column's heading as data-label, so a value is never shown without saying what it is.
function labelTableCells(root) {
  root.querySelectorAll("table").forEach(function (table) {
    var labels = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
      return th.textContent.trim();
    });
    if (!labels.length) return;
    table.querySelectorAll("tbody tr").forEach(function (row) {
      Array.prototype.forEach.call(row.children, function (cell, index) {
        if (labels[index] && !cell.hasAttribute("data-label") && !cell.hasAttribute("colspan")) {
          cell.setAttribute("data-label", labels[index]);
        }
      });
    });
  });
}
document.addEventListener("DOMContentLoaded", function () {
  labelTableCells(document);
});
document.addEventListener("htmx:afterSwap", function (event) {
  labelTableCells(event.target);
});
