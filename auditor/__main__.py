"""Allow ``python -m auditor``."""

from auditor.cli import cli

if __name__ == "__main__":
    cli(prog_name="auditor")
