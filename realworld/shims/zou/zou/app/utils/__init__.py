"""zou.app.utils' uuid and clock helpers, which zou.migrations.utils.base's mixin takes as column defaults."""
import datetime
import types
import uuid

fields = types.SimpleNamespace(gen_uuid=uuid.uuid4)
date_helpers = types.SimpleNamespace(
    get_utc_now_datetime=lambda: datetime.datetime(2026, 1, 1, 0, 0, 0))
