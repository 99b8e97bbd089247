"""openhands (OpenHands' app server) as its initial revision imports it: the two status enums whose members
name its enum columns' values, as openhands-ai 1.11.0 defines them."""
