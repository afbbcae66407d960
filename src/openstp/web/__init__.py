"""The web app: browse the review, try "what if", save scenarios as plans, and a JSON API."""

from openstp.web.app import create_app

__all__ = ["create_app"]
