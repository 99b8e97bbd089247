"""sky.global_user_state (skypilot 0.14.1): its Base and tables as that module defines them (copied), which the history's
revisions create; the rest of the module left out."""
from sky.skylet import constants

import sqlalchemy
from sqlalchemy.ext import declarative

Base = declarative.declarative_base()

config_table = sqlalchemy.Table(
    'config',
    Base.metadata,
    sqlalchemy.Column('key', sqlalchemy.Text, primary_key=True),
    sqlalchemy.Column('value', sqlalchemy.Text),
)

user_table = sqlalchemy.Table(
    'users',
    Base.metadata,
    sqlalchemy.Column('id', sqlalchemy.Text, primary_key=True),
    sqlalchemy.Column('name', sqlalchemy.Text),
    sqlalchemy.Column('password', sqlalchemy.Text),
    sqlalchemy.Column('created_at', sqlalchemy.Integer),
    sqlalchemy.Column('type', sqlalchemy.Text, server_default=None),
    # User-set default workspace; null when unset. Resolution and RBAC
    # validation are handled in sky/workspaces/; this column is the
    # persisted value only.
    sqlalchemy.Column('preferred_workspace',
                      sqlalchemy.Text,
                      server_default=None),
)

cluster_table = sqlalchemy.Table(
    'clusters',
    Base.metadata,
    sqlalchemy.Column('name', sqlalchemy.Text, primary_key=True),
    sqlalchemy.Column('launched_at', sqlalchemy.Integer),
    sqlalchemy.Column('handle', sqlalchemy.LargeBinary),
    sqlalchemy.Column('last_use', sqlalchemy.Text),
    sqlalchemy.Column('status', sqlalchemy.Text),
    sqlalchemy.Column('autostop', sqlalchemy.Integer, server_default='-1'),
    sqlalchemy.Column('to_down', sqlalchemy.Integer, server_default='0'),
    sqlalchemy.Column('metadata', sqlalchemy.Text, server_default='{}'),
    sqlalchemy.Column('owner', sqlalchemy.Text, server_default=None),
    sqlalchemy.Column('cluster_hash', sqlalchemy.Text, server_default=None),
    sqlalchemy.Column('storage_mounts_metadata',
                      sqlalchemy.LargeBinary,
                      server_default=None),
    sqlalchemy.Column('cluster_ever_up', sqlalchemy.Integer,
                      server_default='0'),
    sqlalchemy.Column('status_updated_at',
                      sqlalchemy.Integer,
                      server_default=None),
    sqlalchemy.Column('config_hash', sqlalchemy.Text, server_default=None),
    sqlalchemy.Column('user_hash', sqlalchemy.Text, server_default=None),
    sqlalchemy.Column('workspace',
                      sqlalchemy.Text,
                      server_default=constants.SKYPILOT_DEFAULT_WORKSPACE),
    sqlalchemy.Column('last_creation_yaml',
                      sqlalchemy.Text,
                      server_default=None),
    sqlalchemy.Column('last_creation_command',
                      sqlalchemy.Text,
                      server_default=None),
    sqlalchemy.Column('is_managed', sqlalchemy.Integer, server_default='0'),
    sqlalchemy.Column('provision_log_path',
                      sqlalchemy.Text,
                      server_default=None),
    sqlalchemy.Column('skylet_ssh_tunnel_metadata',
                      sqlalchemy.LargeBinary,
                      server_default=None),
    # Infrastructure columns for efficient filtering
    sqlalchemy.Column('cloud', sqlalchemy.Text, server_default=None),
    sqlalchemy.Column('region', sqlalchemy.Text, server_default=None),
    sqlalchemy.Column('zone', sqlalchemy.Text, server_default=None),
    # Node names for dashboard display (comma-separated)
    sqlalchemy.Column('node_names', sqlalchemy.Text, server_default=None),
    # External links for dashboard display, e.g. cloud-provider instance
    # console URLs generated at launch time. Same shape as the `links` field
    # on managed-job rows: a JSON object mapping {label: url}.
    sqlalchemy.Column('links', sqlalchemy.JSON, server_default=None),
)

storage_table = sqlalchemy.Table(
    'storage',
    Base.metadata,
    sqlalchemy.Column('name', sqlalchemy.Text, primary_key=True),
    sqlalchemy.Column('launched_at', sqlalchemy.Integer),
    sqlalchemy.Column('handle', sqlalchemy.LargeBinary),
    sqlalchemy.Column('last_use', sqlalchemy.Text),
    sqlalchemy.Column('status', sqlalchemy.Text),
)

volume_table = sqlalchemy.Table(
    'volumes',
    Base.metadata,
    sqlalchemy.Column('name', sqlalchemy.Text, primary_key=True),
    sqlalchemy.Column('launched_at', sqlalchemy.Integer),
    sqlalchemy.Column('handle', sqlalchemy.LargeBinary),
    sqlalchemy.Column('user_hash', sqlalchemy.Text, server_default=None),
    sqlalchemy.Column('workspace',
                      sqlalchemy.Text,
                      server_default=constants.SKYPILOT_DEFAULT_WORKSPACE),
    sqlalchemy.Column('last_attached_at',
                      sqlalchemy.Integer,
                      server_default=None),
    sqlalchemy.Column('last_use', sqlalchemy.Text),
    sqlalchemy.Column('status', sqlalchemy.Text),
    sqlalchemy.Column('is_ephemeral', sqlalchemy.Integer, server_default='0'),
    sqlalchemy.Column('error_message', sqlalchemy.Text, server_default=None),
    # JSON-encoded lists of pods/clusters using the volume
    sqlalchemy.Column('usedby_pods', sqlalchemy.Text, server_default=None),
    sqlalchemy.Column('usedby_clusters', sqlalchemy.Text, server_default=None),
    sqlalchemy.Column('creation_yaml', sqlalchemy.Text, server_default=None),
    # Set only while the volume is being resized to a size it does not have
    # yet; `handle`'s size stays the capacity that exists. See
    # models.VolumeResizeStatus.
    sqlalchemy.Column('resize_status', sqlalchemy.Text, server_default=None),
    sqlalchemy.Column('resize_target_size',
                      sqlalchemy.Text,
                      server_default=None),
    # What the cloud said about the resize, in its own words. What is shown to
    # the user is built from this in volume_list, not stored.
    sqlalchemy.Column('resize_message', sqlalchemy.Text, server_default=None),
)

cluster_history_table = sqlalchemy.Table(
    'cluster_history',
    Base.metadata,
    sqlalchemy.Column('cluster_hash', sqlalchemy.Text, primary_key=True),
    sqlalchemy.Column('name', sqlalchemy.Text),
    sqlalchemy.Column('num_nodes', sqlalchemy.Integer),
    sqlalchemy.Column('requested_resources', sqlalchemy.LargeBinary),
    sqlalchemy.Column('launched_resources', sqlalchemy.LargeBinary),
    sqlalchemy.Column('usage_intervals', sqlalchemy.LargeBinary),
    sqlalchemy.Column('user_hash', sqlalchemy.Text),
    sqlalchemy.Column('last_creation_yaml',
                      sqlalchemy.Text,
                      server_default=None),
    sqlalchemy.Column('last_creation_command',
                      sqlalchemy.Text,
                      server_default=None),
    sqlalchemy.Column('workspace', sqlalchemy.Text, server_default=None),
    sqlalchemy.Column('provision_log_path',
                      sqlalchemy.Text,
                      server_default=None),
    sqlalchemy.Column('last_activity_time',
                      sqlalchemy.Integer,
                      server_default=None,
                      index=True),
    sqlalchemy.Column('launched_at',
                      sqlalchemy.Integer,
                      server_default=None,
                      index=True),
    # Infrastructure columns for efficient filtering
    sqlalchemy.Column('cloud', sqlalchemy.Text, server_default=None),
    sqlalchemy.Column('region', sqlalchemy.Text, server_default=None),
    sqlalchemy.Column('zone', sqlalchemy.Text, server_default=None),
    # Node names for dashboard display (comma-separated)
    sqlalchemy.Column('node_names', sqlalchemy.Text, server_default=None),
    # Whether the cluster was launched by a controller (managed job or
    # service). Mirrors the `is_managed` column on the clusters table so that
    # history queries (e.g. the dashboard's cost report) can filter out
    # controller-backed clusters even after they are terminated, since at that
    # point the clusters table row is gone and the join can no longer supply
    # the flag.
    sqlalchemy.Column('is_managed', sqlalchemy.Integer, server_default='0'),
)

cluster_event_table = sqlalchemy.Table(
    'cluster_events',
    Base.metadata,
    sqlalchemy.Column('cluster_hash', sqlalchemy.Text, primary_key=True),
    sqlalchemy.Column('name', sqlalchemy.Text),
    sqlalchemy.Column('starting_status', sqlalchemy.Text),
    sqlalchemy.Column('ending_status', sqlalchemy.Text),
    sqlalchemy.Column('reason', sqlalchemy.Text, primary_key=True),
    sqlalchemy.Column('transitioned_at', sqlalchemy.Integer, primary_key=True),
    sqlalchemy.Column('type', sqlalchemy.Text),
    sqlalchemy.Column('request_id', sqlalchemy.Text, server_default=None),
    # The primary key is (cluster_hash, reason, transitioned_at), but the two
    # readers that have to survive a cluster's teardown look events up by
    # `name` instead -- see get_latest_cluster_events and
    # get_cluster_events_by_name. Without this they scan the whole table.
    sqlalchemy.Index('ix_cluster_events_name_type', 'name', 'type',
                     'transitioned_at'),
)

UNOBSERVED_ATTEMPT_PREDICATE = ('outcome IS NOT NULL AND '
                                'metrics_observed_at IS NULL')

launch_attempt_table = sqlalchemy.Table(
    'launch_attempts',
    Base.metadata,
    sqlalchemy.Column('attempt_id', sqlalchemy.Text, primary_key=True),
    # Not a key: failover reuses the hash (the clusters row is kept), while a
    # teardown + relaunch mints a new one. Neither per-attempt nor per-job
    # stable -- see attempt_seq for ordering.
    sqlalchemy.Column('cluster_hash', sqlalchemy.Text),
    # Display only. A name outlives the cluster it named, so it must never be
    # used to group attempts or to find a row to resume.
    sqlalchemy.Column('cluster_name', sqlalchemy.Text),
    # Recorded so that provisioning code holding only the on-cloud name (the
    # one stamped on pods) can stamp a milestone without resolving it back.
    sqlalchemy.Column('cluster_name_on_cloud',
                      sqlalchemy.Text,
                      server_default=None),
    # The request whose execution opened this attempt. This is what makes
    # resuming exact rather than a guess: a pause re-queues the *same* request,
    # so an open row under the same request_id is this launch resuming, while a
    # row left behind by a crashed earlier launch carries a different one and
    # is never adopted.
    sqlalchemy.Column('request_id', sqlalchemy.Text, server_default=None),
    # Monotonic within cluster_name. See open_launch_attempt for why the name
    # rather than the hash.
    sqlalchemy.Column('attempt_seq', sqlalchemy.Integer),
    # Recorded on the row rather than joined from the clusters table, which is
    # deleted on teardown -- the attempt outlives the cluster it provisioned.
    sqlalchemy.Column('workspace', sqlalchemy.Text, server_default=None),
    # The external scheduler queue this launch was submitted to, where one
    # gates it (a Kueue LocalQueue today). NULL where nothing does. Recorded by
    # whichever scheduler plugin owns the admission boundary, and used only to
    # slice the admission wait -- "which queue is starving" is the question it
    # answers, and it is the only one that needs this dimension.
    sqlalchemy.Column('queue', sqlalchemy.Text, server_default=None),
    # Milestones, epoch seconds. Named cloud-agnostically: on Kubernetes
    # instances_requested is pod creation and instances_ready is all pods
    # running; on VM clouds they are the create call and the instances being
    # up. admitted stays NULL where no external scheduler gates the workload.
    sqlalchemy.Column('provision_start', sqlalchemy.Float),
    sqlalchemy.Column('instances_requested',
                      sqlalchemy.Float,
                      server_default=None),
    sqlalchemy.Column('admitted', sqlalchemy.Float, server_default=None),
    sqlalchemy.Column('instances_ready', sqlalchemy.Float, server_default=None),
    # NULL while in flight. 'succeeded' | 'failed' | 'abandoned', where
    # abandoned means the writing process died and the startup sweep closed the
    # row -- only that case counts as a lost metric.
    sqlalchemy.Column('outcome', sqlalchemy.Text, server_default=None),
    # Set when the segments of this row have been turned into metric
    # observations, so a row is never observed twice.
    sqlalchemy.Column('metrics_observed_at',
                      sqlalchemy.Float,
                      server_default=None),
    # Resume lookup, attempt_seq allocation, the in-flight milestone lookup,
    # and the per-cluster timeline. cluster_hash is not indexed: a timeline
    # scoped to one incarnation filters these few rows by hash.
    sqlalchemy.Index('ix_launch_attempts_cluster', 'cluster_name',
                     'attempt_seq'),
    # Retention sweep. Without it the sweep full-scans on every tick.
    sqlalchemy.Index('ix_launch_attempts_provision_start', 'provision_start'),
    # The milestone writers hold the on-cloud name (it is what is stamped on
    # the pods) and look up the in-flight attempt by either name. Without this
    # that branch of the OR cannot be indexed, so the whole lookup degrades to
    # a table scan: 21ms against 4us over 200k rows, several times per launch,
    # growing with the retention window. The extra write cost is ~2us per
    # insert, and there is one insert per attempt against several lookups.
    sqlalchemy.Index('ix_launch_attempts_cluster_on_cloud',
                     'cluster_name_on_cloud'),
    # The abandoned sweep, which runs once a minute and in the steady state
    # finds nothing. On provision_start alone it still had to read every row
    # older than the bound -- in the steady state, nearly the table -- before
    # discovering that none were open. Leading with outcome makes it a seek
    # into the few in-flight rows: 120ms against nothing measurable over 200k
    # rows, once a minute, inside a write transaction that blocks other
    # writers for its duration.
    sqlalchemy.Index('ix_launch_attempts_open', 'outcome', 'provision_start'),
    # The metrics daemon's claim, also once a minute. Its predicate is
    # "closed but not yet observed", and `ix_launch_attempts_open` serves only
    # the first half: leading on `outcome IS NOT NULL` is nearly the whole
    # table in the steady state, every row of which is then filtered on
    # metrics_observed_at.
    #
    # Partial, and that is the point: rows leave this index as they are
    # observed, so in the steady state it holds only the last minute's work
    # rather than the job history. The predicate has to be repeated in the
    # index for PostgreSQL to match it to the query.
    sqlalchemy.Index(
        'ix_launch_attempts_unobserved',
        'provision_start',
        postgresql_where=sqlalchemy.text(UNOBSERVED_ATTEMPT_PREDICATE),
        sqlite_where=sqlalchemy.text(UNOBSERVED_ATTEMPT_PREDICATE)),
)

ssh_key_table = sqlalchemy.Table(
    'ssh_key',
    Base.metadata,
    sqlalchemy.Column('user_hash', sqlalchemy.Text, primary_key=True),
    sqlalchemy.Column('ssh_public_key', sqlalchemy.Text),
    sqlalchemy.Column('ssh_private_key', sqlalchemy.Text),
)

service_account_token_table = sqlalchemy.Table(
    'service_account_tokens',
    Base.metadata,
    sqlalchemy.Column('token_id', sqlalchemy.Text, primary_key=True),
    sqlalchemy.Column('token_name', sqlalchemy.Text),
    # Indexed + unique: the auth middleware looks up rows by hash on every
    # request to enforce revocation/rotation/expiration.
    sqlalchemy.Column('token_hash', sqlalchemy.Text, index=True, unique=True),
    sqlalchemy.Column('created_at', sqlalchemy.Integer),
    sqlalchemy.Column('last_used_at', sqlalchemy.Integer, server_default=None),
    sqlalchemy.Column('expires_at', sqlalchemy.Integer, server_default=None),
    sqlalchemy.Column('creator_user_hash',
                      sqlalchemy.Text),  # Who created this token
    sqlalchemy.Column('service_account_user_id',
                      sqlalchemy.Text),  # Service account's own user ID
)

cluster_yaml_table = sqlalchemy.Table(
    'cluster_yaml',
    Base.metadata,
    sqlalchemy.Column('cluster_name', sqlalchemy.Text, primary_key=True),
    sqlalchemy.Column('yaml', sqlalchemy.Text),
)

system_config_table = sqlalchemy.Table(
    'system_config',
    Base.metadata,
    sqlalchemy.Column('config_key', sqlalchemy.Text, primary_key=True),
    sqlalchemy.Column('config_value', sqlalchemy.Text),
    sqlalchemy.Column('created_at', sqlalchemy.Integer),
    sqlalchemy.Column('updated_at', sqlalchemy.Integer),
)

leader_leases_table = sqlalchemy.Table(
    'leader_leases',
    Base.metadata,
    sqlalchemy.Column('lock_id', sqlalchemy.Text, primary_key=True),
    sqlalchemy.Column('holder', sqlalchemy.Text),
    sqlalchemy.Column('epoch', sqlalchemy.BigInteger),
    sqlalchemy.Column('expires_at', sqlalchemy.DateTime(timezone=True)),
)
