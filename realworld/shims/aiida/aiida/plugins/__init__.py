"""aiida's entry point loader, as main_0002 uses it: the class of ``aiida.node:<name>``, here a class
of that name in aiida's module of it (the node type string is all main_0002 reads of it)."""


def load_entry_point_from_string(entry_point_string):
    group, _, name = entry_point_string.partition(":")
    assert group == "aiida.node", entry_point_string
    class_name = {"process.calculation.calcjob": "CalcJobNode"}[name]
    return type(class_name, (), {"__module__": f"aiida.orm.nodes.{name}"})
