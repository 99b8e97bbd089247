"""subunit2sql.db.models' Test and TestRun as 5332fe255095 queries them (the columns it reads), at that
revision: integer ids (2822a408bdd0), the test's run_time (163fd5aa1380)."""
import sqlalchemy as sa
from sqlalchemy import orm


class Base(orm.DeclarativeBase):
    pass


class Test(Base):
    __tablename__ = 'tests'
    id = sa.Column(sa.BigInteger, primary_key=True)
    test_id = sa.Column(sa.String(256))
    success = sa.Column(sa.Integer)
    failure = sa.Column(sa.Integer)
    run_time = sa.Column(sa.Float)


class TestRun(Base):
    __tablename__ = 'test_runs'
    id = sa.Column(sa.BigInteger, primary_key=True)
    test_id = sa.Column(sa.BigInteger)
    run_id = sa.Column(sa.BigInteger)
    status = sa.Column(sa.String(256))
    start_time = sa.Column(sa.DateTime())
    stop_time = sa.Column(sa.DateTime())
