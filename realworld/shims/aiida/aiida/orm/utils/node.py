"""aiida.orm.utils.node's node type string of a class (its module under aiida.orm.nodes, then the
class name and a dot: 'process.calculation.calcjob.CalcJobNode.')."""


def get_type_string_from_class(class_module, class_name):
    prefix = "aiida.orm.nodes."
    module = class_module[len(prefix):] if class_module.startswith(prefix) else class_module
    return f"{module}.{class_name}."
