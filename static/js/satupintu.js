// Behaviour shared by every page, kept out of the markup so that the Content-Security-Policy
// can forbid inline scripts: a <select data-autosubmit> sends its form when changed.
document.addEventListener("change", function (event) {
  var target = event.target;
  if (target instanceof HTMLSelectElement && target.hasAttribute("data-autosubmit") && target.form) {
    target.form.submit();
  }
});
