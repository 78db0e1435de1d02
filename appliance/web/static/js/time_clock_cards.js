// Enrolling a card: show the staff or client chooser, and watch for the card being tapped on the reader.
import {api, listClients, wallClock} from './api.js';

const form = document.getElementById('enrol-form');
const tapId = document.getElementById('tap-id');
const waiting = document.getElementById('tap-waiting');
const seen = document.getElementById('tap-seen');
const when = document.getElementById('tap-when');
const POLL_MS = 2000;

function showHolder() {
  const kind = form.querySelector('input[name=holder]:checked').value;
  form.querySelectorAll('[data-holder]').forEach(el => { el.hidden = el.dataset.holder !== kind; });
}
form.querySelectorAll('input[name=holder]').forEach(el => el.addEventListener('change', showHolder));
showHolder();

const search = document.getElementById('client-search');
const options = document.getElementById('client-options');
search.addEventListener('input', () => {
  document.getElementById('client-id').value = '';
  listClients(options, search.value, client => {
    document.getElementById('client-id').value = client.id;
    search.value = `${client.last_name} ${client.first_name}`.trim();
    options.innerHTML = '';
  });
});

// The latest tap of a card nobody holds, within the last minute; the newest one wins.
async function poll() {
  try {
    const found = await api('GET', '/card-taps/latest-unknown?within_s=60');
    if (found.tap) {
      tapId.value = found.tap.id;
      when.textContent = `${wallClock(found.tap.at).slice(11, 16)} · ${found.tap.reader}`;
    } else {
      tapId.value = '';
    }
    waiting.hidden = Boolean(found.tap);
    seen.hidden = !found.tap;
  } catch (error) {
    // The next poll tries again; a signed-out page is sent to the login by api().
  }
  setTimeout(poll, POLL_MS);
}
setTimeout(poll, POLL_MS);
