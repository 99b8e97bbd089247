"""tahrir_api, as far as its history imports it: 3c7fd5b4e2c2 imports the package at the top and queries
its models in ``upgrade()``, a revision of 0.8.1's history, where the database starts (stamped), never run here."""
