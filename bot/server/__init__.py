"""`gjz serve`: the webhook as an ASGI app, several worker processes sharing one database."""
