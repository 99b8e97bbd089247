"""mautrix (the Matrix bridge framework) as a revision of maubot 0.1 imports it: the JSON-in-text column
type of its state store and the event content classes it serializes."""
