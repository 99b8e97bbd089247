"""freshmaker.models' classes that its revisions import: 90f8444d5ab7 updates every event with
``sa.update(Event)`` (its table and the column that revision sets); the others are imported and never used."""
import sqlalchemy as sa
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class Event(Base):
    __tablename__ = "events"
    id = sa.Column(sa.Integer, primary_key=True)
    state = sa.Column(sa.Integer, nullable=False)


class ArtifactBuild:
    pass


class ArtifactBuildCompose:
    pass


class Compose:
    pass
