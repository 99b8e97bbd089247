"""airflow.models.trigger.Trigger as airflow 2.9's revision queries it (its rows, none on an empty database)."""
from sqlalchemy import Column, ForeignKey, Integer, String, Text
from sqlalchemy.orm import declarative_base, relationship

_Base = declarative_base()


class _TaskInstance(_Base):
    __tablename__ = "task_instance"
    task_id = Column(String(250), primary_key=True)
    trigger_id = Column(Integer, ForeignKey("trigger.id"))


class Trigger(_Base):
    __tablename__ = "trigger"
    id = Column(Integer, primary_key=True)
    kwargs = Column(Text)
    task_instance = relationship(_TaskInstance, uselist=False)
