// The kiosk's behaviour: on-screen keys, idle reset, and card taps from the reader.
// Plain script, no library: the box serves everything itself and works offline.
(function () {
  'use strict';
  var body = document.body;

  // On-screen keys type into the field of their own entry block (or the form's first field).
  function targetFor(key) {
    var part = key.closest('.entry-part');
    var scope = part || key.closest('form') || document;
    return scope.querySelector('.entry-field');
  }

  document.addEventListener('click', function (event) {
    var key = event.target.closest('[data-key]');
    if (!key) return;
    var field = targetFor(key);
    if (!field) return;
    var value = key.getAttribute('data-key');
    if (value === 'back') field.value = field.value.slice(0, -1);
    else if (value === 'clear') field.value = '';
    else if (value === 'space') field.value += ' ';
    else if (field.value.length < (field.maxLength > 0 ? field.maxLength : 200)) {
      // Letter keys show capitals; a name is capitalised at each word and lower case after.
      var startsWord = field.value === '' || /[\s-]$/.test(field.value);
      field.value += startsWord ? value : value.toLowerCase();
    }
    field.focus();
  });

  // Idle reset: the next person must never see the last one's visit.
  var idle = body.getAttribute('data-idle');
  var seconds = parseInt(body.getAttribute('data-idle-seconds') || '45', 10);
  if (idle === 'short') seconds = Math.min(seconds, 12);
  var resetUrl = body.getAttribute('data-reset-url');
  var timer = null;
  function arm() {
    if (idle === 'off' || idle === 'start' || !resetUrl) return;
    clearTimeout(timer);
    timer = setTimeout(function () { window.location.href = resetUrl; }, seconds * 1000);
  }
  ['pointerdown', 'keydown', 'touchstart'].forEach(function (name) {
    document.addEventListener(name, arm, {passive: true});
  });
  arm();

  // Card taps: the box's hardware service records each tap; the start page shows the newest one.
  var tapsUrl = body.getAttribute('data-taps-url');
  if (tapsUrl) {
    var after = body.getAttribute('data-taps-after') || '0';
    var poll = function () {
      fetch(tapsUrl + '?after=' + encodeURIComponent(after), {credentials: 'same-origin', cache: 'no-store'})
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) {
          if (data && data.taps && data.taps.length) {
            window.location.href = data.taps[data.taps.length - 1].url;
            return;
          }
          if (data && data.after) after = data.after;
          setTimeout(poll, 700);
        })
        .catch(function () { setTimeout(poll, 2000); });
    };
    setTimeout(poll, 300);
  }
  // Keys work from here on (tests wait for it; a person cannot tap sooner).
  body.setAttribute('data-ready', '1');
})();
