// Comfort only: every form works without this script.
// Ctrl+Enter (or Cmd+Enter) in a translation saves it; a textarea grows with its text.
document.addEventListener("keydown", (event) => {
  const field = event.target;
  if (field.tagName === "TEXTAREA" && event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
    event.preventDefault();
    field.form.requestSubmit(field.form.querySelector('button[value="save"]'));
  }
});
function fit(field) {
  field.style.height = "auto";
  field.style.height = `${field.scrollHeight + 4}px`;
}
document.addEventListener("input", (event) => {
  if (event.target.tagName === "TEXTAREA") fit(event.target);
});
document.querySelectorAll("textarea").forEach(fit);
