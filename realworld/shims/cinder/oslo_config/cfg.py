"""oslo_config.cfg.CONF with the quota options cinder's revisions read (cinder.quota's), at their defaults."""


class _Conf:
    quota_volumes = 10
    quota_snapshots = 10
    quota_groups = 10
    quota_gigabytes = 1000
    quota_backups = 10
    quota_backup_gigabytes = 1000

    def import_opt(self, name, module_str, group=None):
        getattr(self, name)


CONF = _Conf()
