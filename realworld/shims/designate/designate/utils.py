"""designate/utils.py: split_host_port, which 0bcf910ea823 calls (the module imports much of designate)."""


def split_host_port(string, default_port=53):
    try:
        (host, port) = string.split(':', 1)
        port = int(port)
    except ValueError:
        host = str(string)
        port = default_port
    return (host, port)
