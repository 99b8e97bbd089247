"""Before mailman 3.3.0's models are imported (their package imports its test helpers): Python 3.11
has no ``asyncio.coroutine``, which mailman 3.3.0 decorates coroutines with."""
import asyncio
import types

asyncio.coroutine = types.coroutine
