// A group event (BK5): who is signed up, sign up more clients, mark attendance.
import {api, toast, wallClock, listClients, ApiError} from './api.js';

const dialog = document.getElementById('group-dialog');
let current = null;
let timer = null;

function render(event, setup) {
  const T = setup.text;
  document.getElementById('group-title').textContent = event.title;
  document.getElementById('group-when').textContent =
    `${wallClock(event.starts_at).replace('T', ' ').slice(0, 16)}–${wallClock(event.ends_at).slice(11, 16)}`;
  document.getElementById('group-count').textContent = `${event.booked} / ${event.capacity}`;
  const list = document.getElementById('group-attendees');
  list.innerHTML = '';
  for (const person of event.attendees) {
    const li = document.createElement('li');
    li.textContent = `${person.client_name} — ${T.attendee[person.status] || person.status} `;
    if (setup.canWrite && person.status === 'booked') {
      for (const status of ['arrived', 'no_show', 'cancelled']) {
        const button = document.createElement('button');
        button.type = 'button';
        button.className = 'link';
        button.textContent = T.attendee[status];
        button.addEventListener('click', () => mark(person.client_id, status));
        li.appendChild(button);
      }
    }
    list.appendChild(li);
  }
}

async function mark(clientId, status) {
  const {event, setup, saved} = current;
  current.event = await api('POST', `/group-events/${event.id}/attendees/${clientId}/status`, {status});
  render(current.event, setup);
  saved();
}

async function signUp(client) {
  const {event, setup, saved} = current;
  const errorBox = document.getElementById('group-error');
  errorBox.hidden = true;
  try {
    current.event = await api('POST', `/group-events/${event.id}/attendees`, {client_id: client.id});
    document.getElementById('group-client-search').value = '';
    document.getElementById('group-client-results').innerHTML = '';
    render(current.event, setup);
    saved();
  } catch (error) {
    if (!(error instanceof ApiError)) { toast(setup.text.networkError); return; }
    errorBox.hidden = false;
    errorBox.textContent = error.message;
  }
}

function search(text) {
  return listClients(document.getElementById('group-client-results'), text, signUp);
}

export async function openGroupDialog(eventId, setup, saved) {
  current = {event: await api('GET', `/group-events/${eventId}`), setup, saved};
  document.getElementById('group-error').hidden = true;
  render(current.event, setup);
  dialog.showModal();
}

const input = document.getElementById('group-client-search');
if (input) input.addEventListener('input', () => {
  clearTimeout(timer);
  timer = setTimeout(() => search(input.value).catch(() => {}), 200);
});
