// Client list: a changed filter applies at once (the Find button stays for typing and scanning).
for (const form of document.querySelectorAll('form[data-autosubmit]')) {
  form.addEventListener('change', (event) => {
    if (event.target.matches('select, input[type=checkbox]')) form.requestSubmit();
  });
}
