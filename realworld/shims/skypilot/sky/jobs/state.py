"""sky.jobs.state (skypilot 0.14.1): its Base and tables as that module defines them (copied), which the history's
revisions create; the rest of the module left out."""
from sky.dag import DagExecution
from sky.skylet import constants

import sqlalchemy
from sqlalchemy.ext import declarative

Base = declarative.declarative_base()

_MEASURABLE = 'created_at IS NOT NULL AND eligible_at IS NOT NULL'

PENDING_TIMELINE_PREDICATE = f't_time_to_running IS NULL AND {_MEASURABLE}'

NEVER_RAN_PREDICATE = (f't_controller_queue IS NULL AND start_at IS NULL AND '
                       f'{_MEASURABLE}')

spot_table = sqlalchemy.Table(
    'spot',
    Base.metadata,
    sqlalchemy.Column('job_id',
                      sqlalchemy.Integer,
                      primary_key=True,
                      autoincrement=True),
    sqlalchemy.Column('job_name', sqlalchemy.Text),
    sqlalchemy.Column('resources', sqlalchemy.Text),
    sqlalchemy.Column('submitted_at', sqlalchemy.Float),
    # Indexed because non-terminal-status filtering on this column is on the
    # hot path for the pool dashboard (per-pool job listing) and skip_finished
    # queries; without it the filter is a full table scan over all (including
    # finished) tasks.
    sqlalchemy.Column('status', sqlalchemy.Text, index=True),
    sqlalchemy.Column('run_timestamp', sqlalchemy.Text),
    sqlalchemy.Column('start_at', sqlalchemy.Float, server_default=None),
    sqlalchemy.Column('end_at', sqlalchemy.Float, server_default=None),
    sqlalchemy.Column('last_recovered_at',
                      sqlalchemy.Float,
                      server_default='-1'),
    sqlalchemy.Column('recovery_count', sqlalchemy.Integer, server_default='0'),
    sqlalchemy.Column('job_duration', sqlalchemy.Float, server_default='0'),
    sqlalchemy.Column('failure_reason', sqlalchemy.Text),
    sqlalchemy.Column('spot_job_id', sqlalchemy.Integer, index=True),
    sqlalchemy.Column('task_id', sqlalchemy.Integer, server_default='0'),
    sqlalchemy.Column('task_name', sqlalchemy.Text),
    sqlalchemy.Column('specs', sqlalchemy.Text),
    sqlalchemy.Column('local_log_file', sqlalchemy.Text, server_default=None),
    sqlalchemy.Column('metadata', sqlalchemy.Text, server_default='{}'),
    sqlalchemy.Column('links', sqlalchemy.JSON, server_default=None),
    sqlalchemy.Column('logs_cleaned_at', sqlalchemy.Float, server_default=None),
    sqlalchemy.Column('full_resources', sqlalchemy.JSON, server_default=None),
    # Whether this task is a primary task (True) or auxiliary task (False)
    # within a job group. NULL for non-job-group jobs (single jobs/pipelines).
    # Auxiliary tasks are terminated when all primary tasks complete.
    sqlalchemy.Column('is_primary_in_job_group',
                      sqlalchemy.Boolean,
                      server_default=None),
    # For a RECOVERING task, whether the current recovery episode carries
    # "failure credit": TRUE iff a genuine preemption/failure (recovery
    # source FAILURE) is involved in this episode; FALSE for purely
    # system-driven episodes (EMERGENCY / RESTART). Deliberately a separate
    # fact from the per-occurrence causes in job_events.recovery_source: a
    # system-driven interruption of a failure recovery neither grants nor
    # erases the credit. Set when the episode opens, cleared (NULL) on every
    # exit from recovery, and read by set_recovered_async to decide whether
    # the completed episode increments recovery_count (NULL — rows written
    # before this column existed — is treated as credited for back-compat).
    sqlalchemy.Column('recovering_from_failure',
                      sqlalchemy.Boolean,
                      server_default=None),
    # Optional plugin-provided override for the user-facing status. The core
    # state machine never reads this column; it always uses `status`. Read
    # paths (status counts, status filter, returned status) may surface this
    # value instead of `status` via the optional `status_expr` seam, so a
    # plugin can present a refined status (e.g. show a still-launching job as
    # PENDING while it waits in an external scheduler queue) without altering
    # the underlying job lifecycle. NULL means "no override".
    sqlalchemy.Column('status_override', sqlalchemy.Text, server_default=None),
    # When the job was accepted, as epoch seconds. T0 of the launch timeline.
    #
    # A separate column rather than reusing the PENDING job_events row, whose
    # timestamp is written as a naive local datetime while every other
    # timestamp here is time.time(). Subtracting the two is wrong by the UTC
    # offset on any non-UTC deployment and can come out negative -- and a
    # negative observation lands silently in a histogram's lowest bucket, so
    # the metric would look healthy while being wrong.
    sqlalchemy.Column('created_at', sqlalchemy.Float, server_default=None),
    # When this task could first have started, as epoch seconds. The origin the
    # startup breakdown is measured from.
    #
    # Equal to created_at for a single task and for every task of a job group,
    # whose tasks all begin waiting together. A pipeline runs its tasks one
    # after another, so task N is not waiting on anything of ours until task
    # N-1 finishes -- measuring from submission would fold every upstream
    # task's runtime into t_controller_queue, which claims to mean "the
    # scheduler was saturated". Unbounded, and indistinguishable downstream:
    # the histogram is labelled by workspace only.
    #
    # Recording the moment rather than special-casing the formula keeps one
    # meaning for every task.
    #
    # Written on the consolidation path only: of the three set_pending callers,
    # just the one in jobs/server/core.py passes it -- the skylet service and
    # the generated remote-controller code do not. So on a remote controller
    # this is NULL for every task and the correction above does not apply
    # there. Deliberate rather than overlooked: that path keeps its own
    # database, the metrics daemon never reads these rows, and the breakdown is
    # scoped to consolidation. Readers require it NOT NULL, so a row without it
    # is skipped rather than measured from the wrong origin.
    sqlalchemy.Column('eligible_at', sqlalchemy.Float, server_default=None),
    # The launch timeline, denormalized once the job first reaches RUNNING, so
    # the jobs list renders from one indexed row read instead of a per-job scan
    # of launch_attempts.
    #
    # Only two of these are read today. t_time_to_running and
    # t_controller_queue are the conditional-UPDATE targets that make recording
    # exactly-once across replicas, one for a task that ran and one for a task
    # that never did. The other six have no reader: the Prometheus series are
    # observed from the in-memory breakdown in the same call that computes it,
    # not from these columns. They are stored for the job-detail view, which
    # lands separately -- so if that view is dropped, these should go with it
    # rather than linger as a table that nothing consults.
    #
    # Write-once: they describe how long the job took to
    # start, which a preemption three hours later does not redefine.
    #
    # Together they partition the wall clock from created_at to RUNNING:
    #   controller_queue  accepted -> a controller claimed the job
    #   retry_overhead    launch attempts that were thrown away, plus backoff
    #   provision_setup   the final attempt's provision start -> instances asked
    #   queue_wait        asked for -> admitted by an external scheduler
    #   node_startup      admitted -> instances up
    #   runtime_setup     instances up -> the job is RUNNING
    sqlalchemy.Column('t_controller_queue',
                      sqlalchemy.Float,
                      server_default=None),
    sqlalchemy.Column('t_retry_overhead', sqlalchemy.Float,
                      server_default=None),
    # Time that belongs to no phase we can name: a job placed on a warm pool
    # never provisions, and one launched before these milestones has no
    # attempt to break down. Kept apart from retry_overhead so such a job does
    # not read as "99% retried launches", which is the misdiagnosis this
    # breakdown exists to prevent.
    sqlalchemy.Column('t_unattributed', sqlalchemy.Float, server_default=None),
    sqlalchemy.Column('t_provision_setup',
                      sqlalchemy.Float,
                      server_default=None),
    sqlalchemy.Column('t_queue_wait', sqlalchemy.Float, server_default=None),
    sqlalchemy.Column('t_node_startup', sqlalchemy.Float, server_default=None),
    sqlalchemy.Column('t_runtime_setup', sqlalchemy.Float, server_default=None),
    # The headline: accepted -> RUNNING. Measured directly rather than summed,
    # because histogram quantiles are not additive.
    sqlalchemy.Column('t_time_to_running',
                      sqlalchemy.Float,
                      server_default=None),
    # The metrics daemon's pending-timeline query, once a minute. Without it
    # that query full-scans spot and sorts the result to return the handful of
    # jobs that just started -- and in the steady state, to return nothing.
    # The predicate selects the rows without a timeline; start_at then serves
    # the ordering from the index rather than a temp b-tree.
    #
    # Partial, and that is the whole point rather than a refinement. A full
    # index stores one entry per task ever run and keeps it forever: a
    # pre-upgrade row has no created_at, so it can never satisfy the query,
    # is never given a timeline, and never leaves the unprocessed group it
    # sorts to the front of. Every tick then walks the entire history to reach
    # the few rows with work in them -- 9156 dead entries against 9 live ones
    # on the dev tenant this was measured on. Restricted to what the query can
    # return, the index holds the pending work instead, and a row drops out of
    # it the moment its timeline is recorded.
    #
    # Safe to restrict because the marker column is only ever asked IS NULL --
    # both selects and both conditional updates -- so no query wants the rows
    # this leaves out. The predicates must keep matching those queries or the
    # planner will quietly stop using the index, which is what the EXPLAIN
    # tests are for.
    sqlalchemy.Index(
        'ix_spot_pending_timeline',
        'start_at',
        postgresql_where=sqlalchemy.text(PENDING_TIMELINE_PREDICATE),
        sqlite_where=sqlalchemy.text(PENDING_TIMELINE_PREDICATE)),
    sqlalchemy.Index('ix_spot_never_ran',
                     'end_at',
                     postgresql_where=sqlalchemy.text(NEVER_RAN_PREDICATE),
                     sqlite_where=sqlalchemy.text(NEVER_RAN_PREDICATE)),
)

job_info_table = sqlalchemy.Table(
    'job_info',
    Base.metadata,
    sqlalchemy.Column('spot_job_id',
                      sqlalchemy.Integer,
                      primary_key=True,
                      autoincrement=True),
    sqlalchemy.Column('name', sqlalchemy.Text),
    # Indexed: every scheduling attempt filters on schedule_state (e.g.
    # get_waiting_job_async, get_num_launching_jobs, get_num_alive_jobs),
    # and active-state rows are a tiny fraction of the table.
    sqlalchemy.Column('schedule_state', sqlalchemy.Text, index=True),
    sqlalchemy.Column('controller_pid', sqlalchemy.Integer,
                      server_default=None),
    sqlalchemy.Column('controller_pid_started_at',
                      sqlalchemy.Float,
                      server_default=None),
    sqlalchemy.Column('dag_yaml_path', sqlalchemy.Text),
    sqlalchemy.Column('env_file_path', sqlalchemy.Text),
    sqlalchemy.Column('dag_yaml_content', sqlalchemy.Text, server_default=None),
    sqlalchemy.Column('env_file_content', sqlalchemy.Text, server_default=None),
    sqlalchemy.Column('config_file_content',
                      sqlalchemy.Text,
                      server_default=None),
    sqlalchemy.Column('user_hash', sqlalchemy.Text),
    sqlalchemy.Column('workspace', sqlalchemy.Text, server_default=None),
    sqlalchemy.Column('priority',
                      sqlalchemy.Integer,
                      server_default=str(constants.DEFAULT_PRIORITY)),
    sqlalchemy.Column('priority_class', sqlalchemy.Text, server_default=None),
    sqlalchemy.Column('entrypoint', sqlalchemy.Text, server_default=None),
    sqlalchemy.Column('original_user_yaml_path',
                      sqlalchemy.Text,
                      server_default=None),
    sqlalchemy.Column('original_user_yaml_content',
                      sqlalchemy.Text,
                      server_default=None),
    # Indexed: every per-pool dashboard query and pool_status request filters
    # by this column. Without an index a job_info table with tens of thousands
    # of (mostly finished) rows turns each pool lookup into a full scan.
    sqlalchemy.Column('pool', sqlalchemy.Text, server_default=None, index=True),
    # Indexed: pool_status fetches per-replica used_by lists by filtering on
    # current_cluster_name; the index keeps that fast when many jobs share
    # the same pool.
    sqlalchemy.Column('current_cluster_name',
                      sqlalchemy.Text,
                      server_default=None,
                      index=True),
    sqlalchemy.Column('job_id_on_pool_cluster',
                      sqlalchemy.Integer,
                      server_default=None),
    sqlalchemy.Column('pool_hash', sqlalchemy.Text, server_default=None),
    sqlalchemy.Column('controller_logs_cleaned_at',
                      sqlalchemy.Float,
                      server_default=None),
    # DAG execution mode: 'parallel' (job group) or 'serial' (pipeline/single)
    sqlalchemy.Column('execution',
                      sqlalchemy.Text,
                      server_default=DagExecution.SERIAL.value),
    # Infrastructure columns for efficient filtering/sorting
    sqlalchemy.Column('cloud', sqlalchemy.Text, server_default=None),
    sqlalchemy.Column('region', sqlalchemy.Text, server_default=None),
    sqlalchemy.Column('zone', sqlalchemy.Text, server_default=None),
    # Whether this job is a batch coordinator (ds.map()).  Batch jobs are
    # serialized one-at-a-time per pool by the scheduler.
    sqlalchemy.Column('is_batch',
                      sqlalchemy.Boolean,
                      server_default=sqlalchemy.sql.expression.false()),
    # Node names for dashboard display (comma-separated)
    sqlalchemy.Column('node_names', sqlalchemy.Text, server_default=None),
    # In consolidation mode, managed jobs shares the filemount blob managed
    # by API server. This id is a reference to the blob.
    sqlalchemy.Column('file_mounts_blob_id',
                      sqlalchemy.Text,
                      server_default=None),
    # Emergency recovery attempts used in the current episode (bounded retry
    # budget for unexpected controller errors). NULL means 0.
    sqlalchemy.Column('emergency_recovery_count',
                      sqlalchemy.Integer,
                      server_default=None),
    # Timestamp of the most recent emergency recovery attempt; used for
    # retry backoff and budget decay.
    sqlalchemy.Column('last_emergency_recovery_at',
                      sqlalchemy.Float,
                      server_default=None),
    # Where a job launched from inside another managed job came from (e.g.
    # an eval job launched by a job group's watcher task). All NULL for
    # top-level jobs. Written once on the child's row; parent rows are never
    # mutated.
    #   root_job_id: the top-level job of the tree. Load-bearing: the group
    #     the job is shown under and the lifecycle it shares (cancelled with
    #     the root, swept when the root's primary tasks finish).
    #   parent_job_id: the job that launched this one (== root for a direct
    #     member).
    #   parent_task_id: the task within the parent that launched this one.
    #     Display only.
    sqlalchemy.Column('root_job_id',
                      sqlalchemy.Integer,
                      server_default=None,
                      index=True),
    sqlalchemy.Column('parent_job_id',
                      sqlalchemy.Integer,
                      server_default=None,
                      index=True),
    sqlalchemy.Column('parent_task_id', sqlalchemy.Integer,
                      server_default=None),
    #   dynamic_task_index: a dynamic task's ordinal within its root's tree
    # (the root's declared tasks are 0..n-1, dynamic tasks number on from n in
    #     attach order); `<root>-<index>` names it on the CLI. NULL for
    #     top-level jobs.
    #   dynamic_task_count: on the root's row, how many dynamic tasks have
    #     attached; incremented atomically to hand out the next index.
    sqlalchemy.Column('dynamic_task_index',
                      sqlalchemy.Integer,
                      server_default=None),
    sqlalchemy.Column('dynamic_task_count',
                      sqlalchemy.Integer,
                      server_default=None),
    sqlalchemy.Index('ux_job_info_root_dynamic_task_index',
                     'root_job_id',
                     'dynamic_task_index',
                     unique=True),
)

api_access_token_table = sqlalchemy.Table(
    'api_access_tokens',
    Base.metadata,
    sqlalchemy.Column('job_id', sqlalchemy.Integer, primary_key=True),
    sqlalchemy.Column('token_id', sqlalchemy.Text, nullable=False),
)

ha_recovery_script_table = sqlalchemy.Table(
    'ha_recovery_script',
    Base.metadata,
    sqlalchemy.Column('job_id', sqlalchemy.Integer, primary_key=True),
    sqlalchemy.Column('script', sqlalchemy.Text),
)

job_events_table = sqlalchemy.Table(
    'job_events',
    Base.metadata,
    sqlalchemy.Column('id',
                      sqlalchemy.Integer,
                      primary_key=True,
                      autoincrement=True),
    # See comment above for explanation of the legacy spot_job_id and
    # task_id columns.
    sqlalchemy.Column('spot_job_id', sqlalchemy.Integer, index=True),
    sqlalchemy.Column('task_id', sqlalchemy.Integer, index=True),
    sqlalchemy.Column('new_status', sqlalchemy.Text),
    sqlalchemy.Column('code', sqlalchemy.Text),
    sqlalchemy.Column('reason', sqlalchemy.Text),
    sqlalchemy.Column('timestamp',
                      sqlalchemy.DateTime(timezone=True),
                      index=True),
    # For new_status='RECOVERING' events only: a RecoverySource value
    # (FAILURE / EMERGENCY / HA) recording why the job is recovering, so
    # consumers can count only failure-driven recoveries. NULL on all other
    # events and on RECOVERING events written before this column existed
    # (treated as FAILURE for back-compat).
    sqlalchemy.Column('recovery_source', sqlalchemy.Text, server_default=None),
)

batch_state_table = sqlalchemy.Table(
    'batch_state',
    Base.metadata,
    sqlalchemy.Column('job_id', sqlalchemy.Integer, nullable=False),
    sqlalchemy.Column('batch_idx', sqlalchemy.Integer, nullable=False),
    sqlalchemy.Column('start_idx', sqlalchemy.Integer, nullable=False),
    sqlalchemy.Column('end_idx', sqlalchemy.Integer, nullable=False),
    sqlalchemy.Column('status',
                      sqlalchemy.Text,
                      nullable=False,
                      server_default='PENDING'),
    sqlalchemy.Column('worker_cluster', sqlalchemy.Text),
    sqlalchemy.Column('retry_count',
                      sqlalchemy.Integer,
                      nullable=False,
                      server_default='0'),
    sqlalchemy.Column('updated_at', sqlalchemy.Float),
    sqlalchemy.PrimaryKeyConstraint('job_id', 'batch_idx'),
)
