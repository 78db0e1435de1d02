// Nearest free time (BK6) and blocked time (BK11) dialogs of the journal.
import {api, query, toast, wallClock, showFieldErrors, clearFieldErrors, ApiError} from './api.js';
import {slotButton} from './booking_dialog.js';

const freeDialog = document.getElementById('free-dialog');
const freeForm = document.getElementById('free-form');
let pickSlot = () => {};

export function openFreeTime(setup, onPick) {
  pickSlot = onPick;
  document.getElementById('free-results').innerHTML = '';
  freeDialog.showModal();
}

freeForm.addEventListener('submit', async event => {
  event.preventDefault();
  const setup = JSON.parse(document.getElementById('journal-setup').textContent);
  const results = document.getElementById('free-results');
  results.innerHTML = '';
  clearFieldErrors(freeForm);
  try {
    const found = await api('GET', '/slots?' + query({service_id: freeForm.elements.service_id.value,
                                                     master_id: freeForm.elements.master_id.value, limit: 15}));
    if (!found.items.length) results.textContent = setup.text.noSlots;
    for (const slot of found.items) {
      results.appendChild(slotButton(slot, setup, () => { freeDialog.close(); pickSlot(slot); }));
    }
  } catch (error) {
    if (error instanceof ApiError) showFieldErrors(freeForm, error) || toast(error.message);
    else toast(setup.text.networkError);
  }
});

const blockDialog = document.getElementById('block-dialog');
const blockForm = document.getElementById('block-form');
let editing = null;
let afterSave = () => {};

export function openBlockDialog(setup, block, saved) {
  editing = block;
  afterSave = saved;
  blockForm.reset();
  clearFieldErrors(blockForm);
  document.getElementById('block-error').hidden = true;
  document.getElementById('block-remove').hidden = !block;
  blockForm.elements.target.disabled = Boolean(block);
  if (block) {
    const key = block.staff_id ? 'staff_id' : block.room_id ? 'room_id' : 'equipment_id';
    blockForm.elements.target.value = `${key}:${block[key]}`;
    blockForm.elements.date.value = wallClock(block.starts_at).slice(0, 10);
    blockForm.elements.from.value = wallClock(block.starts_at).slice(11, 16);
    blockForm.elements.to.value = wallClock(block.ends_at).slice(11, 16);
    blockForm.elements.reason.value = block.reason;
  } else {
    blockForm.elements.date.value = new Date().toISOString().slice(0, 10);
  }
  blockDialog.showModal();
}

async function saveBlock(event) {
  event.preventDefault();
  clearFieldErrors(blockForm);
  const f = blockForm.elements;
  const body = {starts_at: `${f.date.value}T${f.from.value}:00`, ends_at: `${f.date.value}T${f.to.value}:00`,
                reason: f.reason.value};
  try {
    if (editing) {
      await api('PATCH', `/time-blocks/${editing.id}`, body);
    } else {
      const [key, id] = f.target.value.split(':');
      await api('POST', '/time-blocks', {...body, [key]: id});
    }
    blockDialog.close();
    afterSave();
  } catch (error) {
    if (!(error instanceof ApiError)) return;
    if (!showFieldErrors(blockForm, error)) {
      const box = document.getElementById('block-error');
      box.hidden = false;
      box.textContent = error.message;
    }
  }
}

blockForm.addEventListener('submit', saveBlock);
document.getElementById('block-remove').addEventListener('click', async () => {
  await api('PATCH', `/time-blocks/${editing.id}`, {active: false});
  blockDialog.close();
  afterSave();
});
