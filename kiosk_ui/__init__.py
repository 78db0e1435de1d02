"""Touch kiosk served by the box (client check-in, staff time clock): built in the kiosk issue."""
