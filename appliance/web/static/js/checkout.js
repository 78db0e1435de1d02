// The payment form: the cash part is what the other parts leave of what is due, the change what the
// cash received leaves of it. Shown as the administrator types; the server checks it all again.
const form = document.getElementById('pay-form');
const due = Number(document.getElementById('due').dataset.due);
const digits = form ? Number(form.dataset.digits || 0) : 0;

function amount(input) {
  if (!input) return 0;
  const cleaned = input.value.replace(/[\s\u00a0']/g, '').replace(',', '.');
  const value = Number(cleaned);
  return Number.isFinite(value) ? value : 0;
}

function show(value) {
  return value.toLocaleString(document.documentElement.lang, {minimumFractionDigits: digits, maximumFractionDigits: digits});
}

function update() {
  let parts = 0;
  form.querySelectorAll('[data-part] input, input[data-part]').forEach(input => { parts += amount(input); });
  const cash = Math.max(due - parts, 0);
  document.getElementById('cash-part').textContent = show(cash);
  const received = amount(form.querySelector('input[name=cash_received]'));
  document.getElementById('change').textContent = received >= cash && received > 0 ? show(received - cash) : '—';
}

if (form) {
  form.addEventListener('input', update);
  update();
}

// The product field: a barcode (a scanner types digits and Enter) is added as it is; a part of a name
// lists the matching products under the field, each a button of the same form (its quantity goes along).
const productForm = document.getElementById('barcode-form');
if (productForm) {
  const input = productForm.querySelector('input[name=barcode]');
  const results = document.getElementById('product-results');
  let timer = null;
  let asked = '';
  async function search() {
    const text = input.value.trim();
    if (text === asked) return;
    asked = text;
    if (text.length < 2 || /^[0-9]+$/.test(text)) { results.innerHTML = ''; return; }
    const response = await fetch(productForm.dataset.search + '?q=' + encodeURIComponent(text),
                                 {headers: {'Accept': 'text/html'}, credentials: 'same-origin'});
    if (response.ok && input.value.trim() === text) results.innerHTML = await response.text();
  }
  input.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(search, 200); });
}
