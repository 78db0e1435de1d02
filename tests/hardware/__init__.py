"""Tests of the card reader layer (``hardware/``) against a private pcscd with virtual cards."""
