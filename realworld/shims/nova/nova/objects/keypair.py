"""nova.objects.keypair.KEYPAIR_TYPE_SSH: a server default of the initial revisions."""
KEYPAIR_TYPE_SSH = "ssh"
