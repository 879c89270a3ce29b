"""All queries live here; services ask repositories, never build statements themselves."""
