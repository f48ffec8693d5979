"""Media from chat on its way to Meta: staged where Meta can fetch it, checked against Meta's
limits, released once the container no longer needs it."""
