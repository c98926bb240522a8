"""Pages of the partner forms: the journeys (partners), triage (receiving teams), and set-up (admins)."""
