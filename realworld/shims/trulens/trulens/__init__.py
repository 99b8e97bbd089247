"""trulens (trulens-core) as its revisions import it: whether OpenTelemetry tracing is on (the event table
is made only then), the ORM classes its data revisions query (only the apps table's) and the app id it
computes, after trulens-core 2.16.0."""
