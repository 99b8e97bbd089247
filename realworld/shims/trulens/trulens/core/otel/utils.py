"""trulens.core.otel.utils: tracing is on unless TRULENS_OTEL_TRACING is "0" or "false" (trulens' default)."""
import os


def is_otel_tracing_enabled() -> bool:
    return os.getenv("TRULENS_OTEL_TRACING", "").lower() not in ("0", "false")
