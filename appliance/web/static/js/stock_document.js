// A USB scanner types the code and Enter: go to the line's quantity instead of submitting the form.
document.querySelectorAll("#stock-document input.scan").forEach(function (input) {
  input.addEventListener("keydown", function (event) {
    if (event.key !== "Enter") return;
    event.preventDefault();
    var qty = document.querySelector('input[name="qty_' + input.dataset.line + '"]');
    if (qty) qty.focus();
  });
});
