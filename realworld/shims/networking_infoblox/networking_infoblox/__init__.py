"""networking_infoblox as a revision imports it: ``utils.get_hash``, the Python-side default of two columns."""
