"""gnocchi/indexer/sqlalchemy_base.py: the column types of its models that its initial revision
uses (the module holds gnocchi's ORM models and imports much of gnocchi)."""

import sqlalchemy_utils


class ArchivePolicyDefinitionType(sqlalchemy_utils.JSONType):
    pass


class SetType(sqlalchemy_utils.JSONType):
    def process_result_value(self, value, dialect):
        values = super().process_result_value(value, dialect)
        return set() if values is None else set(values)
