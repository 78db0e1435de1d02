// The booking dialog (client search or creation, services in sequence, free time, repeat)
// and the booking details dialog (status with reason, history).
import {api, query, toast, wallClock, showFieldErrors, clearFieldErrors, listClients, ApiError} from './api.js';

const pad = n => String(n).padStart(2, '0');
const dialog = document.getElementById('booking-dialog');
const form = document.getElementById('booking-form');
let chosenClient = null;
let onSaved = () => {};
let searchTimer = null;

function addServiceRow(serviceId = '', masterId = 'any') {
  const rows = document.getElementById('service-rows');
  const index = rows.children.length;
  const row = document.getElementById('service-row').content.firstElementChild.cloneNode(true);
  row.querySelectorAll('[data-field]').forEach(el => { el.dataset.field = el.dataset.field.replace('.N.', `.${index}.`); });
  row.querySelector('.service-select').value = serviceId;
  row.querySelector('.master-select').value = masterId;
  row.querySelector('.service-select').addEventListener('change', () => showNeeds(row));
  rows.appendChild(row);
  showNeeds(row);
}

// A service that needs a room type or equipment offers the matching ones (or "any free one").
function showNeeds(row) {
  const setup = JSON.parse(document.getElementById('journal-setup').textContent);
  const service = setup.services.find(s => s.id === row.querySelector('.service-select').value);
  for (const [kind, need] of [['room', service && service.room_type], ['equipment', service && service.equipment_type]]) {
    const field = row.querySelector(`.${kind}-field`);
    const select = row.querySelector(`.${kind}-select`);
    field.hidden = !need;
    select.value = '';
    select.querySelectorAll('option[data-type]').forEach(o => { o.hidden = o.dataset.type !== need; });
  }
}

function chooseClient(client) {
  chosenClient = client;
  const chosen = document.getElementById('client-chosen');
  chosen.hidden = !client;
  chosen.textContent = client ? `${client.last_name} ${client.first_name} · ${client.phone || ''}` : '';
  document.getElementById('client-results').innerHTML = '';
  document.getElementById('new-client').hidden = true;
}

async function searchClients(text, T) {
  const list = document.getElementById('client-results');
  await listClients(list, text, chooseClient);
  if (text.trim().length < 2) return;
  const create = document.createElement('li');
  create.className = 'create';
  create.textContent = `+ ${T.newClient}`;
  create.addEventListener('click', () => {
    chooseClient(null);
    const fresh = document.getElementById('new-client');
    fresh.hidden = false;
    const digits = text.replace(/[^\d+]/g, '');
    if (digits.length >= 5) fresh.querySelector('[name=phone]').value = text;
    else fresh.querySelector('[name=first_name]').value = text;
  });
  list.appendChild(create);
}

function requestedItems(setup) {
  return [...document.querySelectorAll('#service-rows .service-row')].map(row => ({
    service_id: row.querySelector('.service-select').value,
    master_id: row.querySelector('.master-select').value,
    room_id: row.querySelector('.room-select').value || null,
    equipment_id: row.querySelector('.equipment-select').value || null,
  })).filter(i => i.service_id);
}

async function fillFreeTime(setup) {
  const items = requestedItems(setup);
  const list = document.getElementById('slot-list');
  list.innerHTML = '';
  if (!items.length) return;
  const day = form.elements.date.value;
  const params = {service_id: items.map(i => i.service_id), master_id: items.map(i => i.master_id),
                  starts_from: day ? `${day}T00:00:00` : undefined, limit: 12};
  try {
    const found = await api('GET', '/slots?' + query(params));
    if (!found.items.length) list.textContent = setup.text.noSlots;
    for (const slot of found.items) list.appendChild(slotButton(slot, setup, () => useSlot(slot)));
  } catch (error) {
    if (error instanceof ApiError) showFieldErrors(form, error) || toast(error.message);
  }
}

export function slotButton(slot, setup, onPick) {
  const button = document.createElement('button');
  button.type = 'button';
  const master = setup.masters.find(m => m.id === slot.items[0].master_id);
  const when = wallClock(slot.starts_at);
  button.textContent = `${when.slice(8, 10)}.${when.slice(5, 7)} ${when.slice(11, 16)} · ${master ? master.title : ''}`;
  button.addEventListener('click', onPick);
  return button;
}

function useSlot(slot) {
  const when = wallClock(slot.starts_at);
  form.elements.date.value = when.slice(0, 10);
  form.elements.time.value = when.slice(11, 16);
  document.querySelectorAll('#service-rows .service-row').forEach((row, index) => {
    const item = slot.items[index];
    if (item) {
      row.querySelector('.service-select').value = item.service_id;
      row.querySelector('.master-select').value = item.master_id;
      showNeeds(row);
      row.querySelector('.room-select').value = item.room_id || '';
      row.querySelector('.equipment-select').value = item.equipment_id || '';
    }
  });
}

async function clientIdForBooking() {
  if (chosenClient) return chosenClient.id;
  const fresh = document.getElementById('new-client');
  if (fresh.hidden) return '';
  const created = await api('POST', '/clients', {
    first_name: fresh.querySelector('[name=first_name]').value.trim(),
    last_name: fresh.querySelector('[name=last_name]').value.trim(),
    phone: fresh.querySelector('[name=phone]').value.trim() || null,
  });
  chooseClient(created);
  return created.id;
}

async function submitBooking(event, setup) {
  event.preventDefault();
  clearFieldErrors(form);
  const errorBox = document.getElementById('booking-error');
  errorBox.hidden = true;
  try {
    const body = {
      client_id: await clientIdForBooking(),
      starts_at: `${form.elements.date.value}T${form.elements.time.value || '00:00'}:00`,
      items: requestedItems(setup).map(i => ({service_id: i.service_id, master_id: i.master_id === 'any' ? '' : i.master_id,
                                              room_id: i.room_id, equipment_id: i.equipment_id})),
      comment: form.elements.comment.value,
    };
    if (body.items.some(i => !i.master_id)) await pickMasters(body, setup);
    if (form.elements.repeat.checked) {
      Object.assign(body, {every: Number(form.elements.every.value), unit: form.elements.unit.value,
                           count: Number(form.elements.count.value)});
      await api('POST', '/booking-series', body);
    } else {
      await api('POST', '/bookings', body);
    }
    dialog.close();
    toast(setup.text.saved, 'success');
    onSaved();
  } catch (error) {
    if (!(error instanceof ApiError)) { toast(setup.text.networkError); return; }
    const shown = showFieldErrors(form, error);
    if (!shown || error.status === 409) {
      errorBox.hidden = false;
      errorBox.textContent = error.message;
    }
  }
}

// "Any master": take the first free one for that exact time from the slot search.
async function pickMasters(body, setup) {
  const found = await api('GET', '/slots?' + query({
    service_id: body.items.map(i => i.service_id), master_id: body.items.map(i => i.master_id || 'any'),
    starts_from: body.starts_at, days: 1, limit: 1}));
  const slot = found.items[0];
  if (!slot || wallClock(slot.starts_at) !== body.starts_at) {
    throw new ApiError(409, {error: {code: 'booking_conflict', message: setup.text.noMasterFree}});
  }
  body.items = slot.items.map((i, n) => ({service_id: i.service_id, master_id: i.master_id,
                                          room_id: body.items[n].room_id, equipment_id: body.items[n].equipment_id}));
}

export function openBookingDialog(setup, {start, day, masterId, slot} = {}, saved = () => {}) {
  onSaved = saved;
  form.reset();
  clearFieldErrors(form);
  chooseClient(null);
  document.getElementById('booking-error').hidden = true;
  document.getElementById('service-rows').innerHTML = '';
  document.getElementById('slot-list').innerHTML = '';
  document.getElementById('repeat-fields').hidden = true;
  addServiceRow('', masterId || 'any');
  const when = start || day || new Date();
  form.elements.date.value = `${when.getFullYear()}-${pad(when.getMonth() + 1)}-${pad(when.getDate())}`;
  form.elements.time.value = start ? `${pad(when.getHours())}:${pad(when.getMinutes())}` : '';
  if (slot) {
    document.querySelector('#service-rows .service-select').value = slot.items[0].service_id;
    useSlot(slot);
  }
  dialog.showModal();
  document.getElementById('client-search').focus();
}

function wireBookingDialog() {
  const setup = JSON.parse(document.getElementById('journal-setup').textContent);
  const T = setup.text;
  const search = document.getElementById('client-search');
  search.addEventListener('input', () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => searchClients(search.value, T).catch(() => toast(T.networkError)), 200);
  });
  document.getElementById('add-service').addEventListener('click', () => addServiceRow());
  document.getElementById('show-slots').addEventListener('click', () => fillFreeTime(setup));
  document.getElementById('repeat').addEventListener('change', e => {
    document.getElementById('repeat-fields').hidden = !e.target.checked;
  });
  form.addEventListener('submit', e => submitBooking(e, setup));
}

// ---- details of one booking: status changes with a reason, and its history ----
const details = document.getElementById('details-dialog');
let current = null;

export async function openBookingDetails(bookingId, setup, saved, refreshOnly = false) {
  const T = setup.text;
  const booking = await api('GET', `/bookings/${bookingId}`);
  current = {booking, saved, setup};
  document.getElementById('details-title').textContent = booking.client_name;
  document.getElementById('details-when').textContent = `${wallClock(booking.starts_at).replace('T', ' ').slice(0, 16)}–${wallClock(booking.ends_at).slice(11, 16)}`;
  document.getElementById('details-items').innerHTML = booking.items.map(i => {
    const master = setup.masters.find(m => m.id === i.master_id);
    return `<li>${escapeHtml(i.service_name)} · ${escapeHtml(master ? master.title : '')} · ${wallClock(i.starts_at).slice(11, 16)}</li>`;
  }).join('');
  const status = document.getElementById('details-status');
  status.textContent = T.statuses[booking.status];
  status.className = `badge st-${booking.status}`;
  document.getElementById('details-code').textContent = `#${booking.code}`;
  document.getElementById('details-client').href = `/clients/${booking.client_id}`;
  const checkout = document.getElementById('details-checkout');
  if (checkout) checkout.href = `/checkout/booking/${booking.id}`;
  document.getElementById('details-error').hidden = true;
  const reason = document.getElementById('status-reason');
  if (reason) reason.value = '';
  const history = await api('GET', `/bookings/${bookingId}/history`);
  document.getElementById('details-history').innerHTML = history.items.map(e =>
    `<li><time>${wallClock(e.at).replace('T', ' ').slice(0, 16)}</time> ${escapeHtml(e.to_status ? T.statuses[e.to_status] || e.to_status : e.kind)}${e.reason ? ' — ' + escapeHtml(e.reason) : ''}</li>`).join('');
  // A refresh after a status change must not reopen a dialog the user has closed meanwhile.
  if (!details.open && !refreshOnly) details.showModal();
}

async function changeStatus(button) {
  const {booking, saved, setup} = current;
  const reasonInput = document.getElementById('status-reason');
  const errorBox = document.getElementById('details-error');
  clearFieldErrors(details);
  errorBox.hidden = true;
  try {
    await api('POST', `/bookings/${booking.id}/status`, {status: button.dataset.status, reason: reasonInput.value});
    saved();
    await openBookingDetails(booking.id, setup, saved, true);
  } catch (error) {
    if (!(error instanceof ApiError)) { toast(setup.text.networkError); return; }
    if (!showFieldErrors(details, error)) { errorBox.hidden = false; errorBox.textContent = error.message; }
  }
}

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, c => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'}[c]));
}

async function printVisitCard() {
  const {booking, setup} = current;
  try {
    await api('POST', `/bookings/${booking.id}/visit-card`, {language: setup.locale});
    toast(setup.text.printQueued, 'success');
  } catch (error) {
    toast(error instanceof ApiError && error.status === 409 ? setup.text.noPrinter
      : error instanceof ApiError ? error.message : setup.text.networkError);
  }
}

wireBookingDialog();
const printButton = document.getElementById('details-print');
if (printButton) printButton.addEventListener('click', printVisitCard);
document.querySelectorAll('#status-actions [data-status]').forEach(b => b.addEventListener('click', () => changeStatus(b)));
