"""superset's revisions import other revisions as ``superset.migrations.versions.<file>``: the
package is the history's versions folder (the project beside this shim)."""
from pathlib import Path

__path__ = [str(Path(__file__).resolve().parents[4] / "project" / "versions")]
