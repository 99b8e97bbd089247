"""werkzeug.security.generate_password_hash: a revision hashes each project's password with it."""
import hashlib
import os


def generate_password_hash(password: str) -> str:
    salt = os.urandom(8).hex()
    return f"pbkdf2:sha256:600000${salt}${hashlib.pbkdf2_hmac('sha256', password.encode(), salt.encode(), 600000).hex()}"
