// The code page's camera: reads the QR code of a visit card or confirmation held up to it.
// Frames are decoded here, in the page (jsQR, shipped with the box); no picture leaves the kiosk.
// A scanner in keyboard mode needs none of this: it types into the code field itself.
(function () {
  'use strict';
  var panel = document.querySelector('[data-camera]');
  if (!panel || typeof jsQR !== 'function') return;
  var open = panel.querySelector('[data-camera-open]');
  var video = panel.querySelector('video');
  var message = panel.querySelector('[data-camera-message]');
  var form = document.querySelector(panel.getAttribute('data-form'));
  var field = form && form.querySelector('.entry-field');
  var canvas = document.createElement('canvas');
  var drawing = canvas.getContext('2d', {willReadFrequently: true});
  var stream = null;
  var stopAt = 0;
  // The camera turns itself off after this long without a code (the page resets on idle anyway).
  var LOOK_FOR_MS = 40000;

  function say(text) {
    message.textContent = text;
    message.hidden = !text;
  }

  function stop() {
    if (stream) stream.getTracks().forEach(function (track) { track.stop(); });
    stream = null;
    video.hidden = true;
    open.hidden = false;
  }

  function look() {
    if (!stream) return;
    if (Date.now() > stopAt) { stop(); say(panel.getAttribute('data-text-timeout')); return; }
    if (video.readyState >= 2 && video.videoWidth) {
      // 480 px across is plenty for a card held up to the camera, and quick to decode on a Pi.
      var scale = Math.min(1, 480 / video.videoWidth);
      canvas.width = Math.round(video.videoWidth * scale);
      canvas.height = Math.round(video.videoHeight * scale);
      drawing.drawImage(video, 0, 0, canvas.width, canvas.height);
      var frame = drawing.getImageData(0, 0, canvas.width, canvas.height);
      var found = jsQR(frame.data, frame.width, frame.height, {inversionAttempts: 'dontInvert'});
      if (found && found.data) {
        stop();
        field.value = found.data;
        form.submit();
        return;
      }
    }
    setTimeout(look, 150);
  }

  function start() {
    say('');
    navigator.mediaDevices.getUserMedia({video: {facingMode: 'user', width: {ideal: 640}}, audio: false})
      .then(function (granted) {
        stream = granted;
        video.srcObject = granted;
        video.hidden = false;
        open.hidden = true;
        stopAt = Date.now() + LOOK_FOR_MS;
        return video.play().then(look);
      })
      .catch(function () { stop(); say(panel.getAttribute('data-text-unavailable')); });
  }

  // Offered only where a camera is there to be used (a page over plain HTTP from another
  // machine has no camera API at all: the kiosk's own screen is served from 127.0.0.1).
  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) return;
  navigator.mediaDevices.enumerateDevices().then(function (devices) {
    var cameras = devices.filter(function (device) { return device.kind === 'videoinput'; });
    if (!cameras.length) return;
    panel.hidden = false;
    open.addEventListener('click', start);
  }).catch(function () {});
  window.addEventListener('pagehide', stop);
})();
