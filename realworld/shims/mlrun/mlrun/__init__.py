"""What mlrun 1.5's migrations use of mlrun: the collation its string columns take on MySQL and one
option at its default (mlrun.config)."""
