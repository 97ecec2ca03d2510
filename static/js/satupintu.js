// Behaviour shared by every page, kept out of the markup so that the Content-Security-Policy
// can forbid inline scripts: a <select data-autosubmit> sends its form when changed.
document.addEventListener("change", function (event) {
  var target = event.target;
  if (target instanceof HTMLSelectElement && target.hasAttribute("data-autosubmit") && target.form) {
    target.form.submit();
  }
});

// A form whose fields depend on a choice (collaboration RequestForm): the select carries
// data-kind-choice, each dependent field data-kinds="kind another"; only the chosen kind's
// fields show (nothing but the choice before one is made). Without JavaScript all show.
function kindFields(select) {
  if (!select.form) return;
  select.form.querySelectorAll("[data-kinds]").forEach(function (field) {
    var row = field.closest(".form-row, p") || field;
    row.hidden = field.getAttribute("data-kinds").split(" ").indexOf(select.value) < 0;
  });
}
document.addEventListener("change", function (event) {
  if (event.target instanceof HTMLSelectElement && event.target.hasAttribute("data-kind-choice")) {
    kindFields(event.target);
  }
});
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("select[data-kind-choice]").forEach(kindFields);
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

// The region picker (regions/forms.py RegionSearchInput): typing asks the server for a listbox
// (htmx); picking an option writes the region's name into the text box and its code into the
// hidden input. Arrow keys move through the options, Enter picks, Escape closes.
function regionPicker(element) {
  return element && element.closest ? element.closest("[data-region-search]") : null;
}
function regionOptions(picker) {
  return Array.prototype.slice.call(picker.querySelectorAll('[role="option"][data-code]'));
}
function regionClose(picker) {
  var list = picker.querySelector('[role="listbox"]');
  var input = picker.querySelector('[role="combobox"]');
  list.hidden = true;
  input.setAttribute("aria-expanded", "false");
  input.removeAttribute("aria-activedescendant");
}
function regionChoose(picker, option) {
  var input = picker.querySelector('[role="combobox"]');
  input.value = option.getAttribute("data-label");
  picker.querySelector("[data-region-code]").value = option.getAttribute("data-code");
  regionClose(picker);
  input.focus();
}
document.addEventListener("htmx:afterSwap", function (event) {
  var list = (event.detail && event.detail.target) || event.target;
  var picker = regionPicker(list);
  if (!picker || list.getAttribute("role") !== "listbox") return;
  list.hidden = false;
  picker.querySelector('[role="combobox"]').setAttribute("aria-expanded", "true");
});
document.addEventListener("input", function (event) {
  var picker = regionPicker(event.target);
  if (picker && event.target.getAttribute("role") === "combobox") {
    // The text no longer names the picked region: the server resolves what is typed.
    picker.querySelector("[data-region-code]").value = "";
  }
});
document.addEventListener("click", function (event) {
  var option = event.target.closest ? event.target.closest('[role="option"][data-code]') : null;
  var picker = regionPicker(option);
  if (picker) {
    event.preventDefault();
    regionChoose(picker, option);
    return;
  }
  document.querySelectorAll("[data-region-search]").forEach(function (other) {
    if (!other.contains(event.target)) regionClose(other);
  });
});
document.addEventListener("keydown", function (event) {
  var picker = regionPicker(event.target);
  if (!picker || event.target.getAttribute("role") !== "combobox") return;
  var list = picker.querySelector('[role="listbox"]');
  var options = regionOptions(picker);
  if (list.hidden || !options.length) return;
  var current = options.findIndex(function (o) { return o.getAttribute("aria-selected") === "true"; });
  if (event.key === "ArrowDown" || event.key === "ArrowUp") {
    event.preventDefault();
    var next = event.key === "ArrowDown" ? Math.min(current + 1, options.length - 1) : Math.max(current - 1, 0);
    options.forEach(function (o, i) { o.setAttribute("aria-selected", i === next ? "true" : "false"); });
    event.target.setAttribute("aria-activedescendant", options[next].id);
    options[next].scrollIntoView({ block: "nearest" });
  } else if (event.key === "Enter" && current >= 0) {
    event.preventDefault();
    regionChoose(picker, options[current]);
  } else if (event.key === "Escape") {
    regionClose(picker);
  }
});
