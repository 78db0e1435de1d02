// The journal: masters (or rooms, or equipment) side by side; drag to move, resize to change duration.
import {api, query, toast, wallClock, ApiError} from './api.js';
import {openBookingDialog, openBookingDetails} from './booking_dialog.js';
import {openBlockDialog, openFreeTime} from './journal_tools.js';
import {openGroupDialog} from './group_dialog.js';

const setup = JSON.parse(document.getElementById('journal-setup').textContent);
const T = setup.text;
const STATUS_COLOURS = {
  requested: '#c9b458', confirmed: '#5b8def', arrived: '#3aa76d', in_service: '#8d5bd6',
  completed: '#8a9099', no_show: '#d9534f', cancelled: '#c8c8c8',
};
const bookings = new Map();

const pad = n => String(n).padStart(2, '0');
// The calendar runs on "floating" wall-clock times: this is the salon's local time as typed.
export const isoLocal = d => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:00`;
const isoDate = d => isoLocal(d).slice(0, 10);

// The title from CLDR names sent by the server: browsers lack some locales (Uzbek) in Intl.
function viewTitle(view) {
  const start = view.currentStart;
  const end = new Date(view.currentEnd.getTime() - 1);
  const {months, days} = setup.names;
  if (isoDate(start) === isoDate(end)) {
    return `${days[start.getDay()]}, ${start.getDate()} ${months[start.getMonth()]} ${start.getFullYear()}`;
  }
  const head = start.getMonth() === end.getMonth() ? `${start.getDate()}` : `${start.getDate()} ${months[start.getMonth()]}`;
  return `${head} – ${end.getDate()} ${months[end.getMonth()]} ${end.getFullYear()}`;
}

function resources() {
  if (setup.view === 'rooms') return setup.rooms;
  if (setup.view === 'equipment') return setup.equipment;
  if (setup.view === 'week') {
    const chosen = document.getElementById('week-master').value;
    return setup.masters.filter(m => m.id === chosen);
  }
  return setup.masters;
}

function resourceKey() {
  return {rooms: 'room_id', equipment: 'equipment_id'}[setup.view] || 'master_id';
}

function bookingEvents(list) {
  const key = resourceKey();
  const events = [];
  for (const booking of list) {
    bookings.set(booking.id, booking);
    if (booking.status === 'cancelled') continue;
    for (const item of booking.items) {
      if (!item[key]) continue;
      const mark = booking.first_visit ? ' ★' : '';
      events.push({
        id: item.id, resourceIds: [item[key]], start: wallClock(item.starts_at), end: wallClock(item.ends_at),
        title: `${booking.client_name}${mark}\n${item.service_name}`,
        backgroundColor: STATUS_COLOURS[booking.status], classNames: [`status-${booking.status}`],
        editable: setup.canWrite && !['completed', 'no_show'].includes(booking.status),
        extendedProps: {kind: 'booking', bookingId: booking.id, itemId: item.id, status: booking.status},
      });
    }
  }
  return events;
}

function workingEvents(days) {
  return days.flatMap(day => day.intervals.map(span => ({
    resourceIds: [day.staff_id], start: wallClock(span.starts_at), end: wallClock(span.ends_at),
    display: 'background', backgroundColor: '#dff3e4', extendedProps: {kind: 'working'},
  })));
}

function blockEvents(list) {
  const key = {rooms: 'room_id', equipment: 'equipment_id'}[setup.view] || 'staff_id';
  return list.filter(b => b[key]).map(b => ({
    id: 'block-' + b.id, resourceIds: [b[key]], start: wallClock(b.starts_at), end: wallClock(b.ends_at),
    title: `${T.blocked}${b.reason ? ': ' + b.reason : ''}`, backgroundColor: '#9aa0a6',
    classNames: ['blocked'], editable: setup.canBlock, extendedProps: {kind: 'block', block: b},
  }));
}

function groupEvents(list) {
  const key = resourceKey();
  return list.filter(e => e[key] && e.status === 'scheduled').map(e => ({
    id: 'group-' + e.id, resourceIds: [e[key]], start: wallClock(e.starts_at), end: wallClock(e.ends_at),
    title: `👥 ${e.title} ${e.booked}/${e.capacity}`, backgroundColor: '#b5651d', editable: false,
    extendedProps: {kind: 'group', event: e},
  }));
}

async function loadEvents(info) {
  const window_ = {starts_from: isoLocal(info.start), starts_before: isoLocal(info.end)};
  const lastDay = new Date(info.end.getTime() - 1);
  const requests = [
    api('GET', '/bookings?' + query(window_)),
    api('GET', '/time-blocks?' + query(window_)),
    api('GET', '/group-events?' + query(window_)),
  ];
  if (resourceKey() === 'master_id') {
    requests.push(api('GET', '/working-hours?' + query({
      date_from: isoDate(info.start), date_to: isoDate(lastDay), staff_id: resources().map(r => r.id)})));
  }
  try {
    const [booked, blocks, groups, working] = await Promise.all(requests);
    bookings.clear();
    return [...bookingEvents(booked.items), ...blockEvents(blocks.items), ...groupEvents(groups.items),
            ...(working ? workingEvents(working.items) : [])];
  } catch (error) {
    toast(error instanceof ApiError ? error.message : T.networkError);
    return [];
  }
}

export function describeConflict(error) {
  const first = error.conflicts[0];
  if (!first) return error.message;
  const when = first.starts_at ? ` ${wallClock(first.starts_at).slice(11, 16)}–${wallClock(first.ends_at).slice(11, 16)}` : '';
  const reason = (T.conflictWith && T.conflictWith[first.with]) || first.reason;
  return `${T.conflict}: ${first.resource_name || ''} — ${reason}${when}`;
}

function itemSpecs(booking) {
  return booking.items.map(i => ({
    id: i.id, service_id: i.service_id, master_id: i.master_id, room_id: i.room_id,
    equipment_id: i.equipment_id, price: i.price,
    duration_min: Math.round((new Date(wallClock(i.ends_at)) - new Date(wallClock(i.starts_at))) / 60000),
  }));
}

async function saveMove(info) {
  const props = info.event.extendedProps;
  if (props.kind === 'block') return saveBlockMove(info);
  const booking = bookings.get(props.bookingId);
  const shift = info.event.start - info.oldEvent.start;
  const items = itemSpecs(booking);
  const moved = items.find(i => i.id === props.itemId);
  if (info.newResource) moved[resourceKey()] = info.newResource.id;
  if (info.event.end && info.oldEvent.end && !info.newResource && shift === 0) {
    moved.duration_min = Math.round((info.event.end - info.event.start) / 60000);
  }
  const start = new Date(new Date(wallClock(booking.starts_at)).getTime() + shift);
  try {
    await api('PATCH', `/bookings/${booking.id}`, {starts_at: isoLocal(start), items});
    toast(T.saved, 'success');
    calendar.refetchEvents();
  } catch (error) {
    info.revert();
    toast(error instanceof ApiError ? describeConflict(error) : T.networkError);
  }
}

async function saveBlockMove(info) {
  const block = info.event.extendedProps.block;
  try {
    await api('PATCH', `/time-blocks/${block.id}`, {starts_at: isoLocal(info.event.start), ends_at: isoLocal(info.event.end)});
    calendar.refetchEvents();
  } catch (error) {
    info.revert();
    toast(error instanceof ApiError ? error.message : T.networkError);
  }
}

function onEventClick(info) {
  const props = info.event.extendedProps;
  if (props.kind === 'booking') openBookingDetails(props.bookingId, setup, () => calendar.refetchEvents());
  if (props.kind === 'block' && setup.canBlock) openBlockDialog(setup, props.block, () => calendar.refetchEvents());
  if (props.kind === 'group') openGroupDialog(props.event.id, setup, () => calendar.refetchEvents());
}

function onDateClick(info) {
  if (!setup.canWrite) return;
  const masterId = resourceKey() === 'master_id' && info.resource ? info.resource.id : null;
  openBookingDialog(setup, {start: info.date, masterId}, () => calendar.refetchEvents());
}

const initialView = setup.view === 'week' ? 'resourceTimeGridWeek' : 'resourceTimeGridDay';
const calendar = EventCalendar.create(document.getElementById('journal'), {
  view: initialView,
  date: setup.date,
  locale: document.documentElement.lang,
  firstDay: setup.firstDay,
  headerToolbar: {start: '', center: '', end: ''},
  resources: resources(),
  eventSources: [{events: loadEvents}],
  slotDuration: {minutes: setup.slotMinutes},
  slotMinTime: setup.opens, slotMaxTime: setup.closes,
  // A booking made outside the opening hours (allowed on purpose) widens the day instead of hiding.
  flexibleSlotTimeLimits: true,
  slotLabelFormat: {hour: '2-digit', minute: '2-digit', hour12: false},
  eventTimeFormat: {hour: '2-digit', minute: '2-digit', hour12: false},
  scrollTime: setup.opens,
  nowIndicator: true,
  allDaySlot: false,
  height: 'calc(100vh - 150px)',
  editable: setup.canWrite,
  eventDurationEditable: setup.canWrite,
  eventDrop: saveMove,
  eventResize: saveMove,
  eventClick: onEventClick,
  dateClick: onDateClick,
  dayHeaderFormat: date => `${setup.names.days[date.getDay()]} ${date.getDate()}`,
  datesSet: info => {
    document.getElementById('journal-title').textContent = viewTitle(info.view);
    document.getElementById('jump-date').value = isoDate(info.view.currentStart);
  },
});
window.salonJournal = calendar;

document.querySelectorAll('[data-nav]').forEach(button => button.addEventListener('click', () => {
  const nav = button.dataset.nav;
  if (nav === 'today') calendar.setOption('date', setup.today);
  else calendar[nav]();
}));
document.getElementById('jump-date').addEventListener('change', event => {
  if (event.target.value) calendar.setOption('date', event.target.value);
});
const weekMaster = document.getElementById('week-master');
if (weekMaster) weekMaster.addEventListener('change', () => {
  calendar.setOption('resources', resources());
  calendar.refetchEvents();
});
const newBooking = document.getElementById('new-booking');
if (newBooking) newBooking.addEventListener('click', () =>
  openBookingDialog(setup, {day: calendar.getView().currentStart}, () => calendar.refetchEvents()));
const newBlock = document.getElementById('new-block');
if (newBlock) newBlock.addEventListener('click', () => openBlockDialog(setup, null, () => calendar.refetchEvents()));
document.getElementById('find-free').addEventListener('click', () => openFreeTime(setup, slot =>
  openBookingDialog(setup, {slot}, () => calendar.refetchEvents())));
document.querySelectorAll('dialog [data-close]').forEach(b => b.addEventListener('click', () => b.closest('dialog').close()));

// Check-ins at the kiosk, other administrators and head office change the day too:
// reload the events when the box's data version moves, and only while no dialog is open.
const REFRESH_MS = 4000;
let knownVersion = setup.dataVersion;
async function refreshWhenChanged() {
  try {
    const {version} = await api('GET', '/journal/version');
    const busy = document.querySelector('dialog[open]');
    if (version !== knownVersion && !busy) calendar.refetchEvents();
    if (!busy) knownVersion = version;
  } catch (error) {
    // Offline for a moment or signed out: the next round tries again.
  }
  setTimeout(refreshWhenChanged, REFRESH_MS);
}
setTimeout(refreshWhenChanged, REFRESH_MS);
