"""What mlflow's migrations use of its tracking models: each model's table name, and the columns the
migrations read (metrics, latest metrics, runs, trace_info) as mlflow's models declare them."""
import sqlalchemy as sa
from sqlalchemy import BigInteger, Boolean, Column, ForeignKey, PrimaryKeyConstraint, String

from mlflow.store.db.base_sql_model import Base

SourceTypes = ["NOTEBOOK", "JOB", "LOCAL", "UNKNOWN", "PROJECT"]


class SqlRun(Base):
    __tablename__ = "runs"
    run_uuid = Column(String(32), nullable=False)
    source_type = Column(String(20))
    lifecycle_stage = Column(String(20))
    __table_args__ = (PrimaryKeyConstraint("run_uuid", name="run_pk"),)


class SqlMetric(Base):
    __tablename__ = "metrics"
    __table_args__ = (PrimaryKeyConstraint("key", "timestamp", "step", "run_uuid", "value", "is_nan",
                                           name="metric_pk"),)
    key = Column(String(250))
    value = Column(sa.types.Float(precision=53), nullable=False)
    timestamp = Column(BigInteger)
    step = Column(BigInteger, default=0, nullable=False)
    is_nan = Column(Boolean(create_constraint=True), nullable=False, default=False)
    run_uuid = Column(String(32), ForeignKey("runs.run_uuid"))


class SqlLatestMetric(Base):
    __tablename__ = "latest_metrics"
    __table_args__ = (PrimaryKeyConstraint("key", "run_uuid", name="latest_metric_pk"),)
    key = Column(String(250))
    value = Column(sa.types.Float(precision=53), nullable=False)
    timestamp = Column(BigInteger)
    step = Column(BigInteger, default=0, nullable=False)
    is_nan = Column(Boolean(create_constraint=True), nullable=False, default=False)
    run_uuid = Column(String(32), ForeignKey("runs.run_uuid"))


class SqlTraceInfo(Base):
    __tablename__ = "trace_info"
    request_id = Column(String(50), primary_key=True)


def _named(class_name, table):
    return type(class_name, (), {"__tablename__": table})


SqlExperiment = _named("SqlExperiment", "experiments")
SqlExperimentTag = _named("SqlExperimentTag", "experiment_tags")
SqlTag = _named("SqlTag", "tags")
SqlParam = _named("SqlParam", "params")
SqlDataset = _named("SqlDataset", "datasets")
SqlInput = _named("SqlInput", "inputs")
SqlInputTag = _named("SqlInputTag", "input_tags")
SqlTraceTag = _named("SqlTraceTag", "trace_tags")
SqlTraceMetadata = _named("SqlTraceMetadata", "trace_request_metadata")
SqlTraceMetrics = _named("SqlTraceMetrics", "trace_metrics")
SqlAssessments = _named("SqlAssessments", "assessments")
SqlIssue = _named("SqlIssue", "issues")
SqlSpan = _named("SqlSpan", "spans")
SqlScorer = _named("SqlScorer", "scorers")
SqlScorerVersion = _named("SqlScorerVersion", "scorer_versions")
SqlOnlineScoringConfig = _named("SqlOnlineScoringConfig", "online_scoring_configs")
