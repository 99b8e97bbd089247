"""openhands.app_server.event_callback.event_callback_result_models: an event callback result's status."""
from enum import Enum


class EventCallbackResultStatus(Enum):
    SUCCESS = 'SUCCESS'
    ERROR = 'ERROR'
