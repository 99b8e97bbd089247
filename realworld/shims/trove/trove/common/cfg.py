"""trove.common.cfg.CONF: 906cffda7b29 writes the service's region name (its default) into the rows it makes."""
import types

CONF = types.SimpleNamespace(service_credentials=types.SimpleNamespace(region_name="RegionOne"))
