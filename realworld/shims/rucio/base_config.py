"""What rucio's server has before its models can be imported: a configuration file (rucio.common.config
reads it when the models module is imported); its database options at their defaults."""
import os
import tempfile

_folder = tempfile.mkdtemp(prefix="realworld-rucio-")
with open(os.path.join(_folder, "rucio.cfg"), "w", encoding="utf-8") as _file:
    _file.write("[common]\n[database]\ndefault = sqlite://\n")
os.environ["RUCIO_CONFIG"] = os.path.join(_folder, "rucio.cfg")
