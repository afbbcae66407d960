"""``python -m openstp`` runs the command line."""

from openstp.cli import main

main()
