// Calls to the box's JSON API from the signed-in page: session cookie plus the CSRF header.
const csrf = document.querySelector('meta[name="csrf-token"]').content;

export class ApiError extends Error {
  constructor(status, body) {
    super((body && body.error && body.error.message) || `HTTP ${status}`);
    this.status = status;
    this.body = body || {};
  }
  get fields() { return (this.body.error && this.body.error.fields) || []; }
  get conflicts() { return (this.body.error && this.body.error.conflicts) || []; }
}

export async function api(method, path, body) {
  const options = {method, headers: {'Accept': 'application/json', 'X-CSRF-Token': csrf},
                   credentials: 'same-origin'};
  if (body !== undefined) {
    options.headers['Content-Type'] = 'application/json';
    options.body = JSON.stringify(body);
  }
  const response = await fetch('/api/v1' + path, options);
  if (response.status === 401) { window.location = '/login?next=' + encodeURIComponent(location.pathname + location.search); }
  const data = response.status === 204 ? null : await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

export function query(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '') continue;
    for (const item of [].concat(value)) search.append(key, item);
  }
  return search.toString();
}

// Show each field error next to its input: inputs carry data-field="starts_at", "items.0.master_id"...
export function showFieldErrors(form, error) {
  clearFieldErrors(form);
  let shown = false;
  for (const {field, reason} of error.fields) {
    const input = form.querySelector(`[data-field="${CSS.escape(field)}"]`);
    if (!input) continue;
    const holder = input.closest('.field') || input.parentElement;
    holder.classList.add('has-error');
    const note = document.createElement('span');
    note.className = 'error';
    note.setAttribute('role', 'alert');
    note.textContent = reason;
    holder.appendChild(note);
    shown = true;
  }
  return shown;
}

export function clearFieldErrors(form) {
  form.querySelectorAll('.has-error').forEach(el => el.classList.remove('has-error'));
  form.querySelectorAll('.field .error').forEach(el => el.remove());
}

export function toast(message, kind = 'error') {
  const box = document.createElement('div');
  box.className = `toast toast-${kind}`;
  box.setAttribute('role', kind === 'error' ? 'alert' : 'status');
  box.textContent = message;
  document.body.appendChild(box);
  setTimeout(() => box.remove(), 6000);
}

// Clients matching what was typed (two characters or more), listed as options that call onPick.
export async function listClients(list, text, onPick) {
  list.innerHTML = '';
  if (text.trim().length < 2) return;
  const found = await api('GET', '/clients?' + query({q: text, limit: 8}));
  for (const client of found.items) {
    const li = document.createElement('li');
    li.setAttribute('role', 'option');
    li.tabIndex = 0;
    li.textContent = `${client.last_name} ${client.first_name} · ${client.phone || ''}`;
    li.addEventListener('click', () => onPick(client));
    li.addEventListener('keydown', e => { if (e.key === 'Enter') { e.preventDefault(); onPick(client); } });
    list.appendChild(li);
  }
}

// "2026-11-24T10:00:00+05:00" -> "2026-11-24T10:00:00": the calendar shows salon wall-clock time as is.
export function wallClock(iso) { return iso.slice(0, 19); }
