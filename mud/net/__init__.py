"""Protocol adapters: bytes in, events out; outputs in, bytes out. No game rules here."""
