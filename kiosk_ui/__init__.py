"""The touch kiosk served by the box: client self check-in, walk-ins, masters' card taps (KI1, KI2, KI4)."""
