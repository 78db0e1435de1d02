// Month planner: small conveniences only; every form works without this script.
document.documentElement.classList.add('js');

// Choosing a master or a month shows it at once.
for (const input of document.querySelectorAll('[data-autosubmit]')) {
  input.addEventListener('change', () => input.form.requestSubmit());
}

// Withdrawing a template or cancelling an absence asks first.
for (const form of document.querySelectorAll('form[data-confirm]')) {
  form.addEventListener('submit', event => {
    if (!window.confirm(form.dataset.confirm)) event.preventDefault();
  });
}

// Custom week: copy the first ticked day's hours to the other ticked days.
for (const button of document.querySelectorAll('[data-copy-week]')) {
  button.addEventListener('click', () => {
    const rows = [...button.closest('details').querySelectorAll('table.week-hours tbody tr')];
    const ticked = rows.filter(row => row.querySelector('input[type=checkbox]').checked);
    if (!ticked.length) return;
    const source = [...ticked[0].querySelectorAll('input[type=time]')].map(input => input.value);
    for (const row of ticked.slice(1)) {
      row.querySelectorAll('input[type=time]').forEach((input, index) => { input.value = source[index]; });
    }
  });
}
