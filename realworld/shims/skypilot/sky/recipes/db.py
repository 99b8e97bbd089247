"""sky.recipes.db (skypilot 0.14.1): its Base and tables as that module defines them (copied), which the history's
revisions create; the rest of the module left out."""

import sqlalchemy
from sqlalchemy.ext import declarative

Base = declarative.declarative_base()

RECIPES_TABLE = 'recipes'

recipes_table = sqlalchemy.Table(
    RECIPES_TABLE,
    Base.metadata,
    sqlalchemy.Column('name', sqlalchemy.Text, primary_key=True),
    sqlalchemy.Column('description', sqlalchemy.Text),
    sqlalchemy.Column('content', sqlalchemy.Text, nullable=False),
    sqlalchemy.Column('recipe_type', sqlalchemy.Text, nullable=False),
    sqlalchemy.Column('pinned', sqlalchemy.Integer, default=0),
    sqlalchemy.Column('user_id', sqlalchemy.Text, nullable=False),
    sqlalchemy.Column('user_name', sqlalchemy.Text),
    sqlalchemy.Column('created_at', sqlalchemy.Float),
    sqlalchemy.Column('updated_at', sqlalchemy.Float),
    sqlalchemy.Column('updated_by_id', sqlalchemy.Text),
    sqlalchemy.Column('updated_by_name', sqlalchemy.Text),
    sqlalchemy.Column('is_editable', sqlalchemy.Integer, default=1),
    sqlalchemy.Column('is_pinnable', sqlalchemy.Integer, default=1),
    sqlalchemy.Index('idx_recipe_user_id', 'user_id'),
    sqlalchemy.Index('idx_recipe_pinned', 'pinned'),
    sqlalchemy.Index('idx_recipe_type', 'recipe_type'),
)
