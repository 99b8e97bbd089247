def hash_password(password):
    return "realworld-hash"


def verify_and_update_password(password, user):
    return True
